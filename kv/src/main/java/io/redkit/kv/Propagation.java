package io.redkit.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an applied command into what the write log records, as Redis propagates to its AOF: key states for
 * commands whose effect depends on the clock (SET with a TTL, GETEX, EXPIRE: absolute PXAT/PEXPIREAT, or DEL when
 * the key is gone), RESTORE with an absolute TTL, HSET of the value HINCRBYFLOAT computed, XCLAIM without its clock-dependent choices, SREM for SPOP, XADD with the ID it generated, one DEL per deleted key for DEL/UNLINK.
 * Everything else is deterministic and logged as it came.
 */
final class Propagation {
    enum Rule { AS_IS, STRING_STATE, TTL_STATE, DEL_EACH, SPOP, XADD, RESTORE, XCLAIM, HSET_RESULT, NONE }

    private static final Map<String, Rule> RULES = new HashMap<>();
    private static final NameTable<Rule> LOOKUP;
    private static final byte[] DEL = bytes("DEL");
    private static final byte[] SET = bytes("SET");
    private static final byte[] PXAT = bytes("PXAT");
    private static final byte[] PEXPIREAT = bytes("PEXPIREAT");
    private static final byte[] PERSIST = bytes("PERSIST");
    private static final byte[] SREM = bytes("SREM");
    private static final byte[] HSET = bytes("HSET");

    static {
        for (String s : new String[] {"set", "setex", "psetex", "getex", "incrbyfloat"}) {
            RULES.put(s, Rule.STRING_STATE);
        }
        for (String s : new String[] {"expire", "pexpire", "expireat", "pexpireat", "persist"}) {
            RULES.put(s, Rule.TTL_STATE);
        }
        RULES.put("del", Rule.DEL_EACH);
        RULES.put("unlink", Rule.DEL_EACH);
        RULES.put("spop", Rule.SPOP);
        RULES.put("xadd", Rule.XADD);
        RULES.put("restore", Rule.RESTORE);
        RULES.put("xclaim", Rule.XCLAIM);
        RULES.put("hincrbyfloat", Rule.HSET_RESULT);
        // commands that change nothing, or that the server handles itself
        for (String s : new String[] {"get", "mget", "exists", "type", "ttl", "pttl", "expiretime", "pexpiretime",
                "dbsize", "scan", "object", "dump", "xpending", "xinfo", "ping", "echo", "strlen", "getrange", "lrange", "llen", "lindex", "hget",
                "hgetall", "hkeys", "hvals", "hlen", "hexists", "hmget", "httl", "hpttl", "hexpiretime",
                "hpexpiretime", "smembers", "sismember", "scard", "sinter", "sunion", "sdiff", "zscore", "zcard", "zrange", "xrange", "xlen",
                "lpos", "hstrlen", "hrandfield", "smismember", "srandmember", "sintercard", "zcount", "zlexcount",
                "zmscore", "zrevrange", "zrangebyscore", "zrevrangebyscore", "zrangebylex", "zrevrangebylex"}) {
            RULES.put(s, Rule.NONE);
        }
        LOOKUP = new NameTable<>(RULES);
    }

    private Propagation() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static Rule rule(byte[] name) {
        Rule r = LOOKUP.get(name);
        return r == null ? Rule.AS_IS : r;
    }

    static List<byte[]> del(byte[] key) {
        return List.of(DEL, key);
    }

    /** The state of a string key after a command: SET key value [PXAT t], or DEL key when gone. */
    static List<byte[]> stringState(KeyRef ref) {
        Object v = ref.value();
        if (v == null) {
            return del(ref.key);
        }
        if (!(v instanceof byte[] b)) {
            return null;
        }
        long exp = ref.expireAt();
        return exp >= 0 ? List.of(SET, ref.key, b, PXAT, num(exp)) : List.of(SET, ref.key, b);
    }

    /** The TTL of a key after an EXPIRE-family command: PEXPIREAT key t, PERSIST key, or DEL key. */
    static List<byte[]> ttlState(KeyRef ref) {
        if (ref.value() == null) {
            return del(ref.key);
        }
        long exp = ref.expireAt();
        return exp >= 0 ? List.of(PEXPIREAT, ref.key, num(exp)) : List.of(PERSIST, ref.key);
    }

    /** RESTORE as {@code RESTORE key abs-ms payload REPLACE ABSTTL} (TTL 0 when none), or DEL when nothing stayed. */
    static List<byte[]> restore(KeyRef ref, List<byte[]> argv) {
        if (ref.value() == null) {
            return del(ref.key);
        }
        long exp = ref.expireAt();
        return List.of(argv.get(0), ref.key, num(Math.max(exp, 0)), argv.get(3), bytes("REPLACE"), bytes("ABSTTL"));
    }

    /**
     * XCLAIM as what it did, replayable at any time: min-idle 0, only the IDs it claimed or dropped (entries gone),
     * TIME of the delivery it set, its RETRYCOUNT/FORCE/JUSTID, and LASTID of the group's last ID after it.
     */
    static List<byte[]> xclaim(KeyRef ref, List<byte[]> argv, Reply reply) {
        if (!(ref.value() instanceof KvStream s) || !(reply instanceof Reply.Array claimed)) {
            return null;
        }
        KvStream.Group g = s.group(argv.get(2));
        if (g == null) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(List.of(argv.get(0), argv.get(1), argv.get(2), argv.get(3), bytes("0")));
        long delivery = -1;
        for (Reply r : claimed.items()) {
            Reply idr = r instanceof Reply.Array en ? en.items().get(0) : r;
            byte[] id = ((Reply.Bulk) idr).data();
            out.add(id);
            KvStream.Pending p = g.pel.get(StreamCommands.parseId(id, 0, false));
            if (p != null) {
                delivery = p.deliveryTime;
            }
        }
        int j = 5;
        for (; j < argv.size(); j++) {
            io.redkit.core.event.StreamId id;
            try {
                id = StreamCommands.parseId(argv.get(j), 0, false);
            } catch (Args.Err ex) {
                break;
            }
            if (!s.entries.containsKey(id)) {
                out.add(argv.get(j)); // gone from the stream: replaying it drops the PEL entry again
            }
        }
        if (delivery >= 0) {
            out.add(bytes("TIME"));
            out.add(num(delivery));
        }
        for (; j < argv.size(); j++) {
            byte[] o = argv.get(j);
            if (Args.is(o, "RETRYCOUNT")) {
                out.add(o);
                out.add(argv.get(++j));
            } else if (Args.is(o, "IDLE") || Args.is(o, "TIME") || Args.is(o, "LASTID")) {
                j++;
            } else {
                out.add(o);
            }
        }
        out.add(bytes("LASTID"));
        out.add(StreamCommands.idBytes(g.lastId));
        return out;
    }

    /** HINCRBYFLOAT as {@code HSET key field value} with the value it stored (as Redis propagates it). */
    static List<byte[]> hsetResult(List<byte[]> argv, Reply reply) {
        if (!(reply instanceof Reply.Bulk b)) {
            return null;
        }
        return List.of(HSET, argv.get(1), argv.get(2), b.data());
    }

    /** SPOP as SREM of the members it returned; null when it popped nothing. */
    static List<byte[]> spop(byte[] key, Reply reply) {
        List<byte[]> out = new ArrayList<>();
        out.add(SREM);
        out.add(key);
        if (reply instanceof Reply.Bulk b) {
            out.add(b.data());
        } else if (reply instanceof Reply.Array a) {
            for (Reply r : a.items()) {
                if (r instanceof Reply.Bulk b) {
                    out.add(b.data());
                }
            }
        }
        return out.size() > 2 ? out : null;
    }

    /** XADD with its {@code *} (or {@code ms-*}) ID replaced by the ID generated; null when nothing was added. */
    static List<byte[]> xadd(List<byte[]> argv, Reply reply) {
        if (!(reply instanceof Reply.Bulk id)) {
            return null;
        }
        int i = 2;
        while (i < argv.size()) {
            byte[] a = argv.get(i);
            if (Args.is(a, "NOMKSTREAM")) {
                i++;
            } else if (Args.is(a, "MAXLEN") || Args.is(a, "MINID")) {
                i++;
                if (i < argv.size() && (Args.is(argv.get(i), "=") || Args.is(argv.get(i), "~"))) {
                    i++;
                }
                i++;
            } else if (Args.is(a, "LIMIT")) {
                i += 2;
            } else {
                break;
            }
        }
        if (i >= argv.size()) {
            return argv;
        }
        byte[] given = argv.get(i);
        if (given.length == 0 || given[given.length - 1] != '*') {
            return argv;
        }
        List<byte[]> out = new ArrayList<>(argv);
        out.set(i, id.data());
        return out;
    }

    static byte[] num(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
