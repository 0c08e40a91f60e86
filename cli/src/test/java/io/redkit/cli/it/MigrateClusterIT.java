package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * {@code redkit migrate SOURCE --to redis-cluster://...} into a 3-master Redis 7.0 cluster (issue 7, acceptance 1
 * for the cluster): the db 0 keys of every fixture a 7.0 server loads end up spread over the masters by slot,
 * exactly as a server that loaded the fixture holds them; functions on every master; keys of another db are refused;
 * an ASK redirect (a slot being imported) is followed with ASKING; a MULTI whose keys share a slot stays one
 * transaction, one spanning slots is split with a notice.
 */
class MigrateClusterIT {
    private static final RedkitCli CLI = RedkitCli.inProcess();
    private static RedisClusterProcess cluster;

    @TempDir
    static Path shared;

    @BeforeAll
    static void startCluster() throws IOException {
        ItEnv.requireRedis();
        cluster = RedisClusterProcess.start(shared.resolve("cluster"), 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void emptyCluster() throws IOException {
        for (RedisServerProcess n : cluster.nodes()) {
            try (RespClient c = n.client()) {
                c.call("FLUSHALL");
                c.call("FUNCTION", "FLUSH");
            }
        }
    }

    static List<Path> fixtures() throws IOException {
        return Fixtures.loadableByRedis70(ItEnv.fixtures());
    }

    /** Every master's keys together, sorted by key bytes (a key lives on one master only). */
    private static List<Map<String, Object>> clusterData() throws IOException {
        List<Map<String, Object>> all = new ArrayList<>();
        for (RedisServerProcess n : cluster.nodes()) {
            all.addAll(Snapshot.take(n.port()));
        }
        all.sort((a, b) -> Arrays.compareUnsigned(Snapshot.bytes(a.get("key")), Snapshot.bytes(b.get("key"))));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureIntoTheCluster(Path fixture, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ref");
        Files.createDirectories(dir);
        Files.copy(fixture, dir.resolve("dump.rdb"));
        List<Map<String, Object>> expected = new ArrayList<>();
        List<Object> functions;
        try (RedisServerProcess s = RedisServerProcess.start(dir); RespClient c = s.client()) {
            for (Map<String, Object> rec : Snapshot.take(c)) {
                if (((Number) rec.get("db")).intValue() == 0) {
                    expected.add(rec);
                }
            }
            functions = Snapshot.functions(c);
        }
        RedkitCli.Result r = CLI.run("migrate", fixture.toString(), "--to", cluster.uri(), "--db", "0",
                "--no-progress").check();
        assertNull(Snapshot.diff(expected, clusterData(), 5), "cluster after the migration");
        for (RedisServerProcess n : cluster.nodes()) {
            try (RespClient c = n.client()) {
                assertEquals(functions, Snapshot.functions(c), "function libraries on " + n.port());
            }
        }
        assertTrue(r.out().contains("keys " + String.format(java.util.Locale.ROOT, "%,d", expected.size())), r.out());
    }

    @Test
    void keysOfAnotherDbAreRefused(@TempDir Path tmp) throws Exception {
        Path rdb;
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("src")); RespClient c = s.client()) {
            c.call("SELECT", "2");
            c.call("SET", "elsewhere", "x");
            rdb = s.save();
        }
        RedkitCli.Result r = CLI.run("migrate", rdb.toString(), "--to", cluster.uri(), "--no-progress");
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("db 0 only") && r.stderr().contains("elsewhere"), r.stderr());
    }

    @Test
    void anAskRedirectIsFollowedWithAsking(@TempDir Path tmp) throws Exception {
        // keys of one slot, while that slot is being imported by another master: new keys get ASK
        byte[] key0 = "{tag}k0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int slot = io.redkit.core.Slots.slot(key0);
        RedisServerProcess owner = null;
        RedisServerProcess other = null;
        for (RedisServerProcess n : cluster.nodes()) {
            try (RespClient c = n.client()) {
                if (RespClient.integer(c.call("CLUSTER", "COUNTKEYSINSLOT", slot)) >= 0
                        && ownerOf(c, slot) == n.port()) {
                    owner = n;
                } else if (other == null) {
                    other = n;
                }
            }
        }
        assertTrue(owner != null && other != null);
        String ownerId;
        String otherId;
        try (RespClient c = owner.client(); RespClient d = other.client()) {
            ownerId = RespClient.text(c.call("CLUSTER", "MYID"));
            otherId = RespClient.text(d.call("CLUSTER", "MYID"));
            d.call("CLUSTER", "SETSLOT", slot, "IMPORTING", ownerId);
            c.call("CLUSTER", "SETSLOT", slot, "MIGRATING", otherId);
        }
        List<Map<String, Object>> expected;
        Path rdb;
        try (RedisServerProcess s = RedisServerProcess.start(tmp.resolve("src")); RespClient c = s.client()) {
            for (int i = 0; i < 50; i++) {
                c.call("SET", "{tag}k" + i, "v" + i);
                c.call("RPUSH", "{tag}l" + i, "a", "b", "c");
            }
            expected = Snapshot.take(c);
            rdb = s.save();
        }
        String finalOwner = ownerId;
        try {
            RedkitCli.Result r = CLI.run("migrate", rdb.toString(), "--to", cluster.uri(), "--no-progress").check();
            Matcher m = Pattern.compile("redirects (\\d+)").matcher(r.out());
            assertTrue(m.find() && Long.parseLong(m.group(1)) >= 100, "every key was redirected once: " + r.out());
            try (RespClient d = other.client()) {
                assertEquals(100L, RespClient.integer(d.call("CLUSTER", "COUNTKEYSINSLOT", slot)),
                        "the importing master holds the keys");
            }
            finalOwner = otherId;
        } finally {
            // the migration of the slot ends: it belongs to the importing master (or back to its owner on failure)
            for (RedisServerProcess n : cluster.nodes()) {
                try (RespClient c = n.client()) {
                    c.call("CLUSTER", "SETSLOT", slot, "NODE", finalOwner);
                }
            }
        }
        cluster.awaitStable();
        assertNull(Snapshot.diff(expected, clusterData(), 5), "cluster after the migration");
    }

    @Test
    void aSlotMovedAfterTheTopologyWasReadIsFollowedByMoved() throws Exception {
        byte[] probe = "{moved}0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int slot = io.redkit.core.Slots.slot(probe);
        RedisServerProcess owner = null;
        RedisServerProcess other = null;
        for (RedisServerProcess n : cluster.nodes()) {
            try (RespClient c = n.client()) {
                if (ownerOf(c, slot) == n.port()) {
                    owner = n;
                } else if (other == null) {
                    other = n;
                }
            }
        }
        assertTrue(owner != null && other != null);
        io.redkit.live.target.RedisTargetSink sink = io.redkit.live.target.RedisTargetSink.open(
                io.redkit.live.target.TargetUri.parse(cluster.uri()), io.redkit.live.target.TargetOptions.defaults());
        io.redkit.live.target.TargetReport report;
        try {
            // the writer knows the old owner; the (empty) slot now moves
            String otherId;
            try (RespClient d = other.client()) {
                otherId = RespClient.text(d.call("CLUSTER", "MYID"));
            }
            for (RedisServerProcess n : cluster.nodes()) {
                try (RespClient c = n.client()) {
                    c.call("CLUSTER", "SETSLOT", slot, "NODE", otherId);
                }
            }
            cluster.awaitStable();
            for (int i = 0; i < 20; i++) {
                byte[] key = ("{moved}" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                io.redkit.core.event.KeyHeader h = new io.redkit.core.event.KeyHeader(0, key,
                        io.redkit.core.event.DataType.STRING, "raw", -1, -1, -1, -1, -1);
                sink.accept(new io.redkit.core.event.KeyStart(h));
                sink.accept(new io.redkit.core.event.StringPart(("v" + i).getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII), true, -1));
                sink.accept(new io.redkit.core.event.KeyEnd(h, null, -1));
            }
        } finally {
            sink.close();
            report = sink.report();
        }
        assertEquals(20, report.keys(), report.describe());
        assertTrue(report.redirects() >= 1, report.describe());
        try (RespClient d = other.client()) {
            assertEquals(20L, RespClient.integer(d.call("CLUSTER", "COUNTKEYSINSLOT", slot)), report.describe());
        }
    }

    private static int ownerOf(RespClient c, int slot) throws IOException {
        for (Object r : (List<?>) c.call("CLUSTER", "SLOTS")) {
            List<?> l = (List<?>) r;
            if ((Long) l.get(0) <= slot && slot <= (Long) l.get(1)) {
                return (int) (long) (Long) ((List<?>) l.get(2)).get(1);
            }
        }
        return -1;
    }

    @Test
    void transactionsStayTogetherWhenTheirKeysShareASlot(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("src");
        List<Map<String, Object>> expected;
        try (RedisServerProcess s = RedisServerProcess.start(dir, "--appendonly", "yes", "--aof-use-rdb-preamble",
                "no"); RespClient c = s.client()) {
            c.call("MULTI");
            c.call("SET", "{u1}a", "1");
            c.call("INCR", "{u1}n");
            c.call("EXEC");
            c.call("MULTI");
            c.call("SET", "x", "1");
            c.call("SET", "y", "2");
            c.call("SET", "z", "3");
            c.call("EXEC");
            for (int i = 0; i < 100; i++) {
                c.call("HSET", "h" + i, "f", "v");
            }
            expected = Snapshot.take(c);
        }
        RedkitCli.Result r = CLI.run("migrate", dir.resolve("appendonlydir").toString(), "--to", cluster.uri(),
                "--no-progress").check();
        assertNull(Snapshot.diff(expected, clusterData(), 5), "cluster after the migration");
        assertTrue(r.stderr().contains("touches several slots"), r.stderr());
        assertEquals(1, r.stderr().split("touches several slots", -1).length - 1, "one transaction split: "
                + r.stderr());
    }
}
