/**
 * solo-core: run once per user. Claim a port or port range by binding it, classify whoever already
 * holds it, serve the line protocol as the resident, or delegate a request to the resident.
 *
 * <p>Only {@code dev.solo.core} is API; {@code dev.solo.core.internal} may change in any release.
 */
module dev.solo.core {
    exports dev.solo.core;
}
