package io.redkit.core.event;

import java.util.List;

/**
 * The rest of a stream after its entries: counters, IDs and consumer groups.
 *
 * @param firstId      null before RDB 10
 * @param maxDeletedId null before RDB 10
 * @param entriesAdded -1 before RDB 10
 * @param idmp         null before RDB 13
 */
public record StreamMeta(long length, StreamId lastId, StreamId firstId, StreamId maxDeletedId, long entriesAdded,
                         List<StreamGroup> groups, StreamIdmp idmp, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.STREAM_META;
    }
}
