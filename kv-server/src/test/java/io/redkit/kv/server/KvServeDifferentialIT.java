package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The same random command sequences sent to kv serve and to a real redis-server 7, replies compared as text:
 * strings, keys, lists, hashes, sets, sorted sets, streams (with consumer groups, XINFO STREAM and GROUPS), LMOVE, MULTI/EXEC and EVAL over a few keys, so wrong
 * types and wrong arguments come up often. Replies whose order Redis leaves unspecified (SMEMBERS, HGETALL) are
 * sorted; commands with random or time-dependent results (SPOP, TTL) are left out, and scores stay integral (the
 * engine prints doubles as Redis 7.2 does, the reference server is 7.0).
 */
class KvServeDifferentialIT {
    @RegisterExtension
    static final SideBySide servers = new SideBySide();

    @Test
    void randomSequencesAgree() throws IOException {
        try (RawClient a = new RawClient(servers.kv.port()); RawClient b = new RawClient(servers.redisPort)) {
            for (long seed = 1; seed <= 25; seed++) {
                a.call("FLUSHALL");
                b.call("FLUSHALL");
                Random rnd = new Random(seed);
                List<String> history = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String[] cmd = randomCommand(rnd);
                    history.add(String.join(" ", cmd));
                    String ra = normalize(cmd, a.call(cmd));
                    String rb = normalize(cmd, b.call(cmd));
                    if (!ra.equals(rb)) {
                        fail("seed " + seed + " step " + i + ": " + String.join(" ", cmd) + "\n kv serve: " + ra
                                + "\n redis:    " + rb + "\n last commands: "
                                + history.subList(Math.max(0, history.size() - 12), history.size()));
                    }
                }
            }
        }
    }

    private static String normalize(String[] cmd, String reply) {
        String n = cmd[0].toLowerCase();
        if ((n.equals("smembers") || n.equals("hgetall") || n.equals("hkeys") || n.equals("hvals"))
                && reply.startsWith("[") && reply.length() > 2) {
            String[] items = reply.substring(1, reply.length() - 1).split(", ");
            if (n.equals("hgetall")) {
                List<String> pairs = new ArrayList<>();
                for (int i = 0; i + 1 < items.length; i += 2) {
                    pairs.add(items[i] + "=" + items[i + 1]);
                }
                items = pairs.toArray(new String[0]);
            }
            Arrays.sort(items);
            return "[" + String.join(", ", items) + "]";
        }
        return reply;
    }

    private static final String[] KEYS = {"k0", "k1", "k2", "k3"};

    private static String key(Random r) {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private static String val(Random r) {
        return r.nextInt(4) == 0 ? "v" + r.nextInt(5) : Integer.toString(r.nextInt(20) - 5);
    }

    private static String[] randomCommand(Random r) {
        String k = key(r);
        switch (r.nextInt(67)) {
            case 0: return new String[] {"SET", k, val(r)};
            case 1: return new String[] {"SET", k, val(r), pick(r, "NX", "XX", "GET", "KEEPTTL")};
            case 2: return new String[] {"GET", k};
            case 3: return new String[] {"INCR", k};
            case 4: return new String[] {"INCRBY", k, val(r)};
            case 5: return new String[] {"APPEND", k, val(r)};
            case 6: return new String[] {"STRLEN", k};
            case 7: return new String[] {"GETRANGE", k, Integer.toString(r.nextInt(4) - 2), "3"};
            case 8: return new String[] {"SETRANGE", k, Integer.toString(r.nextInt(4)), val(r)};
            case 9: return new String[] {"GETDEL", k};
            case 10: return new String[] {"MSET", k, val(r), key(r), val(r)};
            case 11: return new String[] {"MGET", k, key(r), "nokey"};
            case 12: return new String[] {"DEL", k, key(r)};
            case 13: return new String[] {"EXISTS", k, key(r)};
            case 14: return new String[] {"TYPE", k};
            case 15: return new String[] {"RENAME", k, key(r)};
            case 16: return new String[] {"RENAMENX", k, key(r)};
            // absolute times: with EXPIRE's relative ones, GT/LT depend on whether each server's clock
            // ticked between two commands, so the two servers could rightly disagree
            case 17: return new String[] {"EXPIREAT", k, pick(r, "4102444800", "4102448400"), pick(r, "NX", "XX", "GT", "LT")};
            case 18: return new String[] {"PERSIST", k};
            case 19: return new String[] {"LPUSH", k, val(r), val(r)};
            case 20: return new String[] {"RPUSH", k, val(r)};
            case 21: return new String[] {"LPOP", k};
            case 22: return new String[] {"RPOP", k, Integer.toString(r.nextInt(3))};
            case 23: return new String[] {"LRANGE", k, Integer.toString(r.nextInt(5) - 2), Integer.toString(r.nextInt(5) - 2)};
            case 24: return new String[] {"LLEN", k};
            case 25: return new String[] {"LINDEX", k, Integer.toString(r.nextInt(5) - 2)};
            case 26: return new String[] {"LSET", k, Integer.toString(r.nextInt(3)), val(r)};
            case 27: return new String[] {"LREM", k, Integer.toString(r.nextInt(3) - 1), val(r)};
            case 28: return new String[] {"LTRIM", k, Integer.toString(r.nextInt(3)), Integer.toString(r.nextInt(4) - 1)};
            case 29: return new String[] {"HSET", k, "f" + r.nextInt(3), val(r)};
            case 30: return new String[] {"HGET", k, "f" + r.nextInt(3)};
            case 31: return new String[] {"HDEL", k, "f" + r.nextInt(3)};
            case 32: return new String[] {"HGETALL", k};
            case 33: return new String[] {"HINCRBY", k, "f" + r.nextInt(3), val(r)};
            case 34: return new String[] {"HLEN", k};
            case 35: return new String[] {"HMGET", k, "f0", "f1"};
            case 36: return new String[] {"SADD", k, val(r), val(r)};
            case 37: return new String[] {"SREM", k, val(r)};
            case 38: return new String[] {"SISMEMBER", k, val(r)};
            case 39: return new String[] {"SCARD", k};
            case 40: return new String[] {"SMEMBERS", k};
            case 41: return new String[] {"ZADD", k, Integer.toString(r.nextInt(10)), "m" + r.nextInt(4)};
            case 42: return new String[] {"ZADD", k, pick(r, "NX", "XX", "GT", "LT", "CH"), Integer.toString(r.nextInt(10)), "m" + r.nextInt(4)};
            case 43: return new String[] {"ZSCORE", k, "m" + r.nextInt(4)};
            case 44: return new String[] {"ZINCRBY", k, Integer.toString(r.nextInt(5)), "m" + r.nextInt(4)};
            case 45: return new String[] {"ZRANGE", k, "0", "-1", "WITHSCORES"};
            case 46: return new String[] {"ZRANGE", k, "(1", "8", "BYSCORE", "LIMIT", "0", "2"};
            case 47: return new String[] {"ZRANGE", k, "0", "-1", "REV"};
            case 48: return new String[] {"ZREM", k, "m" + r.nextInt(4)};
            case 49: return new String[] {"ZCARD", k};
            case 50: return new String[] {"XADD", k, (1 + r.nextInt(50)) + "-" + r.nextInt(3), "f", val(r)};
            case 51: return new String[] {"XRANGE", k, "-", "+", "COUNT", "3"};
            case 52: return new String[] {"XLEN", k};
            case 53: return new String[] {"XDEL", k, (1 + r.nextInt(50)) + "-0"};
            case 54: return new String[] {"LMOVE", k, key(r), pick(r, "LEFT", "RIGHT"), pick(r, "LEFT", "RIGHT")};
            case 55: return new String[] {"RPOPLPUSH", k, key(r)};
            case 56: return new String[] {"EVAL", "return redis.call('type', KEYS[1])", "1", k};
            case 57: return new String[] {"EVAL", "redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])", "1", k, val(r)};
            case 58: return new String[] {pick(r, "GET", "SET", "LPUSH", "HSET", "ZADD", "XADD", "INCR", "EXPIRE")};
            case 59: return new String[] {"XREAD", "COUNT", Integer.toString(r.nextInt(3)), "STREAMS", k, key(r),
                (r.nextInt(30)) + "-0", pick(r, "0", "10-1", "0-0")};
            case 60: return new String[] {"DBSIZE"};
            case 61: return new String[] {"XINFO", "STREAM", k};
            case 62: return new String[] {"XGROUP", "CREATE", k, pick(r, "g1", "g2"), pick(r, "0", "$", "10-0"), "MKSTREAM"};
            case 63: return new String[] {"XREADGROUP", "GROUP", pick(r, "g1", "g2"), pick(r, "c1", "c2"), "COUNT",
                Integer.toString(1 + r.nextInt(3)), "STREAMS", k, pick(r, ">", ">", "0")};
            case 64: return new String[] {"XACK", k, pick(r, "g1", "g2"), (1 + r.nextInt(50)) + "-" + r.nextInt(3)};
            case 65: return new String[] {"XINFO", "GROUPS", k};
            default: return new String[] {"XPENDING", k, pick(r, "g1", "g2")};
        }
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    @Test
    void transactionsAgree() throws IOException {
        try (RawClient a = new RawClient(servers.kv.port()); RawClient b = new RawClient(servers.redisPort)) {
            String[][] script = {
                {"FLUSHALL"}, {"MULTI"}, {"SET", "t", "1"}, {"INCR", "t"}, {"LPUSH", "t", "x"}, {"GET", "t"},
                {"EXEC"}, {"MULTI"}, {"SET", "t"}, {"EXEC"}, {"WATCH", "t"}, {"SET", "t", "9"}, {"MULTI"},
                {"GET", "t"}, {"EXEC"}, {"DISCARD"}, {"UNWATCH"}, {"MULTI"}, {"PING"}, {"DISCARD"},
                {"BLPOP", "nolist", "0.01"}, {"EVAL", "return {1, 'a', false, {ok='fine'}}", "0"},
                {"EVAL", "return redis.pcall('incr', KEYS[1])", "1", "t"},
                {"EVAL", "return 1", "-1"}, {"EVAL", "return 1", "2", "a"},
                {"EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"},
                {"SCRIPT", "LOAD", "return 7"}, {"EVALSHA", "fb15ed4a7ad2d6e2cb4b2c2fcd5b0c6b2d1b3d09", "0"},
                {"SCRIPT", "EXISTS", "ffffffffffffffffffffffffffffffffffffffff"},
                {"XADD", "xs", "5-1", "a", "1"}, {"XREAD", "STREAMS", "xs"}, {"XREAD", "STREAMS", "xs", "0", "1"},
                {"XREAD", "COUNT", "x", "STREAMS", "xs", "0"}, {"XREAD", "BLOCK", "-1", "STREAMS", "xs", "0"},
                {"XREAD", "STREAMS", "xs", "$"}, {"XREAD", "BLOCK", "10", "STREAMS", "xs", "$"},
                {"XREAD", "STREAMS", "t", "0"}, {"XREAD", "FOO", "STREAMS", "xs", "0"},
            };
            for (String[] cmd : script) {
                assertEquals(b.call(cmd), a.call(cmd), String.join(" ", cmd));
            }
        }
    }
}
