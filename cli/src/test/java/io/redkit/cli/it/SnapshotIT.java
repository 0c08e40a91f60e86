package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test helpers themselves against the corpus, without redkit: a redis-server loads each fixture and
 * {@link Snapshot} must read back the fixture's {@code .expected.jsonl} (made by tools/snapshot.py),
 * except keys whose TTL has passed since (the loading server drops them), and its function libraries
 * must equal {@code .functions.json}. This pins the canonical form the round-trip tests compare with.
 */
class SnapshotIT {
    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.fixtures();
    }

    static List<Path> fixtures() throws Exception {
        return Fixtures.loadableByRedis70(ItEnv.fixtures());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void snapshotOfALoadedFixtureMatchesItsExpectedFile(Path fixture, @TempDir Path tmp) throws Exception {
        Files.copy(fixture, tmp.resolve("dump.rdb"));
        List<Object> expected = JsonScanner.parseLines(
                Files.readString(Fixtures.expectedJsonl(fixture), StandardCharsets.UTF_8));
        try (RedisServerProcess s = RedisServerProcess.start(tmp); RespClient c = s.client()) {
            long now = System.currentTimeMillis();
            List<Map<String, Object>> actual = Snapshot.take(c);
            // the text form must parse back to the same trees
            assertEquals(actual, JsonScanner.parseLines(Snapshot.toJsonl(actual)), "JSON text round trip");
            List<Object> live = new ArrayList<>();
            for (Object o : expected) {
                Object exp = ((Map<?, ?>) o).get("expire_ms");
                if (exp == null || ((Number) exp).longValue() > now) {
                    live.add(o);
                } else {
                    assertTrue(!actual.contains(o), "a key past its TTL is still there: " + o);
                }
            }
            assertNull(Snapshot.diff(live, actual, 5), "snapshot vs " + Fixtures.expectedJsonl(fixture));

            String n = fixture.getFileName().toString();
            Path fn = fixture.resolveSibling(n.substring(0, n.length() - 4) + ".functions.json");
            if (Files.exists(fn)) {
                assertEquals(JsonScanner.parse(Files.readString(fn)), Snapshot.functions(c), "function libraries");
            }
        }
    }
}
