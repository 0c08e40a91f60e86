package io.redkit.live.target;

import java.util.List;

/** One command on its way to a node, with what its reply means; the tag of a pipelined command. */
final class Cmd {
    /** How the reply is judged. */
    enum Role {
        /** Must succeed. */
        PLAIN,
        /** DEL of the scratch key before a value is built: everything after it can be sent again as is. */
        DEL_TMP,
        /** Ignores errors and results (cleanup, ASKING, SELECT). */
        QUIET,
        /** RESTORE of a key: BUSYKEY is a conflict. */
        RESTORE,
        /** SET ... NX of a string: nil is a conflict. */
        SET_NX,
        /** SET of a string replacing it. */
        SET,
        /** RENAMENX of the scratch key: 0 is a conflict. */
        RENAME_NX,
        /** RENAME of the scratch key. */
        RENAME,
        /** A command of a stream's rebuild: some errors are expected when it is replayed. */
        STREAM,
        /** A replicated command: an error is counted and reported, not fatal. */
        EVENT,
        /** FUNCTION LOAD: "already exists" is a conflict. */
        FUNCTION,
        /** Internal SELECT or ASKING, outside the window. */
        INTERNAL
    }

    List<byte[]> argv;
    final Unit unit;
    Role role;
    final long lenAfter;
    final int bytes;
    final int db;
    /** Send ASKING first (an ASK redirect). */
    boolean asking;
    /** How often this command was redirected or told to try again. */
    int redirected;

    Cmd(List<byte[]> argv, Unit unit, Role role, long lenAfter, int db) {
        this.argv = argv;
        this.unit = unit;
        this.role = role;
        this.lenAfter = lenAfter;
        this.db = db;
        int b = 16;
        for (byte[] a : argv) {
            b += a.length + 16;
        }
        this.bytes = b;
    }
}
