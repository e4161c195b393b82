package dev.solo.core;

/**
 * A registry record checked against the process and the port.
 *
 * @param identity what the resident answered, or the record's data when it did not answer
 * @param answering whether it answered the probe in time; {@code false} means hung or still starting
 */
public record LiveInstance(InstanceRecord record, ServiceIdentity identity, boolean answering) {}
