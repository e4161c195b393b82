package dev.solo.monitor.store;

/**
 * One stored event: the server id (strictly increasing in commit order), the server time in epoch
 * milliseconds, the indexed fields and the payload as stored (compact JSON, trimmed at write).
 */
public record StoredEvent(
        long id,
        long receivedMillis,
        String stream,
        String event,
        String tool,
        String toolUseId,
        String agentId,
        String file,
        String source,
        long cut,
        String json) {}
