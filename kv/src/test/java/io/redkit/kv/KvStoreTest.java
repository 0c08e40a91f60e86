package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent store: what its files hold, restarts, torn tails, rewrites, replication positions. */
class KvStoreTest {
    @TempDir
    Path dir;

    static final String[] SCRIPT = {
        "SET s1 hello", "SET s2 v EX 100", "SET s3 v PX 5000", "SETEX_SKIP", "HSET h f1 v1 f2 v2", "HDEL h f2",
        "LPUSH l a b c", "RPOP l", "SADD st x y z", "SREM st y", "ZADD z 1 a 2.5 b", "ZINCRBY z 1 a",
        "INCR n", "INCRBY n 41", "INCRBYFLOAT f 1.5", "APPEND s1 _world", "EXPIRE h 1000", "PERSIST h",
        "PEXPIRE l 100000", "XADD x * a 1", "XADD x * b 2", "RENAME st st2", "MSET m1 1 m2 2", "DEL m1 nosuch",
        "GETEX s1 EX 500", "SPOP st2"};

    static KvStore.Options opts(ManualClock c, AofLog.Fsync f) {
        return KvStore.Options.defaults().withFsync(f).withClock(c);
    }

    static void run(KvEngine e, int db) {
        for (String cmd : SCRIPT) {
            if (!cmd.endsWith("_SKIP")) {
                String r = Kv.run(e, db, cmd);
                assertFalse(r.startsWith("-"), cmd + " -> " + r);
            }
        }
    }

    @Test
    void newDirectoryIsARedisAppendOnlyDirectory() throws IOException {
        try (KvStore s = KvStore.open(dir, KvStore.Options.defaults())) {
            assertEquals(List.of("appendonly.aof.1.base.rdb", "appendonly.aof.1.incr.aof"), s.files());
        }
        Path ad = dir.resolve("appendonlydir");
        assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                Files.readString(ad.resolve("appendonly.aof.manifest")));
        assertTrue(new String(Files.readAllBytes(ad.resolve("appendonly.aof.1.base.rdb")), StandardCharsets.ISO_8859_1)
                .startsWith("REDIS0010"));
    }

    @Test
    void restartRecoversEveryTypeAndTtlsAreAbsolute() throws IOException {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        String want;
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            run(s.engine(), 0);
            run(s.engine(), 3);
            Kv.run(s.engine(), 5, "SET gone soon PX 10");
            clock.advance(20);
            assertEquals("(nil)", Kv.run(s.engine(), 5, "GET gone"));
            assertEquals(":0", Kv.run(s.engine(), 5, "EXISTS gone"));
            Kv.run(s.engine(), 5, "SET gone again");
            want = KvModelProperties.dump(s.engine().snapshot());
        }
        String incr = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
        assertTrue(incr.contains("$4\r\nPXAT\r\n$13\r\n1700000100000\r\n"), "SET EX 100 logged as PXAT");
        assertTrue(incr.contains("PEXPIREAT"), "PEXPIRE logged as PEXPIREAT");
        assertFalse(incr.contains("$2\r\nEX\r\n"), "no relative TTL");
        assertFalse(incr.contains("$4\r\nSPOP"), "SPOP logged as SREM");
        assertFalse(incr.contains("$1\r\n*\r\n"), "XADD logged with its ID");
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            assertEquals(want, KvModelProperties.dump(s.engine().snapshot()));
            assertNull(s.recovery().truncatedFile());
            assertEquals(0, s.recovery().commandErrors());
        }
    }

    @Test
    void tornTailIsCutAtTheLastWholeCommand() throws IOException {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        String want;
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            run(s.engine(), 0);
            want = KvModelProperties.dump(s.engine().snapshot());
        }
        Path incr = dir.resolve("appendonlydir/appendonly.aof.1.incr.aof");
        long size = Files.size(incr);
        Files.write(incr, "*3\r\n$3\r\nSET\r\n$1\r\nz\r\n$5\r\nhal".getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            assertEquals(incr.toString(), s.recovery().truncatedFile());
            assertEquals(27, s.recovery().truncatedBytes());
            assertEquals(size, Files.size(incr));
            assertEquals(want, KvModelProperties.dump(s.engine().snapshot()));
            Kv.run(s.engine(), 0, "SET after cut");
            want = KvModelProperties.dump(s.engine().snapshot());
        }
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            assertNull(s.recovery().truncatedFile());
            assertEquals(want, KvModelProperties.dump(s.engine().snapshot()));
        }
    }

    @Test
    void rewriteStartsTheLogFromANewBase() throws IOException {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        String want;
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.EVERYSEC))) {
            run(s.engine(), 0);
            KvStore.RewriteStats st = s.rewrite();
            assertTrue(st.ok());
            assertEquals(List.of("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof"), s.files());
            run(s.engine(), 1);
            s.rewrite();
            Kv.run(s.engine(), 2, "SET last one");
            want = KvModelProperties.dump(s.engine().snapshot());
        }
        try (var ls = Files.list(dir.resolve("appendonlydir"))) {
            assertEquals(List.of("appendonly.aof.3.base.rdb", "appendonly.aof.3.incr.aof", "appendonly.aof.manifest"),
                    ls.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.EVERYSEC))) {
            assertEquals(want, KvModelProperties.dump(s.engine().snapshot()));
        }
    }

    @Test
    void replicationPositionSurvivesRestartAndRewrite() throws IOException {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        String id = "8f3b0c9d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            assertNull(s.replicationId());
            Kv.run(s.engine(), 0, "SET a 1");
            assertTrue(s.replication(id, 1234, 0));
        }
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            assertEquals(id, s.replicationId());
            assertEquals(1234, s.replicationOffset());
            s.rewrite();
        }
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            assertEquals(id, s.replicationId());
            assertEquals(1234, s.replicationOffset());
            s.replication(id, 2000, 3);
        }
        try (KvStore s = KvStore.open(dir, KvStore.Options.defaults().withReadOnly(true))) {
            assertEquals(2000, s.replicationOffset());
            assertEquals(3, s.replicationDb());
            assertNotNull(s.engine());
            assertNull(s.log());
        }
    }

    @Test
    void fieldTtlsMakeTheBaseRdb12() throws IOException {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        String want;
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.NO))) {
            Kv.run(s.engine(), 0, "HSET h a 1 b 2");
            assertEquals("[:1]", Kv.run(s.engine(), 0, "HEXPIRE h 100 FIELDS 1 a"));
            KvStore.RewriteStats st = s.rewrite();
            assertEquals(12, st.rdbVersion());
            want = KvModelProperties.dump(s.engine().snapshot());
        }
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.NO))) {
            assertEquals(want, KvModelProperties.dump(s.engine().snapshot()));
            assertEquals(":100", Kv.run(s.engine(), 0, "HTTL h FIELDS 1 a").replace("[", "").replace("]", ""));
        }
    }

    @Test
    void deferredCommandsAreDurableAfterAwait() throws IOException {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            for (int i = 0; i < 100; i++) {
                s.engine().executeDeferred(0, Kv.argv("RPUSH l " + i));
            }
            assertTrue(s.engine().awaitDurable());
            long written = s.log().stats()[0];
            assertEquals(Files.size(dir.resolve("appendonlydir/appendonly.aof.1.incr.aof")), written);
            assertTrue(s.log().stats()[1] <= 100, "grouped fsyncs");
        }
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.ALWAYS))) {
            assertEquals(":100", Kv.run(s.engine(), 0, "LLEN l"));
        }
    }

    @Test
    void bulkLoadUnloggedThenRewritten() throws Exception {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.EVERYSEC))) {
            s.unlogged(() -> {
                run(s.engine(), 0);
                return null;
            });
            assertEquals(0, Files.size(dir.resolve("appendonlydir/appendonly.aof.2.incr.aof")));
            Kv.run(s.engine(), 0, "SET after load");
        }
        try (KvStore s = KvStore.open(dir, opts(clock, AofLog.Fsync.EVERYSEC))) {
            assertEquals("\"load\"", Kv.run(s.engine(), 0, "GET after"));
            assertEquals("\"hello_world\"", Kv.run(s.engine(), 0, "GET s1"));
        }
    }
}
