package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AOF fixture (single files, multi-part directories) goes through {@code redkit dump -f resp}
 * and {@code redis-cli --pipe} into an empty redis-server, which must then hold the fixture's
 * {@code .expected.jsonl} (keys whose TTL has passed since excepted) and its {@code .functions.json}.
 */
class AofRespIT {
    /** In-process by default; {@code -Dredkit.it.cli=jar} runs the fat jar instead. */
    private static final RedkitCli CLI = "jar".equals(System.getProperty("redkit.it.cli"))
            ? RedkitCli.defaults() : RedkitCli.inProcess();
    /** Needs the hellotype example module loaded into the target server. */
    private static final String NEEDS_MODULE = "replicator-appendonly6.aof";
    /**
     * Commands a Redis 7.0 server answers with an error, as it did when it loaded the file for the
     * expected dataset (pre-release {@code FUNCTION LOAD Lua ...} syntax): how many the pipe reports.
     */
    private static final Map<String, Integer> PIPE_ERRORS = Map.of("replicator-appendonly-with-ts.aof", 3);

    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.fixtures();
    }

    static List<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(ItEnv.fixtures().resolve("aof"))) {
            s.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".aof")).sorted().forEach(out::add);
        }
        return out;
    }

    private static Path sibling(Path aofCase, String suffix) {
        String n = aofCase.getFileName().toString();
        String base = n.endsWith(".aof") ? n.substring(0, n.length() - 4) : n;
        return aofCase.resolveSibling(base + suffix);
    }

    @Test
    void theCorpusHasAofCases() throws IOException {
        assertTrue(cases().size() >= 14, "AOF cases found: " + cases());
    }

    @ParameterizedTest(name = "dump -f resp | redis-cli --pipe: {0}")
    @MethodSource("cases")
    void respPipedIntoAnEmptyServerGivesTheExpectedDataset(Path aofCase, @TempDir Path tmp) throws Exception {
        String name = aofCase.getFileName().toString();
        Path resp = tmp.resolve("dump.resp");
        RedkitCli.Result r = CLI.runTo(resp, "dump", "-f", "resp", aofCase.toString());
        r.check();
        assertTrue(Files.size(resp) > 0, "no output");
        List<Object> expected = JsonScanner.parseLines(
                Files.readString(sibling(aofCase, ".expected.jsonl"), StandardCharsets.UTF_8));
        try (RedisServerProcess target = RedisServerProcess.start(tmp.resolve("target"));
             RespClient c = target.client()) {
            boolean older74 = name.startsWith("r74-") && !serverAtLeast(c, 7, 4);
            Integer errors = PIPE_ERRORS.get(name);
            if (name.equals(NEEDS_MODULE)) {
                // the target has no hellotype module: exactly the module keys' RESTOREs are refused,
                // everything else must arrive; the module keys are then not part of the comparison
                long moduleKeys = expected.stream().filter(o -> "module".equals(((Map<?, ?>) o).get("type"))).count();
                assertTrue(moduleKeys > 0, "the module case holds module keys");
                errors = (int) moduleKeys;
                expected.removeIf(o -> "module".equals(((Map<?, ?>) o).get("type")));
            } else if (older74) {
                // written by Redis 7.4: a 7.0 target refuses exactly the hash-field TTL commands and holds
                // everything else; the fields then have no TTL of their own
                errors = countCommands(resp, "HPEXPIREAT");
                assertTrue(errors > 0, "a 7.4 case carries hash-field TTLs");
                for (Object o : expected) {
                    ((Map<?, ?>) o).remove("field_expire_ms");
                }
            }
            if (errors == null) {
                target.pipe(resp);
            } else {
                RedisServerProcess.CliResult piped = target.cliWithInput(resp, "--pipe");
                assertTrue(piped.stdout().contains("errors: " + errors + ","), piped.stdout());
            }
            long now = System.currentTimeMillis();
            List<Object> live = new ArrayList<>();
            for (Object o : expected) {
                Object exp = ((Map<?, ?>) o).get("expire_ms");
                if (exp == null || ((Number) exp).longValue() > now + 1000) {
                    live.add(o);
                }
            }
            List<Map<String, Object>> actual = new ArrayList<>(Snapshot.take(c));
            // a key within a second of its TTL may or may not be there: compare the rest
            actual.removeIf(k -> {
                Object exp = k.get("expire_ms");
                return exp != null && ((Number) exp).longValue() <= now + 1000;
            });
            assertNull(Snapshot.diff(live, actual, 5), "dataset vs " + sibling(aofCase, ".expected.jsonl"));
            Path fn = sibling(aofCase, ".functions.json");
            if (Files.exists(fn)) {
                assertEquals(JsonScanner.parse(Files.readString(fn)), Snapshot.functions(c), "function libraries");
            }
        }
    }

    /** How many commands named {@code name} the RESP file holds (a bulk string equal to the name after a '*'). */
    private static int countCommands(Path resp, String name) throws IOException {
        String text = new String(Files.readAllBytes(resp), StandardCharsets.ISO_8859_1);
        String needle = "\r\n$" + name.length() + "\r\n" + name + "\r\n";
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            int lineStart = text.lastIndexOf("\r\n", i - 1);
            if (text.charAt(lineStart < 0 ? 0 : lineStart + 2) == '*') {
                n++;
            }
        }
        return n;
    }

    private static boolean serverAtLeast(RespClient c, int major, int minor) throws IOException {
        String info = RespClient.text(c.call("INFO", "server"));
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                String[] v = line.substring("redis_version:".length()).trim().split("\\.");
                int ma = Integer.parseInt(v[0]);
                int mi = v.length > 1 ? Integer.parseInt(v[1]) : 0;
                return ma > major || (ma == major && mi >= minor);
            }
        }
        return false;
    }
}
