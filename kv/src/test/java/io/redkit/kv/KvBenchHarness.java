package io.redkit.kv;

import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Not a test: figures for {@code bench/kv-bench.sh}. {@code ops SECONDS}: engine operations per second for GET, SET,
 * HSET and ZADD from 1, 2 and 4 threads (in memory, no log), and SET with the log attached (fsync everysec and
 * always). {@code recovery N DIR}: builds a store of N small strings (a base plus N/10 logged SETs in the
 * increment), closes it and times its reopening.
 */
public final class KvBenchHarness {
    private static final int KEYS = 100_000;

    private KvBenchHarness() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ops" -> ops(Double.parseDouble(args[1]), args.length > 2 ? Path.of(args[2]) : null);
            case "recovery" -> recovery(Integer.parseInt(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void ops(double seconds, Path tmp) throws Exception {
        KvEngine e = new KvEngine();
        for (int i = 0; i < KEYS; i++) {
            e.execute(0, List.of(b("SET"), b("key:" + i), b("value-0123456789")));
        }
        // every hash and sorted set at its full size first: otherwise the first runs insert into small ones and the
        // later ones update big ones (a ZADD update is two tree operations), and the thread counts measure different
        // work
        byte[] val = b("value-0123456789");
        for (int k = 0; k < 1000; k++) {
            byte[] h = b("h:" + k);
            byte[] z = b("z:" + k);
            for (int f = 0; f < 1000; f++) {
                e.execute(1, List.of(b("HSET"), h, b("f" + f), val));
                e.execute(1, List.of(b("ZADD"), z, b(Integer.toString(f * 997 % 1_000_000)), b("f" + f)));
            }
        }
        System.out.println("engine operations/s (in memory, no log), " + KEYS + " keys; 1000 hashes and 1000 sorted"
                + " sets of 1000 fields/members (HSET and ZADD update them):");
        System.out.println("  command   1 thread   2 threads   4 threads");
        for (String cmd : new String[] {"GET", "SET", "HSET", "ZADD"}) {
            run(e, cmd, 1, Math.min(1.0, seconds)); // JIT warm-up, not reported
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-7s", cmd));
            for (int threads : new int[] {1, 2, 4}) {
                line.append(String.format(Locale.ROOT, " %10.0f", run(e, cmd, threads, seconds)));
            }
            System.out.println(line);
        }
        if (tmp != null) {
            for (AofLog.Fsync f : new AofLog.Fsync[] {AofLog.Fsync.EVERYSEC, AofLog.Fsync.ALWAYS}) {
                Path d = tmp.resolve("ops-" + f);
                try (KvStore s = KvStore.open(d, KvStore.Options.defaults().withFsync(f))) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  SET with the log, fsync %s:",
                            f.name().toLowerCase(Locale.ROOT)));
                    for (int threads : new int[] {1, 2, 4}) {
                        line.append(String.format(Locale.ROOT, " %.0f", run(s.engine(), "SET", threads, seconds)));
                    }
                    System.out.println(line + " (1, 2, 4 threads)");
                }
                delete(d);
            }
        }
    }

    private static double run(KvEngine e, String cmd, int threads, double seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder ops = new LongAdder();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                byte[] name = b(cmd);
                byte[] val = b("value-0123456789");
                byte[][] keys = new byte[KEYS][];
                for (int i = 0; i < KEYS; i++) {
                    keys[i] = b("key:" + i);
                }
                byte[][] small = new byte[1000][];
                for (int i = 0; i < small.length; i++) {
                    small[i] = b("f" + i);
                }
                long n = 0;
                while (!stop.get()) {
                    for (int i = 0; i < 256; i++) {
                        List<byte[]> argv = switch (cmd) {
                            case "GET" -> List.of(name, keys[r.nextInt(KEYS)]);
                            case "SET" -> List.of(name, keys[r.nextInt(KEYS)], val);
                            case "HSET" -> List.of(name, b("h:" + r.nextInt(1000)), small[r.nextInt(1000)], val);
                            default -> List.of(name, b("z:" + r.nextInt(1000)), b(Integer.toString(r.nextInt(1_000_000))),
                                    small[r.nextInt(1000)]);
                        };
                        e.execute(1, argv);
                    }
                    n += 256;
                }
                ops.add(n);
            });
            ts.add(th);
        }
        if (cmd.equals("GET")) {
            for (int i = 0; i < KEYS; i++) {
                e.execute(1, List.of(b("SET"), b("key:" + i), b("value-0123456789")));
            }
        }
        long t0 = System.nanoTime();
        ts.forEach(Thread::start);
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        return ops.sum() / ((System.nanoTime() - t0) / 1e9);
    }

    private static void recovery(int n, Path dir) throws Exception {
        delete(dir);
        long t0 = System.nanoTime();
        try (KvStore s = KvStore.open(dir, KvStore.Options.defaults().withFsync(AofLog.Fsync.NO))) {
            KvEngine e = s.engine();
            s.unlogged(() -> {
                byte[] set = b("SET");
                for (int i = 0; i < n; i++) {
                    e.execute(0, List.of(set, b(String.format("key:%012d", i)), b(String.format("%08d", i % 100_000_000))));
                }
                return null;
            });
            byte[] set = b("SET");
            for (int i = 0; i < n / 10; i++) {
                e.executeDeferred(0, List.of(set, b(String.format("key:%012d", i)), b("updated!")));
                if ((i & 1023) == 1023) {
                    e.awaitDurable();
                }
            }
            e.awaitDurable();
        }
        long build = (System.nanoTime() - t0) / 1_000_000;
        long base = 0;
        long incr = 0;
        try (Stream<Path> files = Files.list(dir.resolve(KvStore.AOF_DIR))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if (f.endsWith(".base.rdb")) {
                    base += Files.size(p);
                } else if (f.endsWith(".incr.aof")) {
                    incr += Files.size(p);
                }
            }
        }
        System.gc();
        long r0 = System.nanoTime();
        try (KvStore s = KvStore.open(dir, KvStore.Options.defaults())) {
            long ms = (System.nanoTime() - r0) / 1_000_000;
            KvStore.Recovery r = s.recovery();
            System.out.printf(Locale.ROOT, "recovery of %,d keys: %,d ms (base %,d bytes with %,d keys, increment %,d bytes "
                            + "with %,d commands; building the store took %,d ms)%n", n, ms, base, r.keysLoaded(), incr,
                    r.commands(), build);
            if (s.engine().dbSize(0) != n) {
                throw new IllegalStateException("recovered " + s.engine().dbSize(0) + " keys");
            }
        }
        delete(dir);
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
