package io.redkit.kv;

import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The child JVM of {@link KvCrashTest}: opens the store, then each of N threads loops over atomic cross-shard
 * writes {@code MSET t:i:a i t:i:b i t:last i} (i continuing from what recovery found) and prints {@code t i}
 * once the engine acknowledged it. It runs until it is killed.
 */
public final class KvCrashChild {
    private KvCrashChild() {
    }

    /** Arguments: DIR FSYNC THREADS. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        AofLog.Fsync fsync = AofLog.Fsync.valueOf(args[1].toUpperCase(Locale.ROOT));
        int threads = Integer.parseInt(args[2]);
        KvStore store = KvStore.open(dir, KvStore.Options.defaults().withFsync(fsync));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        out.println("ready");
        out.flush();
        for (int t = 0; t < threads; t++) {
            final int th = t;
            Thread w = new Thread(() -> {
                KvEngine e = store.engine();
                Reply last = e.execute(0, List.of(b("GET"), b(th + ":last")));
                long i = last instanceof Reply.Bulk bulk ? Long.parseLong(new String(bulk.data(), StandardCharsets.US_ASCII)) + 1 : 0;
                while (true) {
                    byte[] v = b(Long.toString(i));
                    Reply r = e.execute(0, List.of(b("MSET"), b(th + ":" + i + ":a"), v, b(th + ":" + i + ":b"), v,
                            b(th + ":last"), v));
                    if (!(r instanceof Reply.Simple)) {
                        System.err.println("write failed: " + r);
                        System.exit(3);
                    }
                    synchronized (out) {
                        out.println(th + " " + i);
                        out.flush();
                    }
                    i++;
                }
            }, "writer-" + t);
            w.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
