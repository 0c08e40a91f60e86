package io.redkit.kv;

import java.util.concurrent.locks.Lock;

/** Figures about an engine and formatting helpers that a server needs and commands do not expose (INFO, RESP3). */
public final class KvIntrospect {
    private KvIntrospect() {
    }

    /** Number of keys with a TTL in the database, counting expired keys not yet removed (INFO's expires=). */
    public static long expiresCount(KvEngine engine, int db) {
        long n = 0;
        for (Shard sh : engine.dbs[db]) {
            Lock l = sh.lock.readLock();
            l.lock();
            try {
                n += sh.expires.size();
            } finally {
                l.unlock();
            }
        }
        return n;
    }

    /** The names (lower case) of every command the engine runs, for a server's own command table to cover. */
    public static java.util.Set<String> commandNames() {
        return Commands.names();
    }

    /** A double as the engine prints scores (the same text as its bulk replies), for RESP3 double replies. */
    public static String formatDouble(double d) {
        return Floats.format(d);
    }
}
