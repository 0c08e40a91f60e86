package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code redkit migrate SOURCE --to redis://...} into a real redis-server 7.0 (issue 7, acceptance 1, 4 and 5 for a
 * standalone target): every fixture a 7.0 server loads ends up in the target exactly as a server that loaded the
 * fixture holds it (by RESTORE, and again with {@code --no-restore} by rebuilt commands); RDB 11/12 fixtures fall
 * back to commands and equal their expected content except what 7.0 cannot hold (hash field TTLs, reported); big
 * values go in chunks; conflicts follow --replace / --skip-existing / fail; the target killed (kill -9) and
 * restarted mid-migration ends complete.
 */
class MigrateRedisIT {
    private static final RedkitCli CLI = RedkitCli.inProcess();
    private static RedisServerProcess target;

    @TempDir
    static Path shared;

    @BeforeAll
    static void startTarget() throws IOException {
        ItEnv.requireRedis();
        target = RedisServerProcess.start(shared.resolve("target"));
    }

    @AfterAll
    static void stopTarget() {
        if (target != null) {
            target.close();
        }
    }

    @BeforeEach
    void emptyTarget() throws IOException {
        try (RespClient c = target.client()) {
            c.call("FLUSHALL");
            c.call("FUNCTION", "FLUSH");
        }
    }

    static List<Path> fixtures() throws IOException {
        return Fixtures.loadableByRedis70(ItEnv.fixtures());
    }

    /** RDB 11 and 12 fixtures with a server-made expected content and no module key (7.0 cannot RESTORE them). */
    static List<Path> newerFixtures() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ItEnv.fixtures().resolve("rdb"), "*.rdb")) {
            for (Path f : ds) {
                int v = Fixtures.redisRdbVersion(f);
                Path exp = Fixtures.expectedJsonl(f);
                if ((v == 11 || v == 12) && Files.isRegularFile(exp) && !Files.readString(exp).contains("\"module\"")
                        && !f.getFileName().toString().contains("module")) {
                    out.add(f);
                }
            }
        }
        out.sort(null);
        return out;
    }

    private String to() {
        return "redis://127.0.0.1:" + target.port();
    }

    private record Reference(List<Map<String, Object>> data, List<Object> functions) {
    }

    private static final Map<Path, Reference> REFERENCES = new ConcurrentHashMap<>();

    private static Reference reference(Path fixture, Path tmp) throws IOException {
        Reference known = REFERENCES.get(fixture);
        if (known != null) {
            return known;
        }
        Reference r = load(fixture, tmp);
        REFERENCES.put(fixture, r);
        return r;
    }

    private static Reference load(Path fixture, Path tmp) throws IOException {
        Path dir = tmp.resolve("ref");
        Files.createDirectories(dir);
        Files.copy(fixture, dir.resolve("dump.rdb"));
        try (RedisServerProcess s = RedisServerProcess.start(dir); RespClient c = s.client()) {
            return new Reference(Snapshot.take(c), Snapshot.functions(c));
        }
    }

    private void assertTargetHolds(Reference ref) throws IOException {
        try (RespClient c = target.client()) {
            assertNull(Snapshot.diff(ref.data(), Snapshot.take(c), 5), "target after the migration");
            assertEquals(ref.functions(), Snapshot.functions(c), "function libraries");
        }
    }

    @ParameterizedTest(name = "RESTORE: {0}")
    @MethodSource("fixtures")
    void everyFixtureIsCopiedByRestore(Path fixture, @TempDir Path tmp) throws Exception {
        Reference ref = reference(fixture, tmp);
        RedkitCli.Result r = CLI.run("migrate", fixture.toString(), "--to", to(), "--no-progress").check();
        assertTargetHolds(ref);
        assertTrue(r.out().contains("keys " + String.format(java.util.Locale.ROOT, "%,d", ref.data().size())),
                "report counts every key: " + r.out());
    }

    @ParameterizedTest(name = "commands: {0}")
    @MethodSource("fixtures")
    void everyFixtureIsCopiedByCommands(Path fixture, @TempDir Path tmp) throws Exception {
        Reference ref = reference(fixture, tmp);
        CLI.run("migrate", fixture.toString(), "--to", to(), "--no-progress", "--no-restore").check();
        try (RespClient c = target.client()) {
            // a PEL entry whose stream entry was deleted cannot be rebuilt by XCLAIM in 7.0: compared without groups
            String d = Snapshot.diff(withoutDanglingPel(ref.data()), withoutDanglingPel(Snapshot.take(c)), 5);
            assertNull(d, "target after the migration");
            assertEquals(ref.functions(), Snapshot.functions(c), "function libraries");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> withoutDanglingPel(List<Map<String, Object>> data) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> rec : data) {
            if ("stream".equals(rec.get("type"))) {
                Map<String, Object> r = new LinkedHashMap<>(rec);
                Map<String, Object> v = new LinkedHashMap<>((Map<String, Object>) rec.get("value"));
                List<Object> groups = new ArrayList<>();
                for (Object g : (List<?>) v.get("groups")) {
                    Map<String, Object> gm = new LinkedHashMap<>((Map<String, Object>) g);
                    gm.remove("pending");
                    List<Object> consumers = new ArrayList<>();
                    for (Object cons : (List<?>) gm.get("consumers")) {
                        consumers.add(((List<?>) cons).get(0));
                    }
                    gm.put("consumers", consumers);
                    groups.add(gm);
                }
                v.put("groups", groups);
                r.put("value", v);
                out.add(r);
            } else {
                out.add(rec);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "RDB 11/12 into 7.0: {0}")
    @MethodSource("newerFixtures")
    void newerFixturesFallBackToCommands(Path fixture) throws Exception {
        RedkitCli.Result r = CLI.run("migrate", fixture.toString(), "--to", to(), "--no-progress").check();
        String expectedText = Files.readString(Fixtures.expectedJsonl(fixture));
        boolean fieldTtls = expectedText.contains("\"field_expire_ms\"");
        long now = System.currentTimeMillis();
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Object o : JsonScanner.parseLines(expectedText)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rec = (Map<String, Object>) o;
            Object exp = rec.get("expire_ms");
            if (exp instanceof Number n && n.longValue() <= now + 5_000) {
                continue; // expired (or about to) by now: not copied
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("db", "key", "type", "expire_ms", "value")) {
                m.put(k, rec.get(k));
            }
            expected.add(m);
        }
        try (RespClient c = target.client()) {
            List<Map<String, Object>> actual = new ArrayList<>();
            for (Map<String, Object> rec : Snapshot.take(c)) {
                Object exp = rec.get("expire_ms");
                if (exp instanceof Number n && n.longValue() <= now + 5_000) {
                    continue;
                }
                actual.add(rec);
            }
            assertNull(Snapshot.diff(withoutDanglingPel(expected), withoutDanglingPel(actual), 5),
                    "target after the migration");
        }
        Matcher m = Pattern.compile("by RESTORE\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(r.out().contains("(0 by RESTORE)"), "RDB " + Fixtures.redisRdbVersion(fixture)
                + " cannot be restored into 7.0: " + r.out());
        if (fieldTtls) {
            assertTrue(r.stderr().contains("hash field TTLs are not representable"), r.stderr());
            assertTrue(!r.out().contains(" 0 unsupported"), "reported as unsupported: " + r.out());
        }
    }

    static List<Path> aofCases() throws IOException {
        List<Path> out = new ArrayList<>();
        try (java.util.stream.Stream<Path> st = Files.list(ItEnv.fixtures().resolve("aof"))) {
            st.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".aof")).sorted()
                    .forEach(out::add);
        }
        return out;
    }

    /**
     * Every AOF fixture (files, RDB preambles, multi-part directories) replayed into the target holds its expected
     * content; what 7.0 refuses (the module case's RESTOREs without the module, 7.4 hash field TTL commands, a
     * pre-release FUNCTION syntax) is counted as command errors, and those keys or TTLs are left out.
     */
    @ParameterizedTest(name = "AOF: {0}")
    @MethodSource("aofCases")
    void everyAofFixtureIsReplayed(Path aofCase) throws Exception {
        String name = aofCase.getFileName().toString();
        String base = name.endsWith(".aof") ? name.substring(0, name.length() - 4) : name;
        RedkitCli.Result r = CLI.run("migrate", aofCase.toString(), "--to", to(), "--no-progress").check();
        List<Object> expected = JsonScanner.parseLines(Files.readString(aofCase.resolveSibling(base
                + ".expected.jsonl")));
        boolean refused = name.equals("replicator-appendonly6.aof") || name.startsWith("r74-")
                || name.equals("replicator-appendonly-with-ts.aof");
        expected.removeIf(o -> "module".equals(((Map<?, ?>) o).get("type")));
        if (name.startsWith("r74-")) {
            for (Object o : expected) {
                ((Map<?, ?>) o).remove("field_expire_ms");
            }
        }
        long now = System.currentTimeMillis();
        List<Object> live = new ArrayList<>();
        for (Object o : expected) {
            Object exp = ((Map<?, ?>) o).get("expire_ms");
            if (exp == null || ((Number) exp).longValue() > now + 1000) {
                live.add(o);
            }
        }
        try (RespClient c = target.client()) {
            List<Map<String, Object>> actual = new ArrayList<>(Snapshot.take(c));
            actual.removeIf(k -> {
                Object exp = k.get("expire_ms");
                return exp != null && ((Number) exp).longValue() <= now + 1000;
            });
            assertNull(Snapshot.diff(live, actual, 5), "target vs " + base + ".expected.jsonl");
            Path fn = aofCase.resolveSibling(base + ".functions.json");
            if (Files.exists(fn)) {
                assertEquals(JsonScanner.parse(Files.readString(fn)), Snapshot.functions(c), "function libraries");
            }
        }
        if (!refused) {
            assertTrue(r.out().contains(" 0 command errors"), r.out());
        }
    }

    @Test
    void rateLimitsKeysPerSecond(@TempDir Path tmp) throws Exception {
        Path rdb;
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("src")); RespClient c = s.client()) {
            for (int i = 0; i < 1500; i++) {
                c.send("SET", "k" + i, "v");
            }
            c.flush();
            for (int i = 0; i < 1500; i++) {
                c.read();
            }
            rdb = s.save();
        }
        long t0 = System.nanoTime();
        CLI.run("migrate", rdb.toString(), "--to", to(), "--no-progress", "--rate", "1000").check();
        double secs = (System.nanoTime() - t0) / 1e9;
        // a lower bound only: 1500 keys at 1000 a second cannot take less than about 1.5 s
        assertTrue(secs >= 1.4, "took " + secs + " s");
        try (RespClient c = target.client()) {
            assertEquals(1500L, c.call("DBSIZE"));
        }
    }

    @Test
    void aTlsTargetWithAnAclUserAndASentinelNamedMaster(@TempDir Path tmp) throws Exception {
        Path small = ItEnv.fixtures().resolve("rdb").resolve("r70-small.rdb");
        Reference ref = reference(small, tmp.resolve("reference"));
        Path dir = tmp.resolve("tls");
        TestTls tls = TestTls.make(dir);
        int tlsPort = RedisServerProcess.freePort();
        // the plain port stays open (no password for the default user) for the helper and the comparison
        try (RedisServerProcess s = RedisServerProcess.start(dir, tls.serverArgs(tlsPort,
                "--user", "alice", "on", ">s3cret", "~*", "&*", "+@all"))) {
            String uri = "rediss://alice:s3cret@127.0.0.1:" + tlsPort;
            CLI.run("migrate", small.toString(), "--to", uri, "--no-progress", "--to-tls-ca",
                    tls.cert().toString()).check();
            try (RespClient c = s.client()) {
                assertNull(Snapshot.diff(ref.data(), Snapshot.take(c), 5), "TLS target");
                c.call("FLUSHALL");
            }
            RedkitCli.Result wrong = CLI.run("migrate", small.toString(), "--to", "rediss://alice:nope@127.0.0.1:"
                    + tlsPort, "--no-progress", "--to-tls-ca", tls.cert().toString());
            assertEquals(3, wrong.exitCode(), wrong.stderr());
            assertTrue(wrong.stderr().contains("authentication failed"), wrong.stderr());
        }
        // a Sentinel names the master to write to
        int sentinelPort = RedisServerProcess.freePort();
        Path conf = tmp.resolve("sentinel.conf");
        Files.writeString(conf, "port " + sentinelPort + "\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 "
                + target.port() + " 1\n");
        Process sentinel = new ProcessBuilder("redis-server", conf.toString(), "--sentinel").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("sentinel.log").toFile()).start();
        try {
            awaitPing(sentinel, sentinelPort);
            CLI.run("migrate", small.toString(), "--to", "redis-sentinel://127.0.0.1:" + sentinelPort + "/mymaster",
                    "--no-progress").check();
            assertTargetHolds(ref);
        } finally {
            sentinel.destroyForcibly().waitFor();
        }
    }

    private static void awaitPing(Process p, int port) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (!p.isAlive()) {
                throw new IOException("the process exited with " + p.exitValue());
            }
            try (RespClient c = new RespClient(port)) {
                if ("PONG".equals(c.call("PING"))) {
                    return;
                }
            } catch (IOException | RespClient.RespError e) {
                // not ready yet
            }
            Thread.sleep(20);
        }
        throw new IOException("no PONG on port " + port);
    }

    @Test
    void conflictsFailSkipOrReplace(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        Path rdb;
        try (RedisServerProcess s = RedisServerProcess.start(src); RespClient c = s.client()) {
            c.call("SET", "a", "new-a");
            c.call("RPUSH", "l", "x", "y");
            c.call("SET", "b", "new-b");
            rdb = s.save();
        }
        try (RespClient c = target.client()) {
            c.call("SET", "a", "old-a");
            c.call("SET", "l", "old-l");
        }
        for (String mode : List.of("", "--no-restore")) {
            List<String> args = new ArrayList<>(List.of("migrate", rdb.toString(), "--to", to(), "--no-progress"));
            if (!mode.isEmpty()) {
                args.add(mode);
            }
            RedkitCli.Result fail = CLI.run(args.toArray(new String[0]));
            assertEquals(1, fail.exitCode(), fail.stderr());
            assertTrue(fail.stderr().contains("already holds it") && fail.stderr().matches("(?s).*key (a|l|b) .*"),
                    fail.stderr());

            try (RespClient c = target.client()) {
                assertTrue(((List<?>) c.call("KEYS", "redkit:tmp:*")).isEmpty(), "no scratch key left by a conflict");
            }
            // whether the failed run wrote b depends on how far the pipeline got before the conflict's reply
            long bWritten;
            try (RespClient c = target.client()) {
                bWritten = (Long) c.call("EXISTS", "b");
            }
            args.add("--skip-existing");
            RedkitCli.Result skip = CLI.run(args.toArray(new String[0])).check();
            try (RespClient c = target.client()) {
                assertTrue(((List<?>) c.call("KEYS", "redkit:tmp:*")).isEmpty(), "no scratch key left by a skip");
            }
            assertTrue(skip.out().contains((2 + bWritten) + " existing"), skip.out());
            try (RespClient c = target.client()) {
                assertEquals("old-a", RespClient.text(c.call("GET", "a")));
                assertEquals("old-l", RespClient.text(c.call("GET", "l")));
                assertEquals("new-b", RespClient.text(c.call("GET", "b")));
            }
            args.set(args.size() - 1, "--replace");
            CLI.run(args.toArray(new String[0])).check();
            try (RespClient c = target.client()) {
                assertEquals("new-a", RespClient.text(c.call("GET", "a")));
                assertEquals(2L, c.call("LLEN", "l"));
                c.call("SET", "a", "old-a");
                c.call("DEL", "l");
                c.call("SET", "l", "old-l");
            }
        }
    }

    @Test
    void bigValuesGoInBoundedChunksAndKeepTheirTtl(@TempDir Path tmp) throws Exception {
        List<Map<String, Object>> expected;
        Path rdb;
        long at = System.currentTimeMillis() + 3_600_000;
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("src")); RespClient c = s.client()) {
            for (int i = 0; i < 30; i++) {
                List<Object> args = new ArrayList<>(List.of("RPUSH", "biglist"));
                List<Object> h = new ArrayList<>(List.of("HSET", "bighash"));
                List<Object> z = new ArrayList<>(List.of("ZADD", "bigzset"));
                List<Object> st = new ArrayList<>(List.of("SADD", "bigset"));
                for (int j = 0; j < 1000; j++) {
                    int n = i * 1000 + j;
                    args.add("e" + n);
                    h.add("f" + n);
                    h.add("v" + n);
                    z.add(n * 0.5);
                    z.add("m" + n);
                    st.add("s" + n);
                }
                c.call(args.toArray());
                c.call(h.toArray());
                c.call(z.toArray());
                c.call(st.toArray());
            }
            byte[] big = new byte[3 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            c.call("SET", "bigstring", big);
            for (int i = 0; i < 3000; i++) {
                c.call("XADD", "bigstream", "*", "n", Integer.toString(i));
            }
            c.call("XGROUP", "CREATE", "bigstream", "g", "0");
            c.call("XREADGROUP", "GROUP", "g", "alice", "COUNT", "10", "STREAMS", "bigstream", ">");
            c.call("PEXPIREAT", "biglist", at);
            c.call("PEXPIREAT", "bigstring", at);
            expected = Snapshot.take(c);
            rdb = s.save();
        }
        RedkitCli.Result r = CLI.run("migrate", rdb.toString(), "--to", to(), "--no-progress").check();
        try (RespClient c = target.client()) {
            assertNull(Snapshot.diff(expected, Snapshot.take(c), 5), "target after the migration");
            List<?> keys = (List<?>) c.call("KEYS", "redkit:tmp:*");
            assertTrue(keys.isEmpty(), "no scratch key left: " + keys.size());
        }
        assertTrue(r.out().contains("(0 by RESTORE)"), "big values are never one RESTORE: " + r.out());
    }

    @Test
    void packedValuesGoByTheirRawPayloadWithTheKeyFilterApplied(@TempDir Path tmp) throws Exception {
        // packed values (listpack, intset) are checked by the reader without their parts and restored from their raw
        // payload; the filter's rejected keys must not disturb the events that follow
        List<Map<String, Object>> expected;
        Path rdb;
        long at = System.currentTimeMillis() + 3_600_000;
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("src")); RespClient c = s.client()) {
            for (String p : List.of("keep:", "drop:")) {
                c.call("HSET", p + "hash", "f1", "v1", "f2", "22", "f3", "-3");
                c.call("ZADD", p + "zset", "1.5", "a", "-2", "b", "12345678.125", "c");
                c.call("SADD", p + "ints", "1", "2", "300000", "-7");
                c.call("RPUSH", p + "list", "x", "y", "42");
                c.call("SET", p + "str", "value of " + p);
            }
            c.call("PEXPIREAT", "keep:zset", at);
            rdb = s.save();
            c.call("DEL", "drop:hash", "drop:zset", "drop:ints", "drop:list", "drop:str");
            expected = Snapshot.take(c);
        }
        RedkitCli.Result r = CLI.run("migrate", rdb.toString(), "--to", to(), "--no-progress", "--key", "keep:*")
                .check();
        try (RespClient c = target.client()) {
            assertNull(Snapshot.diff(expected, Snapshot.take(c), 5), "target after the migration");
        }
        assertTrue(r.out().contains("keys 5 (4 by RESTORE)"), "report: " + r.out());
    }

    @Test
    void aPackedValueBiggerThanTheRawPayloadCaptureIsRebuiltFromItsParts(@TempDir Path tmp) throws Exception {
        // a source configured for big listpacks: a 10 MB hash stays one listpack, beyond the reader's 8 MiB capture
        List<Map<String, Object>> expected;
        Path rdb;
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("src"), "--hash-max-listpack-value",
                "100000000", "--hash-max-listpack-entries", "1000"); RespClient c = s.client()) {
            // random bytes: the RDB's LZF cannot shrink the listpack below the capture
            byte[] big = new byte[5 << 20];
            new java.util.Random(7).nextBytes(big);
            c.call("HSET", "bighash", "f1", big, "f2", big);
            c.call("HSET", "small", "f", "v");
            assertEquals("listpack", RespClient.text(c.call("OBJECT", "ENCODING", "bighash")));
            rdb = s.save();
            expected = Snapshot.take(c);
        }
        RedkitCli.Result r = CLI.run("migrate", rdb.toString(), "--to", to(), "--no-progress").check();
        try (RespClient c = target.client()) {
            assertNull(Snapshot.diff(expected, Snapshot.take(c), 5), "target after the migration");
        }
        assertTrue(r.out().contains("keys 2 (1 by RESTORE)"), "report: " + r.out());
    }

    @Test
    void aofCommandsAndTransactionsAreReplayed(@TempDir Path tmp) throws Exception {
        List<Map<String, Object>> expected;
        Path dir = tmp.resolve("src");
        try (RedisServerProcess s = RedisServerProcess.start(dir, "--appendonly", "yes", "--aof-use-rdb-preamble",
                "no"); RespClient c = s.client()) {
            for (int i = 0; i < 200; i++) {
                c.call("INCR", "counter");
                c.call("RPUSH", "l", "x" + i);
                c.call("HSET", "h" + (i % 7), "f" + i, "v");
            }
            c.call("MULTI");
            c.call("SET", "t1", "a");
            c.call("INCRBY", "t2", "5");
            c.call("EXEC");
            c.call("SELECT", "3");
            c.call("SET", "in3", "x", "PX", "3600000");
            c.call("SELECT", "0");
            c.call("DEL", "h0");
            expected = Snapshot.take(c);
        }
        Path aofDir = dir.resolve("appendonlydir");
        CLI.run("migrate", aofDir.toString(), "--to", to(), "--no-progress").check();
        try (RespClient c = target.client()) {
            List<Map<String, Object>> actual = Snapshot.take(c);
            assertNull(Snapshot.diff(withoutTtl(expected), withoutTtl(actual), 5), "target after the migration");
        }
    }

    /** Relative TTLs of an AOF are applied at replay time: compared without them. */
    private static List<Map<String, Object>> withoutTtl(List<Map<String, Object>> data) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> rec : data) {
            Map<String, Object> m = new LinkedHashMap<>(rec);
            m.put("expire_ms", m.get("expire_ms") == null ? null : "set");
            out.add(m);
        }
        return out;
    }

    @Test
    void targetKilledAndRestartedMidMigrationEndsComplete(@TempDir Path tmp) throws Exception {
        Path rdb;
        List<Map<String, Object>> expected;
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("src"), "--enable-debug-command", "yes");
                RespClient c = s.client()) {
            c.call("DEBUG", "POPULATE", "20000", "k", "20");
            for (int i = 0; i < 100; i++) {
                List<Object> args = new ArrayList<>(List.of("RPUSH", "list" + i));
                for (int j = 0; j < 2000; j++) {
                    args.add("e" + j);
                }
                c.call(args.toArray());
            }
            expected = Snapshot.take(c);
            rdb = s.save();
        }
        Path dir = tmp.resolve("durable");
        Files.createDirectories(dir);
        int port = RedisServerProcess.freePort();
        Process t = startDurable(dir, port);
        Process restarted = null;
        try {
            CompletableFuture<RedkitCli.Result> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return CLI.run("migrate", rdb.toString(), "--to", "redis://127.0.0.1:" + port, "--no-progress",
                            "--rate", "10000", "--retry-timeout", "60");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (RespClient c = new RespClient(port)) {
                while (RespClient.integer(c.call("DBSIZE")) < 5_000) {
                    assertTrue(!run.isDone(), "the migration ended before the kill: " + (run.isDone() ? run.join()
                            .stderr() : ""));
                    Thread.sleep(20);
                }
            }
            t.destroyForcibly().waitFor(); // SIGKILL: the server keeps only what it fsynced
            restarted = startDurable(dir, port);
            RedkitCli.Result r = run.join().check();
            assertTrue(r.stderr().contains("reconnecting"), r.stderr());
            Matcher m = Pattern.compile("retries (\\d+)").matcher(r.out());
            assertTrue(m.find() && Long.parseLong(m.group(1)) >= 1, r.out());
            try (RespClient c = new RespClient(port)) {
                assertNull(Snapshot.diff(expected, Snapshot.take(c), 5), "target after kill -9 and restart");
                assertTrue(((List<?>) c.call("KEYS", "redkit:tmp:*")).isEmpty(), "no scratch key left");
            }
        } finally {
            t.destroyForcibly().waitFor();
            if (restarted != null) {
                restarted.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void followKeepsTheTargetInSyncAndResumesFromItsCheckpoint(@TempDir Path tmp) throws Exception {
        RedkitCli jar = RedkitCli.defaults();
        Path cp = tmp.resolve("position");
        try (RedisServerProcess master = RedisServerProcess.start(tmp.resolve("master"), "--repl-backlog-size",
                "64mb")) {
            try (RespClient c = master.client()) {
                for (int i = 0; i < 2000; i++) {
                    c.send("SET", "pre:" + i, "v" + i);
                }
                c.flush();
                for (int i = 0; i < 2000; i++) {
                    c.read();
                }
            }
            String[] args = {"migrate", "redis://127.0.0.1:" + master.port(), "--to", to(), "--follow",
                "--checkpoint", cp.toString(), "--replace", "--no-progress"};
            for (int round = 0; round < 2; round++) {
                Path errFile = tmp.resolve("err" + round);
                Process p = new ProcessBuilder(jar.command(args)).redirectOutput(tmp.resolve("out" + round).toFile())
                        .redirectError(errFile.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                java.util.function.Supplier<String> err = () -> {
                    try {
                        return Files.readString(errFile);
                    } catch (IOException e) {
                        return e.toString();
                    }
                };
                try (RespClient c = master.client()) {
                    for (int i = 0; i < 500; i++) {
                        c.call("INCR", "n:" + (i % 17));
                        c.call("RPUSH", "l:" + round, Integer.toString(i));
                        c.call("HSET", "h", "f" + i, Integer.toString(round));
                        c.call("EXPIRE", "pre:" + i, "3600");
                        if (i % 50 == 0) {
                            c.call("MULTI");
                            c.call("DEL", "pre:" + (1000 + i));
                            c.call("SADD", "s", "m" + i);
                            c.call("EXEC");
                        }
                    }
                    c.call("SET", "marker", Integer.toString(round));
                }
                try (RespClient t = target.client()) {
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (!Integer.toString(round).equals(RespClient.text(t.call("GET", "marker")))) {
                        assertTrue(p.isAlive(), "migrate --follow ended: " + err.get());
                        assertTrue(System.nanoTime() < deadline, "the target did not catch up: " + err.get());
                        Thread.sleep(20);
                    }
                }
                // the marker's arrival does not order keys replayed after a lost connection: wait for convergence
                String difference = Snapshot.diff(Snapshot.take(master.port()), Snapshot.take(target.port()), 5);
                for (long until = System.nanoTime() + 30_000_000_000L; difference != null && System.nanoTime() < until;) {
                    Thread.sleep(100);
                    difference = Snapshot.diff(Snapshot.take(master.port()), Snapshot.take(target.port()), 5);
                }
                assertNull(difference, "target in sync with the master, round " + round + ": " + err.get());
                p.destroy(); // SIGTERM: the normal end of --follow
                assertEquals(0, RedkitCli.waitFor(p), err.get());
                assertTrue(Files.isRegularFile(cp), "checkpoint written");
                if (round == 1) {
                    assertTrue(!err.get().contains("full resync"), "the restart resumed from the checkpoint: "
                            + err.get());
                }
            }
        }
    }

    /** A redis-server with an fsync-always AOF on a given port (a restart must come back where it was). */
    private static Process startDurable(Path dir, int port) throws Exception {
        Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString(),
                "--logfile", "", "--daemonize", "no").redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        for (int i = 0; i < 3000; i++) {
            if (!p.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try (RespClient c = new RespClient(port)) {
                if ("PONG".equals(c.call("PING"))) {
                    return p;
                }
            } catch (IOException | RespClient.RespError e) {
                // not ready yet
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IOException("redis-server on port " + port + " did not answer");
    }
}
