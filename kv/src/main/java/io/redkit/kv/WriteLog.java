package io.redkit.kv;

import java.util.List;

/**
 * Receives every change the engine applies, as commands whose replay in the same order reproduces the data (the
 * engine rewrites relative TTLs, random pops and generated stream IDs into explicit forms, as Redis propagates
 * them). {@link #append} is called under the write locks of the changed keys, so conflicting changes arrive in
 * the order they were applied; it must be quick and must not call back into the engine.
 */
public interface WriteLog {
    /**
     * Takes one command for the log and returns a ticket for {@link #await}.
     *
     * @param db     the database the command applies to
     * @param nowMs  the engine time the change was made at (replay runs it at that time)
     * @param cutGen the snapshot generation the changed shard was last copied for: the change is part of every
     *               snapshot with a larger generation and of none with this generation or a smaller one
     * @param argv   the command; the log must not modify it
     */
    long append(int db, long nowMs, long cutGen, List<byte[]> argv);

    /** One change of a group, with the arguments {@link #append} takes. */
    record Entry(int db, long nowMs, long cutGen, List<byte[]> argv) {
    }

    /**
     * Takes the changes of a transaction or script together (see {@link KvEngine#beginGroup()}), after they were
     * applied and their locks released; the engine keeps other writers of their keys out until this returns. A
     * log should write them as Redis propagates a transaction, MULTI ... EXEC when there are several, and never
     * keep only a part of them. This default appends them one by one.
     */
    default long appendGroup(List<Entry> entries) {
        long t = 0;
        for (Entry e : entries) {
            t = append(e.db(), e.nowMs(), e.cutGen(), e.argv());
        }
        return t;
    }

    /**
     * Waits until the command with this ticket is handed to the OS (and fsynced, when the log is configured so);
     * false when the log failed and the change may not be persisted.
     */
    boolean await(long ticket);
}
