package io.redkit.core.event;

import java.util.List;

/** The idempotent-producer state of an RDB 13+ stream. */
public record StreamIdmp(long durationSeconds, long maxEntries, List<Producer> producers, long iidsAdded,
                         long iidsDuplicates) {

    /** One producer and its recorded (iid, entry id) pairs. */
    public record Producer(byte[] producerId, List<Recorded> entries) {
    }

    /** One recorded idempotency id. */
    public record Recorded(byte[] iid, StreamId id) {
    }
}
