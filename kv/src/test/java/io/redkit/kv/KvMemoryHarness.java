package io.redkit.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: prints heap bytes per key for N small strings (16-byte keys, 8-byte values), measured from the heap
 * after full GCs, next to {@link KvEngine#usedMemory()}. Run with e.g.
 * {@code java -Xmx2g -XX:+UseSerialGC -cp kv/target/classes:kv/target/test-classes:core/target/classes
 * io.redkit.kv.KvMemoryHarness 1000000}.
 */
public final class KvMemoryHarness {
    private KvMemoryHarness() {
    }

    static long heapUsed() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /** Entry point: the number of keys is the first argument (default 1,000,000). */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long before = heapUsed();
        KvEngine e = new KvEngine();
        List<byte[]> argv = new ArrayList<>(3);
        byte[] set = "SET".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            byte[] k = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            byte[] v = String.format("%08d", i % 100_000_000).getBytes(StandardCharsets.US_ASCII);
            argv.clear();
            argv.add(set);
            argv.add(k);
            argv.add(v);
            e.execute(0, argv);
        }
        argv.clear();
        long after = heapUsed();
        long est = e.usedMemory();
        System.out.printf("keys=%d dbsize=%d heap delta=%d B (%.1f B/key) usedMemory=%d B (%.1f B/key)%n", n,
                e.dbSize(0), after - before, (after - before) / (double) n, est, est / (double) n);
        if (e.dbSize(0) != n) {
            throw new IllegalStateException("lost keys");
        }
    }
}
