package io.redkit.live.target;

/**
 * What a group of commands writes: one key (its whole value, possibly in chunks into a scratch key), one
 * replicated command or transaction, or a function library. Lost replies are replayed per unit.
 */
final class Unit {
    /** What the unit is. */
    enum Kind { KEY, REPLICATED, FUNCTION }

    final Kind kind;
    final byte[] key;
    final int db;
    final int slot;
    /** For replicated commands: true when sending it twice leaves the same data. */
    final boolean idempotent;
    /** The scratch key the value is built in, or null. */
    byte[] tmp;
    /** Set when the RENAME / RENAMENX of {@link #tmp} is sent: from then on its reply decides the scratch key's fate. */
    boolean renameSent;
    /** True for a list built by RPUSH or a string by APPEND into {@link #tmp}: lost chunks are checked by length. */
    boolean lengthChecked;
    boolean listLength;
    /** Commands of the unit answered so far (written on the event loop only). */
    volatile int answered;
    /** Set once the unit is sent again after a lost connection: conflicts are then resolved by replacing. */
    volatile boolean replay;

    Unit(Kind kind, byte[] key, int db, int slot, boolean idempotent) {
        this.kind = kind;
        this.key = key;
        this.db = db;
        this.slot = slot;
        this.idempotent = idempotent;
    }
}
