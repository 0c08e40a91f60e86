package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Lua scripts: a failing script leaves no partial writes; a script's writes are seen whole by other clients. */
class KvServeScriptIT {
    @TempDir
    static Path dir;
    static KvServer server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        server = TestServers.startKv(dir, null);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aFailingScriptLeavesNoPartialWrites() throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.call("FLUSHALL");
            c.call("SET", "a", "orig");
            c.call("EXPIRE", "a", "500");
            c.call("HSET", "h", "f", "1", "g", "2");
            c.call("RPUSH", "l", "x", "y");
            String r = c.call("EVAL", "redis.call('set', KEYS[1], 'new'); redis.call('hdel', KEYS[2], 'f');"
                    + " redis.call('lpop', KEYS[3]); redis.call('set', 'fresh', '1');"
                    + " return redis.call('incr', KEYS[2])", "3", "a", "h", "l");
            assertTrue(r.startsWith("-WRONGTYPE"), r);
            assertEquals("\"orig\"", c.call("GET", "a"));
            assertTrue(Long.parseLong(c.call("TTL", "a").substring(1)) > 490);
            assertEquals("[\"f\", \"1\", \"g\", \"2\"]", sortedPairs(c.call("HGETALL", "h")));
            assertEquals("[\"x\", \"y\"]", c.call("LRANGE", "l", "0", "-1"));
            assertEquals(":0", c.call("EXISTS", "fresh"));
            // a Lua runtime error after writes rolls back too
            r = c.call("EVAL", "redis.call('del', 'a'); redis.call('rpush', 'l', 'z'); error('boom')", "0");
            assertTrue(r.startsWith("-ERR") && r.contains("boom"), r);
            assertEquals("\"orig\"", c.call("GET", "a"));
            assertEquals(":2", c.call("LLEN", "l"));
            // pcall catches the error: the script succeeds and keeps its writes
            r = c.call("EVAL", "redis.call('set', 'kept', '1'); local e = redis.pcall('incr', KEYS[1]);"
                    + " return e['err']", "1", "h");
            assertEquals("\"WRONGTYPE Operation against a key holding the wrong kind of value\"", r);
            assertEquals("\"1\"", c.call("GET", "kept"));
            assertEquals("-ERR This Redis command is not allowed from script script: "
                    + Scripts.sha1("return redis.call('multi')".getBytes()) + ", on @user_script.",
                    c.call("EVAL", "return redis.call('multi')", "0"));
        }
    }

    @Test
    void aRunawayScriptIsStoppedAndUndoneWhileOthersWait() throws Exception {
        try (RawClient c = new RawClient(port); RawClient other = new RawClient(port)) {
            assertEquals("+OK", c.call("CONFIG", "SET", "lua-time-limit", "300"));
            c.call("SET", "r", "before");
            long t0 = System.nanoTime();
            String r = c.call("EVAL", "redis.call('set', 'r', 'during'); while true do pcall(function()"
                    + " while true do end end) end", "0");
            assertTrue(r.startsWith("-ERR Script killed after running longer than lua-time-limit (300 ms)"), r);
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            assertEquals("\"before\"", other.call("GET", "r"));
            assertEquals("+OK", c.call("CONFIG", "SET", "lua-time-limit", "5000"));
        }
    }

    @Test
    void aFailingScriptStaysUndoneAfterKill9AndRestart(@TempDir Path data) throws Exception {
        int p = TestServers.freePort();
        Process kvp = TestServers.startKvProcess(data, p, "--fsync", "always");
        try (RawClient c = new RawClient(p)) {
            c.call("SET", "a", "orig");
            c.call("HSET", "h", "f", "1");
            c.call("HPEXPIRE", "h", "900000", "FIELDS", "1", "f");
            c.call("ZADD", "z", "1.25", "m");
            c.call("XADD", "s", "1-1", "f", "v");
            String r = c.call("EVAL", "redis.call('set', 'a', 'new'); redis.call('set', 'b', '1');"
                    + " redis.call('hset', 'h', 'g', '2'); redis.call('zadd', 'z', 7, 'n');"
                    + " redis.call('xadd', 's', '2-1', 'f', 'w'); redis.call('xadd', 't', '1-1', 'f', 'w');"
                    + " error('late')", "0");
            assertTrue(r.startsWith("-ERR"), r);
        } finally {
            kvp.destroyForcibly().waitFor();
        }
        kvp = TestServers.startKvProcess(data, p, "--fsync", "always");
        try (RawClient c = new RawClient(p)) {
            assertEquals("\"orig\"", c.call("GET", "a"));
            assertEquals(":0", c.call("EXISTS", "b"));
            assertEquals("[\"f\", \"1\"]", c.call("HGETALL", "h"));
            assertTrue(Long.parseLong(c.call("HTTL", "h", "FIELDS", "1", "f").replaceAll("[^0-9]", "")) > 800);
            assertEquals("[\"m\", \"1.25\"]", c.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
            // a stream's undo is not a command: the log must hold neither the script's XADDs nor anything else of it
            assertEquals(":1", c.call("XLEN", "s"));
            assertEquals(":0", c.call("EXISTS", "t"));
        } finally {
            kvp.destroyForcibly().waitFor();
        }
    }

    private static String sortedPairs(String reply) {
        String[] items = reply.substring(1, reply.length() - 1).split(", ");
        java.util.List<String> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < items.length; i += 2) {
            pairs.add(items[i] + ", " + items[i + 1]);
        }
        java.util.Collections.sort(pairs);
        return "[" + String.join(", ", pairs) + "]";
    }

    @Test
    void scriptWritesAreSeenWholeByOtherClients() throws Exception {
        try (RawClient w = new RawClient(port); RawClient r = new RawClient(port)) {
            w.call("MSET", "x", "0", "y", "0");
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<String> torn = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        String v = r.call("MGET", "x", "y");
                        String[] p = v.substring(1, v.length() - 1).split(", ");
                        if (!p[0].equals(p[1])) {
                            torn.set(v);
                            return;
                        }
                    }
                } catch (IOException e) {
                    torn.set(e.toString());
                }
            });
            reader.start();
            for (int i = 0; i < 100; i++) {
                w.call("EVAL", "for i = 1, 200 do redis.call('incr', 'x') end;"
                        + " for i = 1, 200 do redis.call('incr', 'y') end", "0");
            }
            done.set(true);
            reader.join();
            assertEquals(null, torn.get());
            assertEquals("[\"20000\", \"20000\"]", w.call("MGET", "x", "y"));
        }
    }
}
