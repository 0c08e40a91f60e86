package io.redkit.live.target;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the writer needs to know of a replicated command: whether it goes to every master, and whether sending it a
 * second time (its reply lost with a connection) leaves the same data. Unknown commands count as not idempotent.
 */
final class CommandTable {
    private static final Set<String> EVERY_NODE = Set.of("FLUSHALL", "FLUSHDB", "FUNCTION", "SCRIPT");

    /** Same data when applied twice in a row (SET and friends, deletions, absolute expiries, set-like adds). */
    private static final Set<String> IDEMPOTENT = Set.of("SET", "SETEX", "PSETEX", "SETNX", "MSET", "MSETNX",
            "DEL", "UNLINK", "HSET", "HMSET", "HSETNX", "HDEL", "SADD", "SREM", "SMOVE", "ZREM",
            "ZREMRANGEBYSCORE", "ZREMRANGEBYLEX", "PEXPIREAT", "EXPIREAT", "PERSIST", "PFADD", "SETRANGE", "SETBIT",
            "LSET", "GEOADD", "FLUSHDB", "FLUSHALL", "XDEL", "XACK", "XSETID", "SCRIPT", "HPEXPIREAT", "HPERSIST",
            "PING");

    private CommandTable() {
    }

    /** True for commands that act on every master of a cluster rather than on a key's slot. */
    static boolean everyNode(String upperName) {
        return EVERY_NODE.contains(upperName);
    }

    /** True when a second application after a lost reply cannot change the result. */
    static boolean idempotent(String upperName, List<byte[]> argv) {
        switch (upperName) {
            case "ZADD" -> {
                return !hasArg(argv, "INCR");
            }
            case "RESTORE" -> {
                return hasArg(argv, "REPLACE");
            }
            case "FUNCTION" -> {
                return argv.size() > 1 && new String(argv.get(1), StandardCharsets.US_ASCII)
                        .equalsIgnoreCase("LOAD") && hasArg(argv, "REPLACE");
            }
            default -> {
                return IDEMPOTENT.contains(upperName);
            }
        }
    }

    private static boolean hasArg(List<byte[]> argv, String word) {
        for (int i = 1; i < argv.size(); i++) {
            byte[] a = argv.get(i);
            if (a.length == word.length() && new String(a, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)
                    .equals(word)) {
                return true;
            }
        }
        return false;
    }
}
