package io.redkit.core.event;

/**
 * End of the stream.
 *
 * @param checksum         the stored CRC64, 0 when not written
 * @param checksumVerified true when a non-zero checksum was compared and matched
 */
public record End(long checksum, boolean checksumVerified, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.END;
    }
}
