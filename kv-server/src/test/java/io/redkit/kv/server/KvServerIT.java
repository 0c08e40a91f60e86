package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** kv serve driven by Jedis, Lettuce (RESP3), redis-cli and raw RESP: every command group and its error replies. */
class KvServerIT {
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

    @BeforeEach
    void flush() throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.call("FLUSHALL");
        }
    }

    @Test
    void jedisCommandGroups() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            assertEquals("PONG", j.ping());
            assertEquals("OK", j.set("s", "1"));
            assertEquals(2, j.incr("s"));
            assertEquals("2", j.get("s"));
            assertEquals(java.util.Arrays.asList("2", null), j.mget("s", "nope"));
            assertEquals(3, j.lpush("l", "a", "b", "c"));
            assertEquals(List.of("c", "b", "a"), j.lrange("l", 0, -1));
            assertEquals(2, j.hset("h", Map.of("f1", "v1", "f2", "v2")));
            assertEquals(Map.of("f1", "v1", "f2", "v2"), j.hgetAll("h"));
            assertEquals(2, j.sadd("set", "x", "y"));
            assertEquals(1, j.zadd("z", 1.5, "m"));
            assertEquals(1.5, j.zscore("z", "m"));
            assertEquals("list", j.type("l"));
            assertEquals(1, j.expire("s", 100));
            assertTrue(j.ttl("s") > 90);
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.incr("l"));
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value", e.getMessage());
            e = assertThrows(JedisDataException.class, () -> j.sendCommand(() -> "NOSUCH".getBytes(), "a"));
            assertEquals("ERR unknown command 'NOSUCH', with args beginning with: 'a' ", e.getMessage());
            assertEquals(5, j.dbSize());
            assertEquals("OK", j.select(3));
            assertEquals(0, j.dbSize());
            assertTrue(j.info("keyspace").contains("db0:keys=5,expires=1"));
            assertTrue(j.info().contains("instantaneous_ops_per_sec:"));
            assertEquals(2, j.time().size());
            assertEquals(List.of("maxmemory", "0"), j.configGet("maxmemory").entrySet().stream()
                    .flatMap(x -> java.util.stream.Stream.of(x.getKey(), x.getValue())).toList());
            assertEquals("OK", j.configSet("maxmemory-policy", "allkeys-random"));
            assertEquals("allkeys-random", j.configGet("maxmemory-policy").get("maxmemory-policy"));
            j.configSet("maxmemory-policy", "noeviction");
        }
    }

    @Test
    void jedisTransactionsAndWatch() {
        try (Jedis a = new Jedis("127.0.0.1", port); Jedis b = new Jedis("127.0.0.1", port)) {
            Transaction t = a.multi();
            t.set("k", "1");
            t.incr("k");
            assertEquals(List.of("OK", 2L), t.exec());
            a.watch("k");
            b.set("k", "changed");
            Transaction t2 = a.multi();
            t2.set("k", "mine");
            assertNull(t2.exec());
            assertEquals("changed", a.get("k"));
            // an unwatched transaction with a runtime error still runs its other commands
            Transaction t3 = a.multi();
            t3.lpush("k", "x");
            t3.set("k2", "v");
            List<Object> r = t3.exec();
            assertTrue(r.get(0) instanceof JedisDataException);
            assertEquals("OK", r.get(1));
        }
    }

    @Test
    void rawErrorsAndTransactions() throws IOException {
        try (RawClient c = new RawClient(port)) {
            assertEquals("-ERR wrong number of arguments for 'get' command", c.call("GET"));
            assertEquals("-ERR EXEC without MULTI", c.call("EXEC"));
            assertEquals("-ERR DISCARD without MULTI", c.call("DISCARD"));
            assertEquals("+OK", c.call("MULTI"));
            assertEquals("-ERR MULTI calls can not be nested", c.call("MULTI"));
            assertEquals("-ERR unknown command 'nosuch', with args beginning with: ", c.call("nosuch"));
            assertEquals("+QUEUED", c.call("SET", "a", "1"));
            assertEquals("-EXECABORT Transaction discarded because of previous errors.", c.call("EXEC"));
            assertEquals("$-1", c.call("GET", "a"));
            assertEquals("-ERR DB index is out of range", c.call("SELECT", "16"));
            assertEquals("-ERR value is not an integer or out of range", c.call("SELECT", "x"));
            assertEquals("-ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?", c.call("AUTH", "x"));
            assertEquals("-NOPROTO unsupported protocol version", c.call("HELLO", "4"));
            assertEquals("+OK", c.call("CLIENT", "SETNAME", "me"));
            assertEquals("\"me\"", c.call("CLIENT", "GETNAME"));
            assertTrue(c.call("CLIENT", "ID").startsWith(":"));
            assertTrue(c.call("CLIENT", "LIST").contains("name=me"));
            assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.",
                    c.call("CLIENT", "SETNAME", "a b"));
            assertEquals("-ERR timeout is negative", c.call("BLPOP", "l", "-1"));
            assertEquals("-ERR timeout is not a float or out of range", c.call("BLPOP", "l", "x"));
            assertEquals("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'",
                    c.call("CONFIG", "SET", "nosuch", "1"));
            assertTrue(c.call("COMMAND", "COUNT").startsWith(":"));
            assertTrue(c.call("COMMAND", "INFO", "get").startsWith("[[\"get\", :2"));
            assertEquals("+OK", c.call("SAVE"));
            assertTrue(c.call("LASTSAVE").startsWith(":"));
            // RESP3: HELLO answers a map, nulls and doubles have their own types
            assertTrue(c.call("HELLO", "3").startsWith("%["));
            assertEquals("_", c.call("GET", "none"));
            c.call("ZADD", "z", "2.5", "m");
            assertEquals(",2.5", c.call("ZSCORE", "z", "m"));
            c.call("HSET", "hh", "f", "v");
            assertEquals("%[\"f\", \"v\"]", c.call("HGETALL", "hh"));
            assertTrue(c.call("CONFIG", "GET", "maxmemory").startsWith("%["));
            assertEquals("+OK", c.call("QUIT"));
            assertEquals("EOF", c.read());
        }
    }

    @Test
    void maxmemoryAndIdleTimeout() throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.call("SET", "filler", "x".repeat(10_000));
            assertEquals("+OK", c.call("CONFIG", "SET", "maxmemory", "1000"));
            Thread.sleep(300);
            assertEquals("-OOM command not allowed when used memory > 'maxmemory'.", c.call("SET", "more", "1"));
            assertEquals("\"" + "x".repeat(10_000) + "\"", c.call("GET", "filler"));
            assertEquals(":1", c.call("DEL", "filler"));
            // allkeys-random evicts instead of refusing
            assertEquals("+OK", c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random"));
            Thread.sleep(300);
            String mem = c.call("INFO", "memory");
            long base = Long.parseLong(mem.replaceAll("(?s).*used_memory:(\\d+).*", "$1"));
            assertEquals("+OK", c.call("CONFIG", "SET", "maxmemory", Long.toString(base + 400_000)));
            for (int i = 0; i < 1000; i++) {
                assertEquals("+OK", c.call("SET", "ev" + i, "y".repeat(2000)));
            }
            Thread.sleep(300);
            long keys = Long.parseLong(c.call("DBSIZE").substring(1));
            assertTrue(keys < 400, "evicted down to " + keys);
            assertEquals("+OK", c.call("CONFIG", "SET", "maxmemory-policy", "noeviction"));
            assertEquals("+OK", c.call("CONFIG", "SET", "maxmemory", "0"));
            assertEquals("+OK", c.call("SET", "more", "1"));
            assertEquals("+OK", c.call("CONFIG", "SET", "timeout", "1"));
            try (RawClient idle = new RawClient(port)) {
                assertEquals("+PONG", idle.call("PING"));
                Thread.sleep(2600);
                assertEquals("EOF", idle.read());
            } finally {
                try (RawClient reset = new RawClient(port)) {
                    assertEquals("+OK", reset.call("CONFIG", "SET", "timeout", "0"));
                }
            }
        }
    }

    @Test
    void inlineCommandsAndPipelining() throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send("SET \"a b\" 'c d'\r\nGET \"a b\"\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("+OK", c.read());
            assertEquals("\"c d\"", c.read());
            assertEquals("+PONG", c.read());
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                sb.append("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
            }
            c.send(sb.toString().getBytes(StandardCharsets.US_ASCII));
            for (int i = 1; i <= 1000; i++) {
                assertEquals(":" + i, c.read());
            }
        }
    }

    @Test
    void blockingPopsWakeInOrderAndTimeOut() throws Exception {
        try (RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
            long t0 = System.nanoTime();
            assertEquals("*-1", a.call("BLPOP", "q", "0.2"));
            assertTrue(System.nanoTime() - t0 >= 150_000_000L);
            a.send(RawClient.encode(RawClient.args("BLPOP", "q1", "q2", "5")));
            a.send(RawClient.encode(RawClient.args("PING")));
            Thread.sleep(100);
            assertEquals(":1", b.call("RPUSH", "q2", "v"));
            assertEquals("[\"q2\", \"v\"]", a.read());
            assertEquals("+PONG", a.read());
            a.send(RawClient.encode(RawClient.args("BLMOVE", "src", "dst", "LEFT", "RIGHT", "5")));
            Thread.sleep(100);
            b.call("LPUSH", "src", "x");
            assertEquals("\"x\"", a.read());
            assertEquals("[\"x\"]", b.call("LRANGE", "dst", "0", "-1"));
            // XREAD BLOCK on "$" gets what is added after the call
            a.send(RawClient.encode(RawClient.args("XREAD", "BLOCK", "5000", "STREAMS", "st", "$")));
            Thread.sleep(100);
            assertEquals("\"7-1\"", b.call("XADD", "st", "7-1", "f", "v"));
            assertEquals("[[\"st\", [[\"7-1\", [\"f\", \"v\"]]]]]", a.read());
            assertEquals("*-1", a.call("XREAD", "BLOCK", "100", "STREAMS", "st", "$"));
            // inside MULTI a blocking pop does not block
            a.call("MULTI");
            a.call("BRPOP", "empty", "0");
            assertEquals("[*-1]", a.call("EXEC"));
        }
    }

    @Test
    void pubSubWithJedisAndLettuce() throws Exception {
        BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             Jedis pub = new Jedis("127.0.0.1", port)) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + ":" + channel + "=" + message);
                }
            });
            sub.sync().subscribe("news");
            sub.sync().psubscribe("n*");
            assertEquals(2, pub.publish("news", "hi"));
            String m1 = got.poll(5, TimeUnit.SECONDS);
            String m2 = got.poll(5, TimeUnit.SECONDS);
            assertEquals(java.util.Set.of("news=hi", "n*:news=hi"), java.util.Set.of(m1, m2));
        } finally {
            client.shutdown();
        }
        // RESP2 subscribe context
        try (RawClient c = new RawClient(port)) {
            assertEquals("[\"subscribe\", \"a\", :1]", c.call("SUBSCRIBE", "a"));
            assertEquals("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                    + " are allowed in this context", c.call("GET", "x"));
            assertEquals("[\"pong\", \"\"]", c.call("PING"));
            assertEquals("[\"unsubscribe\", \"a\", :0]", c.call("UNSUBSCRIBE"));
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            JedisPubSub ps = new JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int n) {
                    unsubscribe();
                }
            };
            j.subscribe(ps, "x");
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void lettuceResp3() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> r = conn.sync();
            assertEquals("OK", r.set("a", "1"));
            assertEquals(11L, r.incrby("a", 10));
            r.hset("h", Map.of("x", "1", "y", "2"));
            assertEquals(Map.of("x", "1", "y", "2"), r.hgetall("h"));
            r.zadd("z", 1.0, "one", 2.0, "two");
            assertEquals(List.of("one", "two"), r.zrange("z", 0, -1));
            assertEquals(2.0, r.zscore("z", "two"));
            assertEquals(3L, r.dbsize());
            assertEquals("x", r.eval("return ARGV[1]", io.lettuce.core.ScriptOutputType.VALUE, new String[0], "x"));
            String sha = r.scriptLoad("return redis.call('get', KEYS[1])");
            assertEquals("11", r.evalsha(sha, io.lettuce.core.ScriptOutputType.VALUE, "a"));
            assertEquals(List.of(true, false), r.scriptExists(sha, "0000000000000000000000000000000000000000"));
            assertThrows(io.lettuce.core.RedisCommandExecutionException.class, () -> r.incr("h"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisCli() throws Exception {
        String cli = TestServers.requireBinary("redis-cli");
        assertEquals("OK\n", run(cli, "-p", Integer.toString(port), "SET", "c", "v"));
        assertEquals("v\n", run(cli, "-p", Integer.toString(port), "GET", "c"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                run(cli, "-p", Integer.toString(port), "LPUSH", "c", "x").trim());
        String pipe = "*3\r\n$3\r\nSET\r\n$1\r\np\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\np\r\n";
        Process p = new ProcessBuilder(cli, "-p", Integer.toString(port), "--pipe").redirectErrorStream(true).start();
        p.getOutputStream().write(pipe.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("errors: 0, replies: 2"), out);
        assertEquals("2\n", run(cli, "-p", Integer.toString(port), "GET", "p"));
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }
}
