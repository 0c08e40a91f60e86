package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * values, function libraries): (a) {@code redkit dump -f resp FILE | redis-cli --pipe} into an empty
 * server; (b) {@code redkit dump -f rdb --rdb-version 10 FILE -o X.rdb} loaded by redis-server. Keys whose
 * TTL is already past are dropped by every loading server, so servers are compared, not the fixtures'
 * expected files.
 */
class RdbRoundTripIT {
    private static final int MIN_FIXTURES = 70;
    private static final Map<Path, Reference> REFERENCES = new ConcurrentHashMap<>();
    private static final AtomicInteger RESP_OK = new AtomicInteger();
    private static final AtomicInteger RDB_OK = new AtomicInteger();
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static final List<String> FAILED = java.util.Collections.synchronizedList(new ArrayList<>());

    @TempDir
    static Path refDir;

    private record Reference(List<Map<String, Object>> data, List<Object> functions) {
    }

    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.fixtures();
        ItEnv.redkitJar();
    }

    static List<Path> fixtures() throws IOException {
        return Fixtures.loadableByRedis70(ItEnv.fixtures());
    }

    @AfterAll
    static void report() {
        int n = REFERENCES.size();
        System.out.printf("RdbRoundTripIT: %d fixtures loaded by the reference server (%d keys); "
                + "resp round trip equal on %d, rdb v10 round trip equal on %d%s%n", n, KEYS.get(),
                RESP_OK.get(), RDB_OK.get(), FAILED.isEmpty() ? "" : "; failed: " + FAILED);
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
            List<String> redkit = RedkitCli.defaults().command("dump", "-f", "resp", fixture.toString());
            ProcessBuilder dump = new ProcessBuilder(redkit).redirectError(tmp.resolve("redkit.err").toFile());
            ProcessBuilder pipe = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p",
                    Integer.toString(target.port()), "--pipe").redirectOutput(tmp.resolve("pipe.out").toFile())
                    .redirectErrorStream(true);
            List<Process> ps = ProcessBuilder.startPipeline(List.of(dump, pipe));
            int dumpCode = RedkitCli.waitFor(ps.get(0));
            int pipeCode = RedkitCli.waitFor(ps.get(1));
            String err = Files.readString(tmp.resolve("redkit.err"));
            String pipeOut = Files.readString(tmp.resolve("pipe.out"));
            record(fixture, "resp", () -> {
                assertEquals(0, dumpCode, "redkit dump -f resp exited " + dumpCode + ":\n" + err);
                assertTrue(pipeCode == 0 && pipeOut.contains("errors: 0"),
                        "redis-cli --pipe reported errors:\n" + RedisServerProcess.tail(pipeOut, 3000));
                compare(ref, target);
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
        RedkitCli.Result r = RedkitCli.defaults().run("dump", "-f", "rdb", "--rdb-version", "10",
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
            record(fixture, "rdb", () -> compare(ref, server));
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

    private static void compare(Reference ref, RedisServerProcess server) throws IOException {
        try (RespClient c = server.client()) {
            List<Map<String, Object>> data = Snapshot.take(c);
            assertNull(Snapshot.diff(ref.data(), data, 5), "dataset after the round trip");
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
                    Reference ref = new Reference(Snapshot.take(c), Snapshot.functions(c));
                    KEYS.addAndGet(ref.data().size());
                    return ref;
                }
            } catch (IOException e) {
                return fail("the reference redis-server could not load " + f + ": " + e.getMessage(), e);
            }
        });
    }
}
