package dev.solo.monitor.store;

/**
 * An event the store has acknowledged: its id and time are final and it is in the {@link Journal}; the
 * {@link GroupCommit} writer puts it into the database.
 *
 * @param id the event's id, assigned in acknowledgement order
 * @param at its time, epoch milliseconds: the event's own time for an import, else the store's clock
 * @param json the payload's UTF-8 bytes, as the inbox record holds them: what the writer stores
 */
record Accepted(long id, long at, NewEvent event, byte[] json) {
    StoredEvent stored() {
        return new StoredEvent(
                id,
                at,
                event.stream(),
                event.event(),
                event.tool(),
                event.toolUseId(),
                event.agentId(),
                event.file(),
                event.source(),
                event.cut(),
                event.json());
    }
}
