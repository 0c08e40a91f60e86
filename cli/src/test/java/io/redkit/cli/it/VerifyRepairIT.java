package io.redkit.cli.it;

import io.redkit.aof.AofReader;
import io.redkit.aof.SourceOptions;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The copies written by {@code verify --fix} and {@code verify --truncate-to-timestamp} are loaded by a
 * real redis-server (with {@code aof-load-truncated no}, so a copy that still ended mid-command would be
 * refused) and must hold exactly the data of the commands kept.
 */
class VerifyRepairIT {
    private static final RedkitCli CLI = RedkitCli.inProcess();

    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.fixtures();
    }

    /** A server that loads the multi-part AOF directory {@code aofDir} (copied under {@code data/}). */
    private static RedisServerProcess load(Path aofDir, Path data) throws IOException {
        Path target = data.resolve("appendonlydir");
        Files.createDirectories(target);
        try (var s = Files.list(aofDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, target.resolve(p.getFileName()));
            }
        }
        return RedisServerProcess.start(data, "--appendonly", "yes", "--appenddirname", "appendonlydir",
                "--aof-load-truncated", "no");
    }

    private static List<Map<String, Object>> withoutNearlyExpired(List<Map<String, Object>> keys, long now) {
        List<Map<String, Object>> out = new ArrayList<>(keys);
        // a key within a second of its TTL may or may not be there on either side
        out.removeIf(k -> k.get("expire_ms") != null && ((Number) k.get("expire_ms")).longValue() <= now + 1000);
        return out;
    }

    @Test
    void aFixedDirectoryLoadsWithEveryCommandBeforeTheCut(@TempDir Path tmp) throws Exception {
        Path in = ItEnv.fixtures().resolve("corrupt/aof-truncated-last-command");
        Path fixed = tmp.resolve("fixed");
        RedkitCli.Result r = CLI.run("verify", "--fix", in.toString(), "-o", fixed.toString());
        r.check();
        assertTrue(r.stderr().contains("at offset 1948"), r.stderr());
        try (RedisServerProcess server = load(fixed, tmp.resolve("data")); RespClient c = server.client()) {
            long now = System.currentTimeMillis();
            List<Object> expected = JsonScanner.parseLines(Files.readString(
                    ItEnv.fixtures().resolve("corrupt/aof-truncated-last-command.loaded.jsonl"), StandardCharsets.UTF_8));
            List<Object> live = new ArrayList<>();
            for (Object o : expected) {
                Object exp = ((Map<?, ?>) o).get("expire_ms");
                if (exp == null || ((Number) exp).longValue() > now + 1000) {
                    live.add(o);
                }
            }
            List<Map<String, Object>> actual = withoutNearlyExpired(Snapshot.take(c), now);
            assertEquals(17, expected.size());
            assertNull(Snapshot.diff(live, actual, 5), "dataset of the repaired copy vs the server's own truncated load");
        }
    }

    @Test
    void aPointInTimeCopyHoldsExactlyTheCommandsUpToT(@TempDir Path tmp) throws Exception {
        Path in = ItEnv.fixtures().resolve("aof/r70-aof-timestamp");
        for (long t : new long[] {1795437820L, 1795437821L}) {
            Path cut = tmp.resolve("at-" + t);
            CLI.run("verify", "--truncate-to-timestamp", Long.toString(t), in.toString(), "-o", cut.toString()).check();
            try (RedisServerProcess loaded = load(cut, tmp.resolve("data-" + t));
                 RedisServerProcess replayed = RedisServerProcess.start(tmp.resolve("replay-" + t));
                 RespClient lc = loaded.client();
                 RespClient rc = replayed.client()) {
                // the independent side: every command annotated at or before T, sent to an empty server
                int sent = replay(in, t, rc);
                assertTrue(sent > 10, "commands replayed: " + sent);
                long now = System.currentTimeMillis();
                List<Map<String, Object>> want = withoutNearlyExpired(Snapshot.take(rc), now);
                List<Map<String, Object>> got = withoutNearlyExpired(Snapshot.take(lc), now);
                assertTrue(!want.isEmpty());
                assertNull(Snapshot.diff(want, got, 5), "T=" + t);
                assertEquals(Snapshot.functions(rc), Snapshot.functions(lc), "function libraries at T=" + t);
            }
        }
    }

    private static int replay(Path aofDir, long t, RespClient c) throws IOException {
        int n = 0;
        int db = 0;
        try (AofReader r = AofReader.openDirectory(aofDir, SourceOptions.defaults())) {
            Event e;
            while ((e = r.next()) != null) {
                if (!(e instanceof Command cmd) || cmd.timestampS() > t) {
                    continue;
                }
                if (cmd.db() != db) {
                    c.call("SELECT", cmd.db());
                    db = cmd.db();
                }
                c.call(cmd.argv().toArray());
                n++;
            }
        }
        return n;
    }
}
