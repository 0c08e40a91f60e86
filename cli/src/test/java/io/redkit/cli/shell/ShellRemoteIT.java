package io.redkit.cli.shell;

import io.redkit.cli.it.RedisServerProcess;
import io.redkit.cli.it.RespClient;
import io.redkit.cli.it.TestTls;
import io.redkit.kv.KvEngine;
import io.redkit.kv.persist.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code redkit shell} over a live redis-server (SCAN, TYPE, PTTL, MEMORY USAGE, ranges) and over a KV data
 * directory: the same commands give the same screens as over a file.
 */
class ShellRemoteIT {
    @TempDir
    Path tmp;

    @Test
    void liveServerIsBrowsedByCommands() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start(tmp.resolve("redis"))) {
            try (RespClient c = redis.client()) {
                c.call("HSET", "user:1", "name", "ann", "age", "42");
                c.call("SET", "session:9", "v", "EX", "1000");
                c.call("RPUSH", "queue", "a", "b", "c");
                c.call("ZADD", "board", "1.5", "x", "2", "y");
                c.call("SADD", "tags", "t1");
                c.call("XADD", "events", "1-1", "f", "v");
                for (int i = 0; i < 2500; i++) {
                    c.send("RPUSH", "big", "e" + i);
                }
                c.flush();
                for (int i = 0; i < 2500; i++) {
                    c.read();
                }
                for (int i = 0; i < 1500; i++) {
                    c.send("HSET", "bighash", "f" + i, "v");
                }
                c.flush();
                for (int i = 0; i < 1500; i++) {
                    c.read();
                }
                c.call("SELECT", "3");
                c.call("SET", "in:three", "3");
            }
            String uri = "redis://127.0.0.1:" + redis.port();
            ShellTest.Run r = ShellTest.shell("get user:1\ntype queue\nttl session:9\nttl user:1\nttl nope\n"
                    + "get queue\nget board\nget tags\nget events\nget session:9\n", uri);
            assertEquals(0, r.code(), r.err());
            String[] l = r.out().split("\n");
            assertEquals("field  value", l[0]);
            assertTrue(r.out().contains("name   ann\n") && r.out().contains("age    42\n"), r.out());
            assertEquals("list", l[3]);
            // at most 1000 s left whatever the time between SET and TTL
            assertTrue(l[4].matches("([1-9][0-9]{0,2}|1000) \\(expires at .*\\)"), l[4]);
            assertEquals("-1 (no expiry)", l[5]);
            assertEquals("-2 (no such key)", l[6]);
            assertTrue(r.out().contains("#  value\n0  a\n1  b\n2  c\n"), r.out());
            assertTrue(r.out().contains("score  member\n1.5    x\n2      y\n"), r.out());
            assertTrue(r.out().contains("member\nt1\n"), r.out());
            assertTrue(r.out().contains("id   fields\n1-1  f=v\n"), r.out());
            assertTrue(r.out().endsWith("\nv\n"), r.out());

            ShellTest.Run paged = ShellTest.shell("get big\nget bighash\nget big --all\n", uri, "--page", "5");
            assertEquals(0, paged.code(), paged.err());
            assertTrue(paged.out().startsWith("#  value\n0  e0\n1  e1\n2  e2\n3  e3\n4  e4\n-- more (2495) --\n"), paged.out());
            assertTrue(paged.out().contains("-- more (1495) --"), paged.out());
            assertTrue(paged.out().contains("2499  e2499\n"), "--all fetched the whole list in batches");

            ShellTest.Run keys = ShellTest.shell("ls user:*\nscan * 2\nselect 3\nls\ntop 2\nprefix\ninfo\n", uri);
            assertEquals(0, keys.code(), keys.err());
            assertTrue(keys.out().startsWith("user:1\n"), keys.out());
            assertTrue(keys.out().contains("-- more --"), keys.out());
            assertTrue(keys.out().contains("OK\nin:three\n"), keys.out());
            assertTrue(keys.out().contains("in:*"), keys.out());
            assertTrue(keys.out().contains("server:"), keys.out());
            assertTrue(keys.out().contains("db0:"), keys.out());

            ShellTest.Run db3 = ShellTest.shell("get in:three\n", uri + "/3");
            assertEquals("3\n", db3.out());
        }
    }

    @Test
    void aTlsServerWithAPasswordIsBrowsedWithTheConnectionOptions() throws Exception {
        Path dir = tmp.resolve("tls");
        TestTls tls = TestTls.make(dir);
        int tlsPort = RedisServerProcess.freePort();
        Path pw = dir.resolve("pw");
        java.nio.file.Files.writeString(pw, "s3cret\n");
        // the plain port stays open for the helper's PING (it authenticates after the requirepass below)
        try (RedisServerProcess redis = RedisServerProcess.start(dir.resolve("data"), tls.serverArgs(tlsPort))) {
            try (RespClient c = redis.client()) {
                c.call("HSET", "user:1", "name", "ann");
                c.call("CONFIG", "SET", "requirepass", "s3cret");
            }
            String uri = "rediss://127.0.0.1:" + tlsPort;
            String ca = tls.cert().toString();
            ShellTest.Run ok = ShellTest.shell("get user:1\ntype user:1\n", uri, "--tls-ca", ca,
                    "--password-file", pw.toString());
            assertEquals(0, ok.code(), ok.err());
            assertEquals("field  value\nname   ann\nhash\n", ok.out());
            assertTrue(!ok.err().contains("s3cret"), ok.err());

            ShellTest.Run noPassword = ShellTest.shell("get user:1\n", uri, "--tls-ca", ca);
            assertEquals(3, noPassword.code(), noPassword.out() + noPassword.err());
            ShellTest.Run untrusted = ShellTest.shell("get user:1\n", uri, "--password-file", pw.toString());
            assertEquals(3, untrusted.code(), untrusted.out() + untrusted.err());
            ShellTest.Run plainWithTls = ShellTest.shell("", "redis://127.0.0.1:" + redis.port(), "--tls-ca", ca);
            assertEquals(2, plainWithTls.code(), plainWithTls.err());
            try (RespClient c = redis.client()) {
                c.call("AUTH", "s3cret");
                c.call("CONFIG", "SET", "requirepass", ""); // so that close() can SHUTDOWN it
            }
        }
    }

    @Test
    void unreachableServerIsAnIoError() throws Exception {
        ShellTest.Run r = ShellTest.shell("", "redis://127.0.0.1:" + RedisServerProcess.freePort());
        assertEquals(3, r.code(), r.err());
    }

    @Test
    void kvDirectoryIsOpenedReadOnly() throws Exception {
        Path dir = tmp.resolve("kv");
        try (KvStore store = KvStore.open(dir, KvStore.Options.defaults())) {
            KvEngine e = store.engine();
            e.execute(0, argv("HSET", "h", "f1", "v1", "f2", "v2"));
            e.execute(0, argv("SET", "s", "text"));
            e.execute(1, argv("RPUSH", "l", "x"));
        }
        ShellTest.Run r = ShellTest.shell("ls\nget h\nget s\nselect 1\nget l\ninfo\n", "kv:" + dir);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("h\ns\nfield  value\nf1     v1\nf2     v2\ntext\nOK\n#  value\n0  x\n"), r.out());
        assertTrue(r.out().contains("KV engine data directory"), r.out());
    }

    private static List<byte[]> argv(String... s) {
        List<byte[]> a = new ArrayList<>();
        for (String x : s) {
            a.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return a;
    }
}
