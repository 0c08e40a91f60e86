package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.Limits;
import io.redkit.core.Slots;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StringPart;
import io.redkit.core.sink.EventSource;
import io.redkit.live.scan.ScanOptions;
import io.redkit.live.scan.ScanSource;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.encoding.Crc64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code redkit diff} with a live side: a redis-server that loaded a fixture is the same as the fixture (every
 * fixture a stock 7.0 loads), and after one value is changed differs in exactly that key; a 3-master cluster loaded with the fixture's db 0 (RESTORE of
 * each key on the master of its slot) is the same as the fixture's db 0; a TLS server is read with its CA and refused
 * without it. The scan source itself streams big values in bounded chunks and honours skipValue. Keys past their
 * expiry are dropped by servers, so the fixture side is read with {@code --not-expired}.
 */
class DiffLiveIT {
    private static final String FIXTURE = "r70-mixed.rdb";

    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.fixtures();
    }

    private static Path fixture() {
        return ItEnv.fixtures().resolve("rdb").resolve(FIXTURE);
    }

    @Test
    void aServerLoadedWithAFixtureIsTheSameAndOneChangedValueIsExactlyOneDifference(@TempDir Path tmp)
            throws Exception {
        // the server loads the fixture itself: `dump -f resp | redis-cli --pipe` cannot rebuild every stream PEL
        Files.createDirectories(tmp.resolve("server"));
        Files.copy(fixture(), tmp.resolve("server").resolve("fixture.rdb"));
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("server"), "--dbfilename", "fixture.rdb")) {
            String uri = "redis://127.0.0.1:" + s.port();
            RedkitCli.Result same = RedkitCli.inProcess().run("diff", fixture().toString(), uri,
                    "--not-expired", "--no-progress");
            assertEquals(0, same.exitCode(), same.out() + same.stderr());
            assertTrue(same.out().contains("(live server (SCAN))"), same.out());
            assertTrue(same.out().contains("same: all"), same.out());

            // the first string key of db 1 gets another value (its TTL kept)
            byte[] changed = firstStringKey(s, 1);
            try (RespClient c = s.client()) {
                c.call("SELECT", "1");
                c.call("SET", changed, "a value no fixture has", "KEEPTTL");
            }
            RedkitCli.Result diff = RedkitCli.inProcess().run("diff", fixture().toString(), uri,
                    "--not-expired", "--no-progress", "-f", "jsonl", "--scan-batch", "7");
            assertEquals(1, diff.exitCode(), diff.out() + diff.stderr());
            String[] lines = diff.out().split("\n");
            assertEquals(2, lines.length, diff.out());
            assertTrue(lines[0].contains("\"different\": 1,") && lines[0].contains("\"value\": 1,")
                    && lines[0].contains("\"missing\": 0,") && lines[0].contains("\"extra\": 0,"), lines[0]);
            String key = new String(changed, StandardCharsets.UTF_8);
            assertTrue(lines[1].startsWith("{\"diff\": [\"value\"], \"db\": 1, \"key\": \"" + key + "\""), lines[1]);
        }
    }

    /** Every fixture a stock 7.0 loads, loaded in turn by one server (DEBUG RELOAD), reads back the same by SCAN. */
    @Test
    void everyFixtureRedis70LoadsIsReadBackTheSame(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("server");
        List<Path> all = Fixtures.loadableByRedis70(ItEnv.fixtures());
        assertTrue(all.size() > 20, "fixtures: " + all);
        List<String> failures = new ArrayList<>();
        try (RedisServerProcess s = RedisServerProcess.start(dir, "--dbfilename", "fixture.rdb",
                "--enable-debug-command", "yes")) {
            String uri = "redis://127.0.0.1:" + s.port();
            for (Path f : all) {
                Files.copy(f, dir.resolve("fixture.rdb"), StandardCopyOption.REPLACE_EXISTING);
                try (RespClient c = s.client()) {
                    assertEquals("OK", c.call("DEBUG", "RELOAD", "NOSAVE"), f.toString());
                }
                RedkitCli.Result r = RedkitCli.inProcess().run("diff", f.toString(), uri, "--not-expired",
                        "--no-progress");
                if (r.exitCode() != 0) {
                    failures.add(f.getFileName() + ": " + r.out() + r.stderr());
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void aClusterHoldingTheFixturesDb0IsTheSame(@TempDir Path tmp) throws Exception {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(tmp.resolve("cluster"), 3)) {
            long restored = restoreDb0(fixture(), cluster);
            assertEquals(restored, cluster.dbsize());
            RedkitCli.Result r = RedkitCli.inProcess().run("diff", fixture().toString(), cluster.uri(),
                    "--db", "0", "--not-expired", "--no-progress");
            assertEquals(0, r.exitCode(), r.out() + r.stderr());
            assertTrue(r.out().contains("Redis Cluster, 3 master(s) (SCAN)"), r.out());
            assertTrue(r.out().contains(String.format("%,d keys", restored)), r.out());
        }
    }

    @Test
    void aTlsServerIsReadWithItsCaAndRefusedWithoutIt(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("server");
        TestTls tls = TestTls.make(dir);
        Path small = ItEnv.fixtures().resolve("rdb").resolve("r70-small.rdb");
        Files.copy(small, dir.resolve("fixture.rdb"));
        int tlsPort = RedisServerProcess.freePort();
        // the plain port stays open for the helper's PING; the diff goes through the TLS port
        try (RedisServerProcess s = RedisServerProcess.start(dir, tls.serverArgs(tlsPort, "--dbfilename", "fixture.rdb"))) {
            String uri = "rediss://127.0.0.1:" + tlsPort;
            RedkitCli.Result ok = RedkitCli.inProcess().run("diff", small.toString(), uri, "--not-expired",
                    "--no-progress", "--tls-ca", tls.cert().toString());
            assertEquals(0, ok.exitCode(), ok.out() + ok.stderr());
            RedkitCli.Result untrusted = RedkitCli.inProcess().run("diff", small.toString(), uri, "--no-progress");
            assertEquals(3, untrusted.exitCode(), untrusted.out() + untrusted.stderr());
        }
    }

    @Test
    void theScanSourceStreamsBigValuesInBoundedChunksAndSkipsWhatItIsToldTo(@TempDir Path tmp) throws Exception {
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("server"))) {
            byte[] mb = new byte[1 << 20];
            Arrays.fill(mb, (byte) 'x');
            try (RespClient c = s.client()) {
                for (int i = 0; i < 12; i++) {
                    c.send("APPEND", "big:string", mb);
                }
                for (int i = 0; i < 200; i++) {
                    Object[] a = new Object[1002];
                    a[0] = "RPUSH";
                    a[1] = "big:list";
                    for (int j = 0; j < 1000; j++) {
                        a[2 + j] = "e" + (i * 1000 + j);
                    }
                    c.send(a);
                }
                c.send("SELECT", "3");
                c.send("SET", "skipped", "v");
                c.send("SET", "kept", "v", "PXAT", "4102444800000");
                c.flush();
                for (int i = 0; i < 12 + 200 + 3; i++) {
                    c.read();
                }
            }
            Limits limits = Limits.builder().chunkBytes(64 * 1024)
                    .chunkElements(1000).build();
            long stringBytes = 0;
            long listElements = 0;
            int maxChunk = 0;
            Map<String, Long> expiry = new HashMap<>();
            try (ScanSource src = ScanSource.open(
                    "redis://127.0.0.1:" + s.port(), ScanOptions.defaults().withLimits(limits))) {
                String current = null;
                for (Event e = src.next(); e != null; e = src.next()) {
                    if (e instanceof KeyStart ks) {
                        current = new String(ks.header().key(), StandardCharsets.UTF_8);
                        expiry.put(ks.header().db() + ":" + current, ks.header().expireAtMs());
                        if (current.equals("skipped")) {
                            src.skipValue();
                        }
                    } else if (e instanceof StringPart p && "big:string".equals(current)) {
                        stringBytes += p.data().length;
                        maxChunk = Math.max(maxChunk, p.data().length);
                    } else if (e instanceof Elements el && "big:list".equals(current)) {
                        listElements += el.items().size();
                        assertTrue(el.items().size() <= 1000, "elements per chunk: " + el.items().size());
                    }
                }
                assertEquals(4, src.keys());
                assertEquals(0, src.vanished());
            }
            assertEquals(12L << 20, stringBytes);
            assertTrue(maxChunk <= 64 * 1024, "string chunk of " + maxChunk + " bytes");
            assertEquals(200_000, listElements);
            assertEquals(Map.of("0:big:string", -1L, "0:big:list", -1L, "3:skipped", -1L, "3:kept", 4102444800000L),
                    expiry);
        }
    }

    /** The first key of type string with a plain name (JSON needs no escapes) that SCAN finds in {@code db}. */
    private static byte[] firstStringKey(RedisServerProcess s, int db) throws IOException {
        try (RespClient c = s.client()) {
            c.call("SELECT", Integer.toString(db));
            String cursor = "0";
            do {
                List<?> r = (List<?>) c.call("SCAN", cursor, "COUNT", "100");
                cursor = RespClient.text(r.get(0));
                for (Object k : (List<?>) r.get(1)) {
                    if (RespClient.text(k).matches("[A-Za-z0-9:_.-]+")
                            && "string".equals(RespClient.text(c.call("TYPE", k)))) {
                        return (byte[]) k;
                    }
                }
            } while (!cursor.equals("0"));
        }
        throw new AssertionError("no string key in db " + db);
    }

    /**
     * Writes the unexpired keys of db 0 of {@code rdb} into the cluster: each key's raw payload as a DUMP payload,
     * RESTOREd with its absolute TTL on the master of its slot. Returns the keys written.
     */
    static long restoreDb0(Path rdb, RedisClusterProcess cluster) throws IOException {
        Map<Integer, RespClient> byPort = new HashMap<>();
        int[] owner = new int[Slots.COUNT];
        try (RespClient c = cluster.nodes().get(0).client()) {
            for (Object range : (List<?>) c.call("CLUSTER", "SLOTS")) {
                List<?> l = (List<?>) range;
                int port = (int) RespClient.integer(((List<?>) l.get(2)).get(1));
                for (long slot = (Long) l.get(0); slot <= (Long) l.get(1); slot++) {
                    owner[(int) slot] = port;
                }
            }
        }
        long now = System.currentTimeMillis();
        long written = 0;
        Map<RespClient, Integer> pending = new HashMap<>();
        List<RespClient> clients = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(rdb));
             EventSource src = RdbReader.builder(in, rdb.toString()).captureRawPayload(true).build()) {
            for (Event e = src.next(); e != null; e = src.next()) {
                if (!(e instanceof KeyEnd end)) {
                    continue;
                }
                KeyHeader h = end.header();
                if (h.db() != 0 || (h.expireAtMs() >= 0 && h.expireAtMs() <= now)) {
                    continue;
                }
                int port = owner[Slots.slot(h.key())];
                RespClient c = byPort.get(port);
                if (c == null) {
                    c = new RespClient(port);
                    byPort.put(port, c);
                    clients.add(c);
                }
                c.send("RESTORE", h.key(), Long.toString(Math.max(0, h.expireAtMs())), payload(end.rawPayload(), 10),
                        "ABSTTL", "REPLACE");
                pending.merge(c, 1, Integer::sum);
                written++;
            }
            for (RespClient c : clients) {
                c.flush();
                for (int i = pending.getOrDefault(c, 0); i > 0; i--) {
                    assertEquals("OK", c.read());
                }
            }
        } finally {
            for (RespClient c : clients) {
                c.close();
            }
        }
        return written;
    }

    /** A DUMP payload: the type byte and value, the RDB version (2 bytes LE) and the CRC64 of both (8 bytes LE). */
    private static byte[] payload(byte[] raw, int version) {
        byte[] p = new byte[raw.length + 10];
        System.arraycopy(raw, 0, p, 0, raw.length);
        p[raw.length] = (byte) version;
        p[raw.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, p, 0, raw.length + 2);
        for (int i = 0; i < 8; i++) {
            p[raw.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }
}
