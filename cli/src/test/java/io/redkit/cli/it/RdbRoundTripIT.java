package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture a stock Redis 7.0 loads goes through redkit and back into a real redis-server, and the
 * server must then hold exactly what a server that loaded the fixture itself holds (keys, types, TTLs,
 * values, function libraries): (a) {@code redkit dump -f resp FILE > F; redis-cli --pipe < F} into an
 * empty server; (b) {@code redkit dump -f rdb --rdb-version 10 FILE -o X.rdb} loaded by redis-server. Keys whose
 * TTL is already past are dropped by every loading server, so servers are compared, not the fixtures'
 * expected files.
 */
class RdbRoundTripIT {
    private static final int MIN_FIXTURES = 70;
    /** In-process by default (about 80 files, two runs each); {@code -Dredkit.it.cli=jar} runs the fat jar instead. */
    private static final RedkitCli CLI = "jar".equals(System.getProperty("redkit.it.cli"))
            ? RedkitCli.defaults() : RedkitCli.inProcess();
    private static final Map<Path, Reference> REFERENCES = new ConcurrentHashMap<>();
    private static final AtomicInteger RESP_OK = new AtomicInteger();
    private static final AtomicInteger RDB_OK = new AtomicInteger();
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static final AtomicInteger DANGLING_PEL = new AtomicInteger();
    private static final List<String> FAILED = java.util.Collections.synchronizedList(new ArrayList<>());

    @TempDir
    static Path refDir;

    /**
     * What the reference server holds ({@code data}), and what a server rebuilt from commands can hold
     * ({@code viaCommands}): the same minus stream PEL entries whose stream entry was deleted, which no
     * command recreates in Redis 7.0 (XCLAIM ... FORCE drops an ID missing from the stream).
     */
    private record Reference(List<Map<String, Object>> data, List<Map<String, Object>> viaCommands,
            List<Object> functions) {
    }

    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.fixtures();
    }

    static List<Path> fixtures() throws IOException {
        return Fixtures.loadableByRedis70(ItEnv.fixtures());
    }

    @AfterAll
    static void report() {
        int n = REFERENCES.size();
        System.out.printf("RdbRoundTripIT: %d fixtures loaded by the reference server (%d keys); "
                + "resp round trip equal on %d, rdb v10 round trip equal on %d; %d PEL entries of deleted stream "
                + "entries not expected from resp%s%n", n, KEYS.get(), RESP_OK.get(), RDB_OK.get(),
                DANGLING_PEL.get(), FAILED.isEmpty() ? "" : "; failed: " + FAILED);
    }

    @Test
    void theSelectionCoversTheCorpus() throws IOException {
        List<Path> all = fixtures();
        assertTrue(all.size() >= MIN_FIXTURES, "only " + all.size() + " Redis-7.0-loadable fixtures found: " + all);
    }

    @ParameterizedTest(name = "resp | redis-cli --pipe: {0}")
    @MethodSource("fixtures")
    void respPipedIntoAnEmptyServerGivesTheSameDataset(Path fixture, @TempDir Path tmp) throws Exception {
        Reference ref = reference(fixture);
        try (RedisServerProcess target = RedisServerProcess.start(tmp.resolve("target"))) {
            Path resp = tmp.resolve("dump.resp");
            RedkitCli.Result r = CLI.runTo(resp, "dump", "-f", "resp", fixture.toString());
            record(fixture, "resp", () -> {
                r.check();
                target.pipe(resp);
                compare(ref, target, true);
            });
            RESP_OK.incrementAndGet();
        }
    }

    @ParameterizedTest(name = "rdb --rdb-version 10: {0}")
    @MethodSource("fixtures")
    void rdbV10LoadedByRedisGivesTheSameDataset(Path fixture, @TempDir Path tmp) throws Exception {
        Reference ref = reference(fixture);
        Path dir = tmp.resolve("server");
        Files.createDirectories(dir);
        Path out = dir.resolve("redkit.rdb");
        RedkitCli.Result r = CLI.run("dump", "-f", "rdb", "--rdb-version", "10",
                fixture.toString(), "-o", out.toString());
        record(fixture, "rdb", () -> {
            r.check();
            assertTrue(Files.isRegularFile(out), "no file written at " + out);
            assertEquals(10, Fixtures.redisRdbVersion(out), "header of the written file");
        });
        RedisServerProcess server;
        try {
            server = RedisServerProcess.start(dir, "--dbfilename", "redkit.rdb");
        } catch (IOException e) {
            FAILED.add(fixture.getFileName() + " (rdb)");
            throw new AssertionError("redis-server 7.0 refused redkit's RDB for " + fixture.getFileName()
                    + ": " + e.getMessage(), e);
        }
        try (server) {
            record(fixture, "rdb", () -> compare(ref, server, false));
            RDB_OK.incrementAndGet();
        }
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void record(Path fixture, String mode, Check check) throws Exception {
        try {
            check.run();
        } catch (Exception | AssertionError e) {
            FAILED.add(fixture.getFileName() + " (" + mode + ")");
            throw e;
        }
    }

    private static void compare(Reference ref, RedisServerProcess server, boolean viaCommands) throws IOException {
        try (RespClient c = server.client()) {
            List<Map<String, Object>> data = Snapshot.take(c);
            assertNull(Snapshot.diff(viaCommands ? ref.viaCommands() : ref.data(), data, 5),
                    "dataset after the round trip");
            assertEquals(ref.functions(), Snapshot.functions(c), "function libraries after the round trip");
        }
    }

    private static Reference reference(Path fixture) {
        return REFERENCES.computeIfAbsent(fixture, f -> {
            Path dir = refDir.resolve(f.getFileName().toString() + ".ref");
            try {
                Files.createDirectories(dir);
                Files.copy(f, dir.resolve("dump.rdb"));
                try (RedisServerProcess s = RedisServerProcess.start(dir); RespClient c = s.client()) {
                    List<Map<String, Object>> data = Snapshot.take(c);
                    int[] dangling = new int[1];
                    List<Map<String, Object>> viaCommands = withoutDanglingPel(c, data, dangling);
                    Reference ref = new Reference(data, viaCommands, Snapshot.functions(c));
                    KEYS.addAndGet(data.size());
                    DANGLING_PEL.addAndGet(dangling[0]);
                    return ref;
                }
            } catch (IOException e) {
                return fail("the reference redis-server could not load " + f + ": " + e.getMessage(), e);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> withoutDanglingPel(RespClient c, List<Map<String, Object>> data,
            int[] dangling) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> rec : data) {
            if (!"stream".equals(rec.get("type"))) {
                out.add(rec);
                continue;
            }
            Map<String, Object> value = (Map<String, Object>) rec.get("value");
            Set<String> ids = new HashSet<>();
            for (Object e : (List<?>) value.get("entries")) {
                ids.add((String) ((List<?>) e).get(0));
            }
            byte[] key = Snapshot.bytes(rec.get("key"));
            c.call("SELECT", rec.get("db"));
            List<Object> groups = new ArrayList<>();
            for (Object g : (List<?>) value.get("groups")) {
                Map<String, Object> group = new LinkedHashMap<>((Map<String, Object>) g);
                long pending = (Long) group.get("pending");
                Map<String, Long> lost = new HashMap<>();
                if (pending > 0) {
                    List<?> pel = (List<?>) c.call("XPENDING", key, Snapshot.bytes(group.get("name")), "-", "+", pending);
                    for (Object p : pel) {
                        List<?> item = (List<?>) p;
                        if (!ids.contains(RespClient.text(item.get(0)))) {
                            lost.merge(RespClient.text(item.get(1)), 1L, Long::sum);
                        }
                    }
                }
                if (!lost.isEmpty()) {
                    long total = 0;
                    List<Object> consumers = new ArrayList<>();
                    for (Object cons : (List<?>) group.get("consumers")) {
                        List<?> pair = (List<?>) cons;
                        long n = lost.getOrDefault(new String(Snapshot.bytes(pair.get(0)), StandardCharsets.UTF_8), 0L);
                        total += n;
                        consumers.add(List.of(pair.get(0), (Long) pair.get(1) - n));
                    }
                    group.put("consumers", consumers);
                    group.put("pending", pending - total);
                    dangling[0] += (int) total;
                }
                groups.add(group);
            }
            Map<String, Object> v = new LinkedHashMap<>(value);
            v.put("groups", groups);
            Map<String, Object> r = new LinkedHashMap<>(rec);
            r.put("value", v);
            out.add(r);
        }
        c.call("SELECT", 0);
        return out;
    }
}
