package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 7, acceptance 2 and 3: a generated dataset of mixed types (strings, hashes, lists, sets, sorted sets,
 * streams; one key in ten with a TTL) plus a 2M-element list and a 100 MB string, written as an RDB by a real
 * redis-server, is migrated by the CLI in a child JVM with {@code -Xmx512m} into a 3-master cluster while
 * {@code redis-cli --cluster reshard} moves slots between masters. Then {@code redkit diff} (also {@code -Xmx512m})
 * says the RDB and the cluster are the same, the masters hold exactly the source's key count (none lost, none
 * duplicated), and the report counts the redirects it followed.
 *
 * <p>Scale by system properties: {@code redkit.scale.keys} (default 200,000 small keys, so the suite stays fast;
 * 1,000,000 for the full acceptance), {@code redkit.scale.bigListElements} (2,000,000),
 * {@code redkit.scale.bigStringMb} (100).
 */
class MigrateClusterScaleIT {
    private static final int KEYS = Integer.getInteger("redkit.scale.keys", 200_000);
    private static final int BIG_LIST = Integer.getInteger("redkit.scale.bigListElements", 2_000_000);
    private static final int BIG_STRING_MB = Integer.getInteger("redkit.scale.bigStringMb", 100);
    /** Slots moved from master 0 to master 1 during the migration (few enough to be moved before it ends). */
    private static final int SLOTS_MOVED = 400;
    private static final long TTL_BASE = 4_102_444_800_000L; // 2100-01-01: far-future absolute expiries
    private static final Pattern REDIRECTS = Pattern.compile("redirects ([0-9,]+)");

    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
    }

    @Test
    void aMixedDatasetWithBigKeysMigratesIntoAClusterWhileItIsResharded(@TempDir Path tmp) throws Exception {
        long t0 = System.nanoTime();
        Path rdb = generate(tmp.resolve("source"));
        long sourceKeys = KEYS + 2;
        System.out.printf("dataset: %,d keys, %,d bytes of RDB in %.1f s%n", sourceKeys, Files.size(rdb), secs(t0));
        try (RedisClusterProcess cluster = RedisClusterProcess.start(tmp.resolve("cluster"), 3)) {
            // paced so that the migration outlasts the resharding of a few thousand keys, whatever the machine
            long rate = Math.max(10_000, KEYS / 8);
            Process migrate = RedkitCli.defaults().start("migrate", rdb.toString(), "--to", cluster.uri(),
                    "--rate", Long.toString(rate), "--no-progress");
            CompletableFuture<String> out = RedkitCli.drain(migrate.getInputStream());
            CompletableFuture<String> err = RedkitCli.drain(migrate.getErrorStream());
            boolean overlapped;
            Process reshard = null;
            try {
                awaitKeys(cluster, migrate, KEYS / 20);
                reshard = cluster.startReshard(0, 1, SLOTS_MOVED);
                CompletableFuture<String> reshardOut = RedkitCli.drain(reshard.getInputStream());
                assertTrue(reshard.waitFor(5, TimeUnit.MINUTES), "reshard did not finish");
                overlapped = migrate.isAlive();
                assertEquals(0, reshard.exitValue(), RedisServerProcess.tail(reshardOut.join(), 4000));
                reshard = null;
                assertEquals(0, RedkitCli.waitFor(migrate), out.join() + err.join());
            } finally {
                migrate.destroyForcibly();
                if (reshard != null) {
                    reshard.destroyForcibly();
                }
            }
            String report = out.join() + err.join();
            System.out.printf("migrate (%,d keys, reshard of %d slots done while it ran: %s):%n%s", KEYS, SLOTS_MOVED,
                    overlapped, report);
            Matcher m = REDIRECTS.matcher(report);
            assertTrue(m.find(), "the report counts redirects:\n" + report);
            long redirects = Long.parseLong(m.group(1).replace(",", ""));
            if (overlapped) {
                // the move ended before the migration: its keys of moved slots met MOVED (or ASK during the move)
                assertTrue(redirects > 0, report);
            }
            cluster.awaitStable();
            assertEquals(sourceKeys, cluster.dbsize(), "keys on the masters (none lost, none twice)");

            // redis-cli moves keys with MIGRATE, which sends their TTL relative: a moved key's expiry shifts by the
            // milliseconds the move took (redkit writes absolute TTLs; keys not moved must match to the ms)
            long t1 = System.nanoTime();
            RedkitCli.Result diff = RedkitCli.defaults().run("diff", rdb.toString(), cluster.uri(), "--no-progress",
                    "--temp-dir", tmp.toString(), "--ttl-tolerance", "1000");
            System.out.printf("diff in %.1f s:%n%s%s", secs(t1), diff.out(), diff.stderr());
            assertEquals(0, diff.exitCode(), diff.out() + diff.stderr());
            assertTrue(diff.out().contains("same: all"), diff.out());
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Waits until the cluster holds {@code n} keys or the migration ended. */
    private static void awaitKeys(RedisClusterProcess cluster, Process migrate, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (migrate.isAlive() && cluster.dbsize() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the migration wrote fewer than " + n + " keys in 5 minutes");
            }
            Thread.sleep(20);
        }
    }

    /**
     * The dataset written by {@code redis-cli --pipe} into a throw-away redis-server, saved as an RDB: db 0 only (a
     * cluster has no other), deterministic.
     */
    static Path generate(Path dir) throws IOException {
        try (RedisServerProcess s = RedisServerProcess.start(dir, "--dbfilename", "source.rdb")) {
            Process pipe = s.startPipe();
            CompletableFuture<Void> fed = CompletableFuture.runAsync(() -> {
                try (OutputStream o = new BufferedOutputStream(pipe.getOutputStream(), 1 << 20)) {
                    writeDataset(o);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            RedisServerProcess.finishPipe(pipe);
            fed.join();
            try (RespClient c = s.client()) {
                assertEquals((long) KEYS + 2, RespClient.integer(c.call("DBSIZE")));
            }
            return s.save();
        }
    }

    private static void writeDataset(OutputStream o) throws IOException {
        Random rnd = new Random(7);
        for (int i = 0; i < KEYS; i++) {
            String k;
            switch (i % 20) {
                case 0, 1, 2, 3, 4, 5, 6, 7 -> {
                    k = "str:" + i;
                    cmd(o, "SET", k, i % 3 == 0 ? Integer.toString(i * 37) : hex(rnd, 8 + rnd.nextInt(120)));
                }
                case 8, 9, 10 -> {
                    k = "hash:{" + (i % 1000) + "}:" + i;
                    int n = 2 + rnd.nextInt(12);
                    String[] a = new String[2 + 2 * n];
                    a[0] = "HSET";
                    a[1] = k;
                    for (int j = 0; j < n; j++) {
                        a[2 + 2 * j] = "f" + j;
                        a[3 + 2 * j] = j % 2 == 0 ? Integer.toString(rnd.nextInt()) : hex(rnd, 4 + rnd.nextInt(30));
                    }
                    cmd(o, a);
                }
                case 11, 12, 13 -> {
                    k = "list:" + i;
                    cmd(o, elements("RPUSH", k, rnd, 2 + rnd.nextInt(20), false));
                }
                case 14, 15 -> {
                    k = "set:" + i;
                    cmd(o, elements("SADD", k, rnd, 2 + rnd.nextInt(20), i % 2 == 0));
                }
                case 16, 17, 18 -> {
                    k = "zset:" + i;
                    int n = 2 + rnd.nextInt(15);
                    String[] a = new String[2 + 2 * n];
                    a[0] = "ZADD";
                    a[1] = k;
                    for (int j = 0; j < n; j++) {
                        a[2 + 2 * j] = j % 2 == 0 ? Integer.toString(rnd.nextInt(1000)) : Double.toString(rnd.nextDouble());
                        a[3 + 2 * j] = "m" + j + ":" + hex(rnd, 6);
                    }
                    cmd(o, a);
                }
                default -> {
                    k = "stream:" + i;
                    int n = 1 + rnd.nextInt(5);
                    for (int j = 0; j < n; j++) {
                        cmd(o, "XADD", k, (1_700_000_000_000L + j) + "-" + j, "sensor", Integer.toString(j),
                                "v", hex(rnd, 10));
                    }
                    if (i % 40 == 19) {
                        cmd(o, "XGROUP", "CREATE", k, "g", "0");
                        cmd(o, "XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", k, ">");
                    }
                }
            }
            if (i % 10 == 1) {
                cmd(o, "PEXPIREAT", k, Long.toString(TTL_BASE + i));
            }
        }
        for (int start = 0; start < BIG_LIST; start += 1000) {
            String[] a = new String[2 + Math.min(1000, BIG_LIST - start)];
            a[0] = "RPUSH";
            a[1] = "big:list";
            for (int j = 2; j < a.length; j++) {
                a[j] = "element-" + (start + j - 2);
            }
            cmd(o, a);
        }
        byte[] chunk = new byte[1 << 20];
        for (int mb = 0; mb < BIG_STRING_MB; mb++) {
            for (int j = 0; j < chunk.length; j++) {
                chunk[j] = (byte) ('a' + (rnd.nextInt(26)));
            }
            cmd(o, "APPEND".getBytes(StandardCharsets.US_ASCII), "big:string".getBytes(StandardCharsets.US_ASCII),
                    chunk);
        }
    }

    private static String[] elements(String command, String key, Random rnd, int n, boolean ints) {
        String[] a = new String[2 + n];
        a[0] = command;
        a[1] = key;
        for (int j = 0; j < n; j++) {
            a[2 + j] = ints ? Integer.toString(rnd.nextInt(1_000_000)) : hex(rnd, 3 + rnd.nextInt(20));
        }
        return a;
    }

    private static String hex(Random rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static void cmd(OutputStream o, String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        cmd(o, b);
    }

    private static void cmd(OutputStream o, byte[]... args) throws IOException {
        o.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            o.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(a);
            o.write('\r');
            o.write('\n');
        }
    }
}
