package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;
import io.redkit.rdb.RdbReader;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.redkit.core.event.Event;
import io.redkit.core.sink.EventSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by the store (base from a rewrite, then increments with SELECTs, time records and
 * rewritten TTL commands) loads in redis-server 7 ({@code --dir DIR --appendonly yes}); the server's own SAVE of
 * what it loaded equals the store's data.
 */
class KvStoreRedisIT {
    @TempDir
    Path dir;

    @Test
    void redisServerLoadsTheDirectory() throws Exception {
        if (!TestResp.redisAvailable()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("redis-server is required under CI=true");
            }
            assumeTrue(false, "redis-server not installed");
        }
        Path data = dir.resolve("data");
        String want;
        try (KvStore s = KvStore.open(data, KvStore.Options.defaults().withFsync(AofLog.Fsync.ALWAYS))) {
            KvStoreTest.run(s.engine(), 0);
            s.rewrite();
            KvStoreTest.run(s.engine(), 2);
            Kv.run(s.engine(), 0, "SET big " + "x".repeat(5000));
            Kv.run(s.engine(), 1, "HSET hh a 1 b 2");
            Kv.run(s.engine(), 1, "FLUSHDB");
            Kv.run(s.engine(), 1, "SET after flush");
            s.replication("0123456789012345678901234567890123456789", 77, 0);
            want = KvModelProperties.dump(s.engine().snapshot());
        }
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--aof-load-truncated", "no", "--dir", data.toString(),
                "--dbfilename", "saved.rdb", "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            TestResp c = connect(port, p);
            try (c) {
                assertEquals("+OK", c.call(List.of("SAVE".getBytes(StandardCharsets.US_ASCII))));
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
        KvEngine loaded = new KvEngine();
        try (InputStream in = Files.newInputStream(data.resolve("saved.rdb"));
             EventSource src = RdbReader.open(in, "saved.rdb")) {
            KvLoader l = new KvLoader(loaded, KvLoader.OnExisting.REPLACE, true, "saved.rdb");
            Event e;
            while ((e = src.next()) != null) {
                l.accept(e);
            }
        }
        assertEquals(want, KvModelProperties.dump(loaded.snapshot()));
    }

    private TestResp connect(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try {
                TestResp c = new TestResp(port);
                String r = c.call(List.of("PING".getBytes(StandardCharsets.US_ASCII)));
                if (r.equals("+PONG")) {
                    return c;
                }
                c.close();
            } catch (IOException e) {
                // loading or not listening yet
            }
            Thread.sleep(50);
        }
        throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
    }
}
