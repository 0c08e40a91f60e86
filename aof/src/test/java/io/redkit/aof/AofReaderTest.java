package io.redkit.aof;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.SourceKind;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofReaderTest {
    @TempDir
    Path tmp;

    /** A command in RESP. */
    static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    static List<Event> drain(EventSource src) throws IOException {
        List<Event> out = new ArrayList<>();
        try (src) {
            Event e;
            while ((e = src.next()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Command> commands(List<Event> events) {
        List<Command> out = new ArrayList<>();
        for (Event e : events) {
            if (e instanceof Command c) {
                out.add(c);
            }
        }
        return out;
    }

    static String name(Command c) {
        return new String(c.argv().get(0), StandardCharsets.UTF_8);
    }

    Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    @Test
    void selectIsConsumedAndTheDbFollowsIt() throws IOException {
        String a = cmd("SET", "k", "v");
        Path f = write("a.aof", a + cmd("select", "3") + cmd("SET", "k", "w") + "#TS:42\r\n" + cmd("DEL", "k"));
        List<Event> ev = drain(AofReader.openFile(f, SourceOptions.defaults()));
        Begin b = (Begin) ev.get(0);
        assertEquals(SourceKind.AOF, b.sourceKind());
        assertNull(b.dialect());
        List<Command> cs = commands(ev);
        assertEquals(3, cs.size());
        assertEquals(0, cs.get(0).db());
        assertEquals(3, cs.get(1).db());
        assertEquals(3, cs.get(2).db());
        assertEquals(-1, cs.get(1).timestampS());
        assertEquals(42, cs.get(2).timestampS());
        assertEquals(0, cs.get(0).offset());
        assertEquals(a.length() + cmd("select", "3").length(), cs.get(1).offset());
        assertEquals(EventKind.END, ev.get(ev.size() - 1).kind());
        assertEquals(Files.size(f), ev.get(ev.size() - 1).offset());
    }

    @Test
    void badSelectIsBadFormat() throws IOException {
        Path f = write("a.aof", cmd("SELECT", "x"));
        RedkitException e = assertThrows(RedkitException.class, () -> drain(AofReader.openFile(f, SourceOptions.defaults())));
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertEquals(0, e.offset());
    }

    @Test
    void multiExecPassThrough() throws IOException {
        Path f = write("a.aof", cmd("MULTI") + cmd("SELECT", "1") + cmd("INCR", "n") + cmd("EXEC"));
        List<Command> cs = commands(drain(AofReader.openFile(f, SourceOptions.defaults())));
        assertEquals(List.of("MULTI", "INCR", "EXEC"), cs.stream().map(AofReaderTest::name).toList());
        assertEquals(1, cs.get(1).db());
    }

    @Test
    void unterminatedMultiIsTruncatedAtTheMulti() throws IOException {
        String head = cmd("SET", "a", "1");
        Path f = write("a.aof", head + cmd("MULTI") + cmd("INCR", "n"));
        AofReader r = AofReader.openFile(f, SourceOptions.defaults());
        RedkitException e = assertThrows(RedkitException.class, () -> {
            while (r.next() != null) {
                assertTrue(r.safeCutPosition().offset() <= head.length());
            }
        });
        assertEquals(ErrorKind.TRUNCATED, e.kind());
        assertEquals(head.length(), e.offset());
        assertEquals(f.toString(), e.source());
        assertEquals(head.length(), r.safeCutPosition().offset());
        assertThrows(RedkitException.class, r::next);
    }

    @Test
    void nestedMultiAndLoneExecAreBadFormat() throws IOException {
        Path nested = write("n.aof", cmd("MULTI") + cmd("MULTI") + cmd("EXEC"));
        RedkitException e = assertThrows(RedkitException.class, () -> drain(AofReader.openFile(nested, SourceOptions.defaults())));
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertEquals(cmd("MULTI").length(), e.offset());
        Path lone = write("l.aof", cmd("EXEC"));
        assertEquals(ErrorKind.BAD_FORMAT,
                assertThrows(RedkitException.class, () -> drain(AofReader.openFile(lone, SourceOptions.defaults()))).kind());
    }

    @Test
    void multiPartDirectoryResetsTheDbPerFileAndNamesEachFile() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("appendonlydir"));
        Files.writeString(dir.resolve("appendonly.aof.manifest"),
                "file appendonly.aof.1.base.aof seq 1 type h\n"
                        + "file appendonly.aof.2.base.aof seq 2 type b\n"
                        + "file appendonly.aof.2.incr.aof seq 2 type i\n"
                        + "file appendonly.aof.3.incr.aof seq 3 type i\n"
                        + "file appendonly.aof.4.incr.aof seq 4 type i\n");
        Files.writeString(dir.resolve("appendonly.aof.1.base.aof"), "garbage that must not be read");
        Files.writeString(dir.resolve("appendonly.aof.2.base.aof"), cmd("SELECT", "2") + cmd("SET", "a", "1"));
        Files.writeString(dir.resolve("appendonly.aof.2.incr.aof"), cmd("SET", "b", "2"));
        Files.writeString(dir.resolve("appendonly.aof.3.incr.aof"), "");
        Files.writeString(dir.resolve("appendonly.aof.4.incr.aof"), cmd("SET", "c", "3") + "*3\r\n$3\r\nSET");
        Files.writeString(dir.resolve("temp-appendonly.aof.manifest"), "junk");
        AofReader r = AofReader.openDirectory(dir, SourceOptions.defaults());
        assertEquals(4, r.files().size());
        List<Command> cs = new ArrayList<>();
        RedkitException e = assertThrows(RedkitException.class, () -> {
            Event ev;
            while ((ev = r.next()) != null) {
                if (ev instanceof Command c) {
                    cs.add(c);
                }
            }
        });
        assertEquals(3, cs.size());
        assertEquals(2, cs.get(0).db());
        assertEquals(0, cs.get(1).db());
        assertEquals(0, cs.get(2).db());
        assertEquals(ErrorKind.TRUNCATED, e.kind());
        assertEquals(dir.resolve("appendonly.aof.4.incr.aof").toString(), e.source());
        assertEquals(cmd("SET", "c", "3").length(), e.offset());
        assertEquals(new AofReader.Position(dir.resolve("appendonly.aof.4.incr.aof").toString(), cmd("SET", "c", "3").length()),
                r.safeCutPosition());
    }

    @Test
    void missingListedFileIsReportedBeforeReading() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Files.writeString(dir.resolve("x.manifest"), "file a.aof seq 1 type b\nfile b.aof seq 1 type i\n");
        Files.writeString(dir.resolve("a.aof"), cmd("PING"));
        RedkitException e = assertThrows(RedkitException.class, () -> AofReader.openDirectory(dir, SourceOptions.defaults()));
        assertEquals(ErrorKind.MISSING_FILE, e.kind());
        assertTrue(e.source().endsWith("b.aof"));
    }

    @Test
    void directoryWithoutManifest() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("empty"));
        assertEquals(ErrorKind.MISSING_FILE,
                assertThrows(RedkitException.class, () -> Sources.open(dir.toString(), SourceOptions.defaults())).kind());
    }

    @Test
    void preambleOffsetsContinueAfterTheRdb() throws IOException {
        byte[] rdb = Files.readAllBytes(Fixtures.root().resolve("rdb/r70-small.rdb"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(rdb);
        all.write(cmd("SELECT", "5").getBytes(StandardCharsets.UTF_8));
        all.write(cmd("SET", "tail", "1").getBytes(StandardCharsets.UTF_8));
        Path f = tmp.resolve("pre.aof");
        Files.write(f, all.toByteArray());
        List<Event> ev = drain(AofReader.openFile(f, SourceOptions.defaults()));
        Begin b = (Begin) ev.get(0);
        assertEquals(SourceKind.AOF, b.sourceKind());
        assertEquals(Dialect.REDIS, b.dialect());
        assertEquals(10, b.rdbVersion());
        assertEquals(1, ev.stream().filter(e -> e.kind() == EventKind.BEGIN).count());
        assertEquals(1, ev.stream().filter(e -> e.kind() == EventKind.END).count());
        assertTrue(ev.stream().anyMatch(e -> e.kind() == EventKind.KEY_START));
        Command c = commands(ev).get(0);
        assertEquals(5, c.db());
        assertEquals(rdb.length + cmd("SELECT", "5").length(), c.offset());
        End end = (End) ev.get(ev.size() - 1);
        assertTrue(end.checksumVerified());
        assertEquals(all.size(), end.offset());

        // the same bytes through Sources start as an RDB, then go on with the commands
        List<Event> viaSources = drain(Sources.open(f.toString(), SourceOptions.defaults()));
        assertEquals(SourceKind.RDB, ((Begin) viaSources.get(0)).sourceKind());
        assertEquals(1, commands(viaSources).size());
    }

    @Test
    void badTailAfterPreambleNamesTheFileAndOffset() throws IOException {
        byte[] rdb = Files.readAllBytes(Fixtures.root().resolve("rdb/r70-small.rdb"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(rdb);
        all.write("*1\r\n$4\r\nPING\r\nX".getBytes(StandardCharsets.UTF_8));
        Path f = tmp.resolve("pre.aof");
        Files.write(f, all.toByteArray());
        RedkitException e = assertThrows(RedkitException.class, () -> drain(Sources.open(f.toString(), SourceOptions.defaults())));
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertEquals(rdb.length + 14, e.offset());
    }

    @Test
    void compressedAofIsDetectedByContent() throws IOException {
        Path f = tmp.resolve("x.rdb");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(("#TS:1\r\n" + cmd("SET", "k", "v")).getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(Sources.Kind.AOF, Sources.detect(f.toString()));
        List<Command> cs = commands(drain(Sources.open(f.toString(), SourceOptions.defaults())));
        assertEquals(1, cs.size());
        assertEquals(1, cs.get(0).timestampS());
    }

    @Test
    void manifestDetectedAfterCommentLines() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("m"));
        Path m = dir.resolve("weird-name.txt");
        Files.writeString(m, "# written by hand\nfile a.aof seq 1 type i\n");
        Files.writeString(dir.resolve("a.aof"), cmd("SET", "k", "v"));
        assertEquals(Sources.Kind.MANIFEST, Sources.detect(m.toString()));
        assertEquals(1, commands(drain(Sources.open(m.toString(), SourceOptions.defaults()))).size());
        assertEquals(Sources.Kind.AOF, Sources.classify("#TS:1\r\n*1\r\n".getBytes(StandardCharsets.UTF_8), 11));
        assertEquals(Sources.Kind.RDB, Sources.classify("REDIS0011".getBytes(StandardCharsets.UTF_8), 9));
        assertEquals(Sources.Kind.RDB, Sources.classify(new byte[0], 0));
    }

    @Test
    void unknownContentIsRejectedByTheRdbReader() throws IOException {
        Path f = write("x", "hello world, this is no RDB");
        RedkitException e = assertThrows(RedkitException.class, () -> drain(Sources.open(f.toString(), SourceOptions.defaults())));
        assertEquals(ErrorKind.BAD_MAGIC, e.kind());
    }

    @Test
    void serverDataDirectoryLeadsToItsAof() throws IOException {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path aofDir = Files.createDirectory(data.resolve("appendonlydir"));
        Files.writeString(aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.incr.aof seq 1 type i\n");
        Files.writeString(aofDir.resolve("appendonly.aof.1.incr.aof"), cmd("SET", "new", "1"));
        Files.writeString(data.resolve("appendonly.aof"), cmd("SET", "old", "1") + cmd("SET", "old", "2"));
        assertEquals(1, commands(drain(Sources.open(data.toString(), SourceOptions.defaults()))).size());
        Files.delete(aofDir.resolve("appendonly.aof.manifest"));
        Files.delete(aofDir.resolve("appendonly.aof.1.incr.aof"));
        Files.delete(aofDir);
        assertEquals(2, commands(drain(Sources.open(data.toString(), SourceOptions.defaults()))).size());
    }

    @Test
    void valkeyBaseIsReadAsRdb() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("vk"));
        Files.copy(Fixtures.root().resolve("rdb/hdt-valkey_hash2_with_hfe.rdb"), dir.resolve("appendonly.aof.1.base.rdb"));
        Files.writeString(dir.resolve("appendonly.aof.1.incr.aof"), cmd("SET", "k", "v"));
        Files.writeString(dir.resolve("appendonly.aof.manifest"),
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
        List<Event> ev = drain(Sources.open(dir.toString(), SourceOptions.defaults()));
        assertEquals(Dialect.VALKEY, ((Begin) ev.get(0)).dialect());
        assertTrue(ev.stream().anyMatch(e -> e.kind() == EventKind.KEY_START));
        assertEquals(1, commands(ev).size());
    }

    @Test
    void streamsAreDecidedByContentToo() throws IOException {
        byte[] aof = ("#TS:5\r\n" + cmd("SET", "k", "v")).getBytes(StandardCharsets.UTF_8);
        List<Command> cs = commands(drain(Sources.open(
                new java.io.BufferedInputStream(new java.io.ByteArrayInputStream(aof)), "<stdin>", null, SourceOptions.defaults())));
        assertEquals(1, cs.size());
        assertEquals(5, cs.get(0).timestampS());
        byte[] manifest = "file a.aof seq 1 type i\n".getBytes(StandardCharsets.UTF_8);
        RedkitException e = assertThrows(RedkitException.class, () -> drain(Sources.open(
                new java.io.BufferedInputStream(new java.io.ByteArrayInputStream(manifest)), "<stdin>", null,
                SourceOptions.defaults())));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
    }

    @Test
    void emptyManifestDirectoryReadsToEnd() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("h"));
        Files.writeString(dir.resolve("appendonly.aof.manifest"), "file a.aof seq 1 type h\n");
        List<Event> ev = drain(Sources.open(dir.toString(), SourceOptions.defaults()));
        assertEquals(List.of(EventKind.BEGIN, EventKind.END), ev.stream().map(Event::kind).toList());
    }
}
