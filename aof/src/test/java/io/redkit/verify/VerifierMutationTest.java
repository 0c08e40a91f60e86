package io.redkit.verify;

import io.redkit.aof.RespCommandReader;
import io.redkit.aof.SourceOptions;
import io.redkit.core.Limits;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage made on purpose, one change at a time, must always be flagged: a flipped byte anywhere in
 * a checksummed RDB, and a cut anywhere in an RDB (at the cut) or an AOF (where the cut command starts).
 */
class VerifierMutationTest {
    /** Checksummed RDBs of every producer and several versions, small enough for a thousand runs. */
    private static final List<String> CHECKSUMMED = List.of("rdb/r70-small.rdb", "rdb/r70-expires.rdb",
            "rdb/r70-zsets.rdb", "rdb/r74-hfe.rdb", "rdb/r74-cluster.rdb", "rdb/vk80-streams.rdb",
            "rdb/vk80-functions.rdb", "rdb/librdb-hash_lp_v11.rdb", "rdb/rdbtools-rdb_version_5_with_checksum.rdb",
            "rdb/replicator-dumpV9.rdb");
    private static final List<String> AOFS = List.of("aof/replicator-appendonly1.aof", "aof/replicator-appendonly-with-ts.aof",
            "aof/redis-rdb-preamble.aof", "aof/r70-aof-plain/appendonly.aof.2.incr.aof",
            "aof/r70-aof-timestamp/appendonly.aof.2.incr.aof", "aof/r70-aof-multi-incr/appendonly.aof.3.incr.aof");

    private final Verifier verifier = new Verifier(SourceOptions.defaults());

    private FileReport verify(byte[] content, String name) {
        List<FileReport> r = verifier.verifyStream(new ByteArrayInputStream(content), name, null);
        assertEquals(1, r.size(), name);
        return r.get(0);
    }

    @Test
    void everyFlippedByteOfAChecksummedRdbIsFlagged() throws IOException {
        Random rnd = new Random(20261125L);
        // the chosen files, plus every small checksummed fixture RDB
        List<String> names = new ArrayList<>(CHECKSUMMED);
        try (java.util.stream.Stream<Path> s = Files.list(Fixtures.root().resolve("rdb"))) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String n = "rdb/" + p.getFileName();
                if (n.endsWith(".rdb") && Files.size(p) < 16 * 1024 && !names.contains(n)
                        && verify(Files.readAllBytes(p), n).facts().checksumVerified()) {
                    names.add(n);
                }
            }
        }
        assertTrue(names.size() > 40, "checksummed RDBs: " + names.size());
        List<byte[]> files = new ArrayList<>();
        for (String f : names) {
            byte[] b = Files.readAllBytes(Fixtures.root().resolve(f));
            assertTrue(verify(b, f).valid(), f);
            assertTrue(verify(b, f).facts().checksumVerified(), f + " must carry a checksum");
            files.add(b);
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int which = rnd.nextInt(files.size());
            byte[] b = files.get(which).clone();
            int pos = rnd.nextInt(b.length);
            b[pos] ^= (byte) (1 + rnd.nextInt(255));
            FileReport r = verify(b, names.get(which));
            if (r.valid()) {
                missed.add(names.get(which) + " byte " + pos);
            }
            for (Problem p : r.problems()) {
                if (p.kind().equals(Problem.INTERNAL) || p.isIo()) {
                    missed.add(names.get(which) + " byte " + pos + ": " + p.message());
                }
            }
        }
        assertTrue(missed.isEmpty(), missed.size() + " flips not flagged: " + missed);
    }

    @Test
    void everyTruncatedRdbIsFlaggedAtTheCut() throws IOException {
        Random rnd = new Random(42L);
        List<String> names = new ArrayList<>(CHECKSUMMED);
        names.add("rdb/r70-checksum-off.rdb");
        names.add("rdb/r70-mixed.rdb");
        names.add("rdb/r70-lists.rdb");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = names.get(rnd.nextInt(names.size()));
            byte[] b = Files.readAllBytes(Fixtures.root().resolve(name));
            int cut = rnd.nextInt(b.length);
            FileReport r = verify(Arrays.copyOf(b, cut), name);
            Problem p = r.problems().isEmpty() ? null : r.problems().get(0);
            if (p == null || !p.kind().equals("truncated") || p.offset() != cut) {
                wrong.add(name + " cut at " + cut + ": " + r.problems());
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " cuts wrongly reported: " + wrong);
    }

    /** Where each command of an AOF starts and ends, from a clean read. */
    private record Span(long start, long end, boolean inMulti) {
    }

    /** Length of the RDB preamble of an AOF (0 without one). */
    private static long preamble(byte[] b) throws IOException {
        if (b[0] != 'R') {
            return 0;
        }
        RdbReader r = RdbReader.open(new ByteArrayInputStream(b), "preamble");
        while (r.next() != null) {
            // to the end of the RDB part
        }
        return r.offset();
    }

    /** Every command of the RESP part (SELECT included), read on its own. */
    private static List<Span> spans(byte[] b, long from, String name) throws IOException {
        List<Span> out = new ArrayList<>();
        RespCommandReader r = new RespCommandReader(new ByteArrayInputStream(b, (int) from, b.length - (int) from),
                name, from, Limits.defaults());
        boolean multi = false;
        List<byte[]> argv;
        while ((argv = r.next()) != null) {
            String cmd = new String(argv.get(0), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            boolean open = multi || cmd.equals("MULTI");
            multi = open && !cmd.equals("EXEC");
            out.add(new Span(r.commandOffset(), r.offset(), multi));
        }
        return out;
    }

    @Test
    void everyTruncatedAofIsFlaggedWhereTheCutCommandStarts() throws IOException {
        Random rnd = new Random(7L);
        List<String> wrong = new ArrayList<>();
        int flagged = 0;
        for (int i = 0; i < 200; i++) {
            String name = AOFS.get(rnd.nextInt(AOFS.size()));
            byte[] b = Files.readAllBytes(Fixtures.root().resolve(name));
            long firstCommand = preamble(b);
            List<Span> spans = spans(b, firstCommand, name);
            // a cut inside an RDB preamble is an RDB truncation: reported at the cut
            int cut = rnd.nextInt(b.length);
            FileReport r = verify(Arrays.copyOf(b, cut), name);
            Problem p = r.problems().isEmpty() ? null : r.problems().get(0);
            if (cut < firstCommand) {
                if (p == null || !p.kind().equals("truncated") || p.offset() != cut) {
                    wrong.add(name + " cut at " + cut + " (in the RDB preamble): " + r.problems());
                }
                flagged++;
                continue;
            }
            // the last command that ends at or before the cut, and the first that the cut splits
            long lo = firstCommand;
            long hi = cut;
            long multiStart = -1;
            boolean clean = cut == firstCommand;
            for (Span s : spans) {
                if (s.end() <= cut) {
                    lo = s.end();
                    clean = s.end() == cut;
                    multiStart = s.inMulti() ? (multiStart < 0 ? s.start() : multiStart) : -1;
                } else {
                    if (s.start() < cut) {
                        hi = s.start();
                        lo = s.start();
                        clean = false;
                    }
                    break;
                }
            }
            if (multiStart >= 0 && clean) {
                // whole commands, but an open MULTI: truncated at the MULTI
                if (p == null || !p.kind().equals("truncated") || p.offset() != multiStart) {
                    wrong.add(name + " cut at " + cut + " inside MULTI at " + multiStart + ": " + r.problems());
                }
                flagged++;
                continue;
            }
            if (clean) {
                if (p != null) {
                    wrong.add(name + " cut at " + cut + " between commands: " + r.problems());
                }
                continue;
            }
            // a cut in annotation bytes between commands may be reported anywhere from the last command's end to the cut
            if (p == null || !p.kind().equals("truncated") || p.offset() < lo || p.offset() > Math.max(hi, lo)) {
                wrong.add(name + " cut at " + cut + " (expected truncated at " + lo + ".." + hi + "): " + r.problems());
            }
            flagged++;
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " cuts wrongly reported: " + wrong);
        assertTrue(flagged > 150, "most random cuts split a command: " + flagged);
    }
}
