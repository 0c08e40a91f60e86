package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.kv.persist.KvStore;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance 3 of issue 5: a child JVM writing from 4 threads is killed with SIGKILL 20 times at random moments;
 * after each kill the directory recovers with every acknowledged write (each thread's {@code t:last} at least its
 * last acknowledged i, and for every i up to it both keys of that MSET) and nothing half-applied (no MSET with one
 * key present and not the other, none beyond {@code t:last}). With fsync always and everysec: an acknowledged
 * write was handed to the OS, which survives the death of the process.
 */
class KvCrashTest {
    private static final int THREADS = 4;
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"always", "everysec"})
    void killedChildLosesNoAcknowledgedWrite(String fsync) throws Exception {
        Random rnd = new Random(fsync.hashCode());
        Path data = dir.resolve(fsync);
        long totalAcked = 0;
        for (int round = 0; round < KILLS; round++) {
            AtomicLongArray acked = new AtomicLongArray(THREADS);
            for (int t = 0; t < THREADS; t++) {
                acked.set(t, -1);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), KvCrashChild.class.getName(), data.toString(), fsync,
                    Integer.toString(THREADS))
                    .redirectError(new File(dir.toFile(), "child-" + fsync + ".err")).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            assertEquals("ready", r.readLine(), "child did not start");
            Thread reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        int sp = line.indexOf(' ');
                        if (sp > 0) {
                            acked.set(Integer.parseInt(line.substring(0, sp)), Long.parseLong(line.substring(sp + 1)));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the child died mid-line: that line was never a whole acknowledgement
                }
            });
            reader.start();
            Thread.sleep(100 + rnd.nextInt(300));
            // SIGKILL: no shutdown hook, no flush
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            try (KvStore s = KvStore.open(data, KvStore.Options.defaults())) {
                KvEngine e = s.engine();
                for (int t = 0; t < THREADS; t++) {
                    long last = num(e, t + ":last");
                    assertTrue(last >= acked.get(t), fsync + " round " + round + ": thread " + t + " acknowledged "
                            + acked.get(t) + " but recovered " + last);
                    totalAcked += Math.max(0, acked.get(t));
                    // every MSET up to last is whole, none after it exists
                    for (long i = Math.max(0, last - 300); i <= last + 3; i++) {
                        boolean a = exists(e, t + ":" + i + ":a");
                        boolean b = exists(e, t + ":" + i + ":b");
                        assertEquals(a, b, "half-applied MSET " + t + ":" + i);
                        assertEquals(i <= last, a, "MSET " + t + ":" + i + " vs last " + last);
                    }
                }
                if (s.recovery().truncatedFile() != null) {
                    System.out.println("KvCrashTest " + fsync + " round " + round + ": cut torn tail of "
                            + s.recovery().truncatedBytes() + " bytes");
                }
                if (round % 7 == 6) {
                    // a rewrite now and then, so recovery also runs from a base with increments after it
                    s.rewrite();
                }
            }
        }
        System.out.println("KvCrashTest " + fsync + ": " + KILLS + " kills, " + totalAcked
                + " acknowledged writes, all recovered whole");
        assertTrue(totalAcked > 0);
    }

    private static long num(KvEngine e, String k) {
        Reply r = e.execute(0, List.of("GET".getBytes(StandardCharsets.US_ASCII), k.getBytes(StandardCharsets.US_ASCII)));
        return r instanceof Reply.Bulk b ? Long.parseLong(new String(b.data(), StandardCharsets.US_ASCII)) : -1;
    }

    private static boolean exists(KvEngine e, String k) {
        Reply r = e.execute(0, List.of("EXISTS".getBytes(StandardCharsets.US_ASCII), k.getBytes(StandardCharsets.US_ASCII)));
        return r instanceof Reply.Int i && i.value() == 1;
    }
}
