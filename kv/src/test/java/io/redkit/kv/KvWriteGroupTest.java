package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write groups (MULTI/EXEC, scripts) reach the log as one MULTI ... EXEC block, and a log cut anywhere inside the
 * block (what {@code kill -9} during its write leaves) recovers to the state before the transaction, as Redis's
 * loader treats an AOF that ends inside MULTI.
 */
class KvWriteGroupTest {
    private static final String INCR = "appendonlydir/appendonly.aof.1.incr.aof";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    private KvStore open(Path d) throws Exception {
        return KvStore.open(d, KvStoreTest.opts(clock, AofLog.Fsync.ALWAYS));
    }

    private static void group(KvEngine e, String... cmds) {
        e.beginGroup();
        try {
            for (String c : cmds) {
                Kv.run(e, c);
            }
        } finally {
            e.endGroup();
        }
        assertTrue(e.awaitDurable());
    }

    @Test
    void aGroupIsOneMultiExecBlockAndASingleWriteIsNot() throws Exception {
        try (KvStore s = open(dir)) {
            KvEngine e = s.engine();
            Kv.run(e, "SET before 1");
            group(e, "SET a 1", "INCR n", "GET a", "SET b 2 EX 100");
            group(e, "SET alone 1", "GET alone");
            group(e, "GET nothing");
        }
        String log = Files.readString(dir.resolve(INCR), StandardCharsets.ISO_8859_1);
        int multi = log.indexOf("*1\r\n$5\r\nMULTI\r\n");
        int exec = log.indexOf("*1\r\n$4\r\nEXEC\r\n");
        assertTrue(multi > log.indexOf("$6\r\nbefore\r\n"), log);
        assertTrue(exec > multi, log);
        String block = log.substring(multi, exec);
        assertTrue(block.contains("$1\r\na\r\n$1\r\n1\r\n"), block);
        assertTrue(block.contains("$4\r\nINCR\r\n$1\r\nn\r\n"), block);
        // SET ... EX is logged as its absolute state, inside the block
        assertTrue(block.contains("$1\r\nb\r\n$1\r\n2\r\n$4\r\nPXAT\r\n"), block);
        assertEquals(multi, log.lastIndexOf("MULTI") - 8, "one block: the one-command group is logged plainly");
        assertTrue(log.indexOf("$5\r\nalone\r\n") > exec, log);
        try (KvStore s = open(dir)) {
            assertEquals("\"1\"", Kv.run(s.engine(), "GET a"));
            assertEquals("\"1\"", Kv.run(s.engine(), "GET n"));
            assertEquals(0, s.recovery().commandErrors());
            assertNull(s.recovery().truncatedFile());
        }
    }

    @Test
    void aLogCutInsideTheBlockDropsTheWholeTransaction() throws Exception {
        try (KvStore s = open(dir)) {
            KvEngine e = s.engine();
            Kv.run(e, "SET a old");
            Kv.run(e, "RPUSH l x");
            group(e, "SET a new", "RPUSH l y", "INCR n", "DEL gone", "SET b 2");
        }
        byte[] full = Files.readAllBytes(dir.resolve(INCR));
        String text = new String(full, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("*1\r\n$5\r\nMULTI\r\n");
        int end = text.indexOf("*1\r\n$4\r\nEXEC\r\n") + "*1\r\n$4\r\nEXEC\r\n".length();
        assertTrue(start > 0 && end == full.length, text);
        // every cut from just after the last command before MULTI to one byte short of the end of EXEC
        for (int cut = start + 1; cut < end; cut++) {
            Path d = dir.resolveSibling(dir.getFileName() + "-cut-" + cut);
            copy(dir, d);
            try (var ch = java.nio.channels.FileChannel.open(d.resolve(INCR), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            try (KvStore s = open(d)) {
                KvEngine e = s.engine();
                assertEquals("\"old\"", Kv.run(e, "GET a"), "cut at " + cut);
                assertEquals(":1", Kv.run(e, "LLEN l"), "cut at " + cut);
                assertEquals(":0", Kv.run(e, "EXISTS n"), "cut at " + cut);
                assertEquals(":0", Kv.run(e, "EXISTS b"), "cut at " + cut);
                assertNotNull(s.recovery().truncatedFile(), "cut at " + cut);
                assertEquals(cut - start, s.recovery().truncatedBytes(), "cut at " + cut);
            }
            assertEquals(start, Files.size(d.resolve(INCR)), "the torn transaction is cut off the file");
            delete(d);
        }
        try (KvStore s = open(dir)) {
            assertEquals(":1", Kv.run(s.engine(), "EXISTS b"));
            assertEquals(":2", Kv.run(s.engine(), "LLEN l"));
        }
    }

    @Test
    void aSnapshotStartsOnlyBetweenGroups() throws Exception {
        KvEngine e = new KvEngine(clock, 4);
        java.util.concurrent.CountDownLatch inGroup = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            e.beginGroup();
            try {
                Kv.run(e, "SET x 1");
                inGroup.countDown();
                go.await();
                Kv.run(e, "SET y 1");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                e.endGroup();
            }
        });
        t.start();
        inGroup.await();
        java.util.concurrent.CompletableFuture<String> snap =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return KvModelProperties.dump(e.snapshot());
                    } catch (java.io.IOException ex) {
                        throw new java.io.UncheckedIOException(ex);
                    }
                });
        // the snapshot must be waiting for the group (if it did not wait it is done, without y)
        while (!e.waitingForGroups() && !snap.isDone()) {
            Thread.onSpinWait();
        }
        go.countDown();
        t.join();
        String s = snap.get();
        assertTrue(s.contains("x") && s.contains("y"), "the snapshot holds the whole group: " + s);
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void delete(Path d) throws Exception {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
