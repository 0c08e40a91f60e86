package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import java.util.List;

/**
 * OBJECT IDLETIME and FREQ (the key's access clock, as Redis's, not counted as an access). OBJECT ENCODING: the name redis-server 7.0 would give the value, derived from its content by Redis's default size
 * thresholds (the engine keeps one representation per type). Redis never converts back to the compact form, and
 * APPEND/SETRANGE leave a "raw" string, so a value that shrank or was edited in place may differ.
 */
final class ObjectCommand {
    /** redis-server 7.0's built-in defaults (CONFIG GET): hash-max-listpack-entries is 512, zset's 128. */
    static final int HASH_LISTPACK_ENTRIES = 512;
    static final int ZSET_LISTPACK_ENTRIES = 128;
    static final int LISTPACK_VALUE = 64;
    static final int INTSET_ENTRIES = 512;
    static final int EMBSTR_MAX = 44;

    static final String IDLE_UNDER_LFU = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note"
            + " that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    static final String FREQ_UNDER_LRU = "ERR An LFU maxmemory policy is not selected, access frequency not tracked."
            + " Please note that when switching between policies at runtime LRU and LFU data will take some time to"
            + " adjust.";

    private ObjectCommand() {
    }

    static void register() {
        add("object", -2, ObjectCommand::object);
    }

    private static Reply object(KvEngine e, int db, List<byte[]> a) {
        if (Args.is(a.get(1), "ENCODING")) {
            if (a.size() != 3) {
                throw new Args.Err("ERR wrong number of arguments for 'object|encoding' command");
            }
            return e.readNoTouch(db, a.get(2), (v, x, now) -> v == null ? Reply.NULL : Reply.bulk(Args.ascii(encoding(v))));
        }
        boolean idle = Args.is(a.get(1), "IDLETIME");
        if (idle || Args.is(a.get(1), "FREQ")) {
            if (a.size() != 3) {
                throw new Args.Err("ERR wrong number of arguments for 'object|" + (idle ? "idletime" : "freq")
                        + "' command");
            }
            long v = e.objectAccess(db, a.get(2), !idle);
            if (v < 0) {
                return Reply.NULL;
            }
            if (idle == e.maxMemoryPolicy().lfu()) {
                return Reply.error(idle ? IDLE_UNDER_LFU : FREQ_UNDER_LRU);
            }
            return Reply.integer(v);
        }
        throw new Args.Err("ERR unknown subcommand '" + Args.str(a.get(1)) + "'. Try OBJECT HELP.");
    }

    /** Redis 7.0's encoding name for a value. */
    static String encoding(Object v) {
        if (v instanceof byte[] s) {
            return isCanonicalLong(s) ? "int" : s.length <= EMBSTR_MAX ? "embstr" : "raw";
        }
        if (v instanceof KvList) {
            return "quicklist"; // 7.0 has no listpack-encoded lists (7.2 added them)
        }
        if (v instanceof KvHash h) {
            return h.fields.size() <= HASH_LISTPACK_ENTRIES && smallEntries(h.fields, true) ? "listpack" : "hashtable";
        }
        if (v instanceof KvSet s) {
            // 7.0 sets are intset or hashtable (listpack sets came with 7.2)
            return s.size() <= INTSET_ENTRIES && allIntegers(s.members) ? "intset" : "hashtable";
        }
        if (v instanceof KvZSet z) {
            return z.size() <= ZSET_LISTPACK_ENTRIES && smallEntries(z.scores, false) ? "listpack" : "skiplist";
        }
        return v instanceof KvModule ? "raw" : "stream";
    }

    private static boolean smallEntries(OpenTable t, boolean values) {
        for (int i = t.nextSlot(0); i >= 0; i = t.nextSlot(i + 1)) {
            if (t.keyAt(i).length > LISTPACK_VALUE) {
                return false;
            }
            if (values && ((ObjMap) t).valAt(i) instanceof byte[] b && b.length > LISTPACK_VALUE) {
                return false;
            }
        }
        return true;
    }

    private static boolean allIntegers(KeySet m) {
        for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
            if (!isCanonicalLong(m.keyAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** True for the texts Redis's string2ll accepts: a 64-bit integer printed canonically (no sign +, no 0 pad). */
    static boolean isCanonicalLong(byte[] s) {
        if (s.length == 0 || s.length > 20) {
            return false;
        }
        Long p = io.redkit.core.Bytes.parseLong(s);
        return p != null && java.util.Arrays.equals(s, Args.num(p));
    }
}
