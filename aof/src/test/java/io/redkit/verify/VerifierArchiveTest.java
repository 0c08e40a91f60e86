package io.redkit.verify;

import io.redkit.aof.SourceOptions;
import io.redkit.rdb.Fixtures;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archives (tar, tar.gz, zip) holding RDB files, AOF files and AOF directories are checked entry by entry. */
class VerifierArchiveTest {
    @TempDir
    Path tmp;

    private final Verifier verifier = new Verifier(SourceOptions.defaults());

    /** Archive members by name: a good RDB, a gzipped one, a corrupt one, a good and a truncated AOF directory. */
    private static Map<String, byte[]> members() throws IOException {
        Path f = Fixtures.root();
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("backup/dump.rdb", Files.readAllBytes(f.resolve("rdb/r70-small.rdb")));
        m.put("backup/old/dump.rdb.gz", gzip(Files.readAllBytes(f.resolve("rdb/r74-mixed.rdb"))));
        m.put("backup/bad.rdb", Files.readAllBytes(f.resolve("corrupt/rdb-checksum-mismatch.rdb")));
        for (String name : List.of("appendonly.aof.manifest", "appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof")) {
            m.put("backup/good/appendonlydir/" + name, Files.readAllBytes(f.resolve("aof/r70-aof-plain/" + name)));
            m.put("backup/cut/appendonlydir/" + name,
                    Files.readAllBytes(f.resolve("corrupt/aof-truncated-last-command/" + name)));
        }
        m.put("backup/single.aof", Files.readAllBytes(f.resolve("aof/replicator-appendonly1.aof")));
        return m;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] tar(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.putArchiveEntry(new TarArchiveEntry("backup/"));
            t.closeArchiveEntry();
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                TarArchiveEntry en = new TarArchiveEntry(e.getKey());
                en.setSize(e.getValue().length);
                t.putArchiveEntry(en);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                z.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                z.write(e.getValue());
                z.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream o = Files.newOutputStream(p)) {
            o.write(b);
        }
        return p;
    }

    private static List<String> verdicts(List<FileReport> reports) {
        List<String> out = new ArrayList<>();
        for (FileReport r : reports) {
            String name = r.name().substring(r.name().indexOf('!') + 1);
            StringBuilder sb = new StringBuilder(name).append(' ').append(r.format());
            for (Problem p : r.problems()) {
                sb.append(' ').append(p.kind()).append('@').append(p.offset());
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static final List<String> EXPECTED = List.of(
            "backup/dump.rdb rdb",
            "backup/old/dump.rdb.gz rdb",
            "backup/bad.rdb rdb checksum@166",
            "backup/single.aof aof",
            "backup/good/appendonlydir aof-dir",
            "backup/cut/appendonlydir aof-dir truncated@1948");

    @Test
    void tarGzAndTgzAndTarAndZip() throws IOException {
        Map<String, byte[]> m = members();
        for (Path p : List.of(write("b.tar", tar(m)), write("b.tar.gz", gzip(tar(m))), write("b.tgz", gzip(tar(m))),
                write("b.zip", zip(m)))) {
            List<FileReport> reports = verifier.verify(p.toString());
            assertEquals(EXPECTED, verdicts(reports), p.toString());
            assertTrue(reports.get(0).name().startsWith(p + "!"), reports.get(0).name());
            FileReport cut = reports.get(5);
            assertTrue(cut.problems().get(0).file().endsWith("!backup/cut/appendonlydir/appendonly.aof.2.incr.aof"),
                    cut.problems().get(0).file());
        }
    }

    @Test
    void aTruncatedArchiveIsFlagged() throws IOException {
        byte[] whole = gzip(tar(members()));
        Path p = write("cut.tar.gz", Arrays.copyOf(whole, whole.length / 2));
        List<FileReport> reports = verifier.verify(p.toString());
        assertTrue(reports.stream().anyMatch(r -> !r.valid()), reports.toString());
        assertTrue(reports.stream().flatMap(r -> r.problems().stream()).anyMatch(x -> x.kind().equals("truncated")),
                reports.toString());
        assertTrue(reports.stream().noneMatch(FileReport::hasIoProblem), reports.toString());
    }

    @Test
    void anEmptyArchiveIsFlagged() throws IOException {
        Path p = write("empty.tar", tar(Map.of()));
        List<FileReport> reports = verifier.verify(p.toString());
        assertEquals(1, reports.size());
        assertEquals("bad-format", reports.get(0).problems().get(0).kind());
    }

    @Test
    void anEntryThatFailsEarlyLeavesTheNextEntriesIntact() throws IOException {
        // a big RDB broken right after its header: its reader stops at once while read-ahead may still be busy
        byte[] big = Files.readAllBytes(Fixtures.root().resolve("rdb/replicator-dumpV8.rdb"));
        big[9] = 0x42;
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("a/broken.rdb", big);
        m.put("a/mixed.rdb", Files.readAllBytes(Fixtures.root().resolve("rdb/r70-mixed.rdb")));
        m.put("a/broken-too.rdb", big);
        m.put("a/small.rdb", Files.readAllBytes(Fixtures.root().resolve("rdb/r70-small.rdb")));
        Path p = write("big.tar", tar(m));
        for (int round = 0; round < 3; round++) {
            List<FileReport> reports = verifier.verify(p.toString());
            assertEquals(List.of("a/broken.rdb rdb unknown-type@9", "a/mixed.rdb rdb",
                    "a/broken-too.rdb rdb unknown-type@9", "a/small.rdb rdb"), verdicts(reports));
        }
    }
}
