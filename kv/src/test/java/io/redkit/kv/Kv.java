package io.redkit.kv;

import java.util.List;

/** Test shorthand: run a command given as one string (see {@link Script#split}) and render its reply. */
final class Kv {
    private Kv() {
    }

    static String run(KvEngine e, String cmd) {
        return ReplyText.of(e.execute(0, Script.split(cmd)));
    }

    static String run(KvEngine e, int db, String cmd) {
        return ReplyText.of(e.execute(db, Script.split(cmd)));
    }

    static List<byte[]> argv(String cmd) {
        return Script.split(cmd);
    }
}
