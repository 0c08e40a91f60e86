package io.redkit.cli.it;

import io.redkit.cli.Redkit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance of {@code redkit diff} against a real server: each multi-part AOF fixture is loaded by
 * redis-server (appendonly yes on a copy of the directory), which SAVEs the data as an RDB; the AOF
 * directory and that RDB must then be the same dataset for redkit, which replays the AOF itself.
 */
class DiffIT {
    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.fixtures();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"r70-aof-preamble", "r70-aof-plain", "r70-aof-multi-incr", "r70-aof-timestamp"})
    void anAofDirectoryAndTheRdbRedisSavesFromItAreTheSame(String name, @TempDir Path tmp) throws Exception {
        Path dir = ItEnv.fixtures().resolve("aof").resolve(name);
        Path copy = tmp.resolve("appendonlydir");
        copyDir(dir, copy);
        Path rdb;
        try (RedisServerProcess s = RedisServerProcess.start(tmp, "--appendonly", "yes",
                "--appenddirname", "appendonlydir", "--dbfilename", "saved.rdb")) {
            rdb = s.save();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Redkit.newCommandLine(new PrintStream(out, true), new PrintStream(err, true))
                .execute("diff", rdb.toString(), dir.toString(), "--no-progress", "-f", "jsonl");
        String jsonl = out.toString(StandardCharsets.UTF_8);
        String report = jsonl + err.toString(StandardCharsets.UTF_8);
        if (code != 0) {
            // Known gap of the KV engine: it cannot yet replay XCLAIM and XACK, so consumer groups of a
            // replayed stream lack what those commands did. Only stream keys may differ then, and the
            // replay must have said that commands failed; anything else is a real difference.
            assertEquals(1, code, report);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("failed in the replay"), report);
            String[] lines = jsonl.split("\n");
            assertTrue(lines.length > 1, report);
            for (int i = 1; i < lines.length; i++) {
                assertTrue(lines[i].startsWith("{\"diff\": [\"value\"]")
                        && lines[i].contains("\"a\": {\"type\": \"stream\"")
                        && lines[i].contains("\"what\": \"group\""), "not a stream group difference: " + report);
            }
        }
    }

    /**
     * An RDB against the RDB redis-server writes after loading it: other encodings, same data. Keys past
     * their TTL are dropped by the server, so both sides are compared with --not-expired.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"r70-mixed.rdb", "r70-small.rdb"})
    void anRdbAndTheRdbRedisSavesFromItAreTheSame(String name, @TempDir Path tmp) throws Exception {
        Path original = ItEnv.fixtures().resolve("rdb").resolve(name);
        // the server loads its copy and SAVEs over it
        Files.copy(original, tmp.resolve("saved.rdb"));
        Path saved;
        try (RedisServerProcess s = RedisServerProcess.start(tmp, "--dbfilename", "saved.rdb")) {
            saved = s.save();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Redkit.newCommandLine(new PrintStream(out, true), new PrintStream(err, true))
                .execute("diff", original.toString(), saved.toString(), "--no-progress", "--not-expired");
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("A: "), out.toString(StandardCharsets.UTF_8));
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}
