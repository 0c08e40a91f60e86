package io.redkit.verify;

import io.redkit.aof.AofReader;
import io.redkit.aof.SourceOptions;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repaired and point-in-time copies of AOFs: what they keep, what they leave, and what they refuse. */
class AofRepairTest {
    @TempDir
    Path tmp;

    private static final SourceOptions OPTS = SourceOptions.defaults();

    private static List<Command> commands(AofReader r) throws IOException {
        List<Command> out = new ArrayList<>();
        Event e;
        while ((e = r.next()) != null) {
            if (e instanceof Command c) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean valid(Path p) {
        return new Verifier(OPTS).verify(p.toString()).get(0).valid();
    }

    @Test
    void fixCutsTheTruncatedLastCommandOfADirectory() throws IOException {
        Path in = Fixtures.root().resolve("corrupt/aof-truncated-last-command");
        Path out = tmp.resolve("fixed");
        AofRepair.Outcome o = AofRepair.fix(in, out, OPTS);
        assertTrue(o.changed());
        assertEquals(1948, o.cutOffset());
        assertEquals(1974 - 1948, o.bytesDropped());
        assertTrue(valid(out));
        assertEquals(1948, Files.size(out.resolve("appendonly.aof.2.incr.aof")));
        assertArrayEquals(Files.readAllBytes(in.resolve("appendonly.aof.2.base.aof")),
                Files.readAllBytes(out.resolve("appendonly.aof.2.base.aof")));
        // the input is untouched, and a second run refuses to overwrite
        assertEquals(1974, Files.size(in.resolve("appendonly.aof.2.incr.aof")));
        assertThrows(FileAlreadyExistsException.class, () -> AofRepair.fix(in, out, OPTS));
    }

    @Test
    void fixASingleFileAndInPlaceWithBackup() throws IOException {
        Path src = Fixtures.root().resolve("corrupt/aof-single-truncated.aof");
        Path out = tmp.resolve("fixed.aof");
        AofRepair.Outcome o = AofRepair.fix(src, out, OPTS);
        assertEquals(2969, o.cutOffset());
        assertTrue(valid(out));

        Path copy = tmp.resolve("inplace.aof");
        Files.copy(src, copy);
        AofRepair.Outcome p = AofRepair.fixInPlace(copy, OPTS);
        assertEquals(2969, Files.size(copy));
        assertEquals(tmp.resolve("inplace.aof.bak"), p.backup());
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(p.backup()));
        assertTrue(valid(copy));
        // nothing left to fix
        assertFalse(AofRepair.fixInPlace(copy, OPTS).changed());
    }

    @Test
    void fixRefusesWhatIsNotATruncation() {
        Path bad = Fixtures.root().resolve("corrupt/aof-bad-format-middle");
        RedkitException e = assertThrows(RedkitException.class, () -> AofRepair.fix(bad, tmp.resolve("x"), OPTS));
        assertEquals("bad-format", e.kind().id());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void truncateToTimestampKeepsCommandsUpToT() throws IOException {
        Path in = Fixtures.root().resolve("aof/r70-aof-timestamp");
        List<Command> all = commands(AofReader.openDirectory(in, OPTS));
        for (long t : new long[] {1795437820L, 1795437821L, 1795437822L}) {
            Path out = tmp.resolve("pit-" + t);
            AofRepair.Outcome o = AofRepair.truncateToTimestamp(in, out, t, OPTS);
            assertTrue(o.changed());
            assertTrue(valid(out));
            List<Command> kept = commands(AofReader.openDirectory(out, OPTS));
            long expected = all.stream().filter(c -> c.timestampS() <= t).count();
            assertEquals(expected, kept.size(), "T=" + t);
            assertEquals(expected, o.commandsKept());
            for (int i = 0; i < kept.size(); i++) {
                assertArrayEquals(all.get(i).argv().toArray(), kept.get(i).argv().toArray());
            }
            assertTrue(new Verifier(OPTS).verify(out.toString()).get(0).facts().newestTimestampS() <= t);
        }
        // after the newest annotation there is nothing to cut
        assertFalse(AofRepair.truncateToTimestamp(in, tmp.resolve("none"), 1795437823L, OPTS).changed());
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    @Test
    void truncateToTimestampBeforeTheIncrementKeepsItEmpty() throws IOException {
        Path in = Fixtures.root().resolve("aof/r70-aof-timestamp");
        Path out = tmp.resolve("early");
        // the base is annotated 1795437819, the increment starts at 1795437820
        AofRepair.Outcome o = AofRepair.truncateToTimestamp(in, out, 1795437819L, OPTS);
        assertEquals(0, o.cutOffset());
        assertEquals(List.of(), o.filesDropped());
        assertEquals(Files.size(in.resolve("appendonly.aof.2.base.aof")), Files.size(out.resolve("appendonly.aof.2.base.aof")));
        assertEquals(0, Files.size(out.resolve("appendonly.aof.2.incr.aof")));
        assertTrue(valid(out));
    }

    @Test
    void manifestTokensAreQuotedWhenNeeded() {
        assertEquals("appendonly.aof.1.base.rdb", AofRepair.quote("appendonly.aof.1.base.rdb"));
        assertEquals("\"a b\\\"c\"", AofRepair.quote("a b\"c"));
    }

    @Test
    void fixAfterAnRdbPreambleAndAnOpenMulti() throws IOException {
        byte[] pre = Files.readAllBytes(Fixtures.root().resolve("aof/redis-rdb-preamble.aof"));
        // a command cut after the preamble's commands
        byte[] cut = java.util.Arrays.copyOf(pre, pre.length + 9);
        System.arraycopy("*2\r\n$6\r\nSE".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, cut, pre.length, 9);
        Path in = tmp.resolve("pre.aof");
        Files.write(in, cut);
        AofRepair.Outcome o = AofRepair.fix(in, tmp.resolve("pre.fixed"), OPTS);
        assertEquals(pre.length, o.cutOffset());
        assertArrayEquals(pre, Files.readAllBytes(tmp.resolve("pre.fixed")));

        // whole commands, but a MULTI never closed: the transaction goes, as redis-check-aof --fix does
        byte[] incr = Files.readAllBytes(Fixtures.root().resolve("aof/r70-aof-plain/appendonly.aof.2.incr.aof"));
        byte[] tail = "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] open = java.util.Arrays.copyOf(incr, incr.length + tail.length);
        System.arraycopy(tail, 0, open, incr.length, tail.length);
        Path multi = tmp.resolve("multi.aof");
        Files.write(multi, open);
        assertEquals(incr.length, AofRepair.fix(multi, tmp.resolve("multi.fixed"), OPTS).cutOffset());
        assertArrayEquals(incr, Files.readAllBytes(tmp.resolve("multi.fixed")));
    }

    @Test
    void aTruncationInsideTheRdbPreambleIsNotRepaired() throws IOException {
        byte[] pre = Files.readAllBytes(Fixtures.root().resolve("aof/redis-rdb-preamble.aof"));
        Path in = tmp.resolve("cut.aof");
        Files.write(in, java.util.Arrays.copyOf(pre, 40));
        RedkitException e = assertThrows(RedkitException.class, () -> AofRepair.fix(in, tmp.resolve("o"), OPTS));
        assertEquals("truncated", e.kind().id());
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
