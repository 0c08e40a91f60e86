package io.redkit.verify;

import io.redkit.aof.SourceOptions;
import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fixture verifies as valid; every corrupt case as invalid with its expected kind, offset and file. */
class VerifierFixtureTest {
    private static final Pattern ERROR = Pattern.compile("\"error\":\\s*\"([a-z-]+)\"");
    private static final Pattern OFFSET = Pattern.compile("\"offset\":\\s*(null|\\d+)");
    private static final Pattern FILE = Pattern.compile("\"file\":\\s*\"([^\"]+)\"");

    private final Verifier verifier = new Verifier(SourceOptions.defaults());

    @Test
    void everyValidFixtureIsValid() throws IOException {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String sub : List.of("rdb", "aof")) {
            try (Stream<Path> s = Files.list(Fixtures.root().resolve(sub))) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    String name = p.getFileName().toString();
                    if (!(name.endsWith(".rdb") || name.endsWith(".aof") || Files.isDirectory(p))) {
                        continue;
                    }
                    n++;
                    List<FileReport> reports = verifier.verify(p.toString());
                    assertEquals(1, reports.size(), name);
                    if (!reports.get(0).valid()) {
                        failures.add(name + ": " + reports.get(0).problems());
                    }
                }
            }
        }
        assertTrue(n > 150, "fixtures found: " + n);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void everyCorruptFixtureReportsItsKindOffsetAndFile() throws IOException {
        Path dir = Fixtures.root().resolve("corrupt");
        List<String> failures = new ArrayList<>();
        int n = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".json") || name.endsWith(".jsonl")) {
                    continue;
                }
                n++;
                String base = name.replaceAll("\\.(rdb|aof)$", "");
                String exp = Files.readString(dir.resolve(base + ".expected.json"), StandardCharsets.UTF_8);
                Matcher km = ERROR.matcher(exp);
                Matcher om = OFFSET.matcher(exp);
                assertTrue(km.find() && om.find(), base);
                Matcher fm = FILE.matcher(exp);
                String file = fm.find() ? fm.group(1) : null;
                Long offset = om.group(1).equals("null") ? null : Long.parseLong(om.group(1));
                List<FileReport> reports = verifier.verify(p.toString());
                assertEquals(1, reports.size(), name);
                FileReport r = reports.get(0);
                boolean found = false;
                for (Problem pr : r.problems()) {
                    String gotFile = pr.file() == null ? null : Path.of(pr.file()).getFileName().toString();
                    found |= pr.kind().equals(km.group(1)) && (offset == null || offset == pr.offset())
                            && (file == null || file.equals(gotFile));
                }
                if (!found) {
                    failures.add(base + ": expected " + km.group(1) + " at " + offset + " in " + file + ", got " + r.problems());
                }
            }
        }
        assertTrue(n >= 23, "corrupt cases found: " + n);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void manifestPathVerifiesItsDirectory() {
        Path m = Fixtures.root().resolve("corrupt/aof-truncated-last-command/appendonly.aof.manifest");
        FileReport r = verifier.verify(m.toString()).get(0);
        assertEquals("aof-dir", r.format());
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("truncated", r.problems().get(0).kind());
        assertEquals(1948, r.problems().get(0).offset());
    }

    @Test
    void everyFileOfADirectoryIsCheckedAfterOneFails(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path src = Fixtures.root().resolve("aof/r70-aof-plain");
        Path dir = Files.createDirectory(tmp.resolve("d"));
        for (String f : List.of("appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof")) {
            byte[] b = Files.readAllBytes(src.resolve(f));
            // both files damaged: a bad record type byte near each start
            b[0] = 'X';
            Files.write(dir.resolve(f), b);
        }
        Files.writeString(dir.resolve("appendonly.aof.manifest"), "file appendonly.aof.2.base.aof seq 2 type b\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.3.incr.aof seq 3 type i\n");
        FileReport r = verifier.verify(dir.toString()).get(0);
        List<String> kinds = new ArrayList<>();
        for (Problem p : r.problems()) {
            kinds.add(Path.of(p.file()).getFileName() + ":" + p.kind() + "@" + p.offset());
        }
        assertEquals(List.of("appendonly.aof.3.incr.aof:missing-file@-1", "appendonly.aof.2.base.aof:bad-format@0",
                "appendonly.aof.2.incr.aof:bad-format@0"), kinds);
    }

    @Test
    void aManifestWithoutBaseIsReported(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path src = Fixtures.root().resolve("aof/r70-aof-plain");
        Files.copy(src.resolve("appendonly.aof.2.incr.aof"), tmp.resolve("appendonly.aof.2.incr.aof"));
        Files.writeString(tmp.resolve("appendonly.aof.manifest"), "file appendonly.aof.2.incr.aof seq 2 type i\n");
        FileReport r = verifier.verify(tmp.toString()).get(0);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("bad-manifest", r.problems().get(0).kind());
        assertTrue(r.problems().get(0).message().contains("no base"), r.problems().get(0).message());
    }

    @Test
    void aMissingPathIsAnIoProblem() {
        FileReport r = verifier.verify("/nonexistent/dump.rdb").get(0);
        assertTrue(r.hasIoProblem(), r.toString());
    }

    @Test
    void aServerDataDirectoryHasItsAofDirAndRdbFilesChecked(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path aof = Files.createDirectories(tmp.resolve("appendonlydir"));
        Path src = Fixtures.root().resolve("aof/r70-aof-plain");
        try (Stream<Path> s = Files.list(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, aof.resolve(p.getFileName()));
            }
        }
        Files.copy(Fixtures.root().resolve("rdb/r70-small.rdb"), tmp.resolve("dump.rdb"));
        Files.copy(Fixtures.root().resolve("corrupt/rdb-truncated-mid-key.rdb"), tmp.resolve("old.rdb"));
        Files.writeString(tmp.resolve("redis.conf"), "appendonly yes\n");
        List<FileReport> r = verifier.verify(tmp.toString());
        assertEquals(3, r.size(), r.toString());
        assertEquals("aof-dir", r.get(0).format());
        assertTrue(r.get(0).valid() && r.get(1).valid(), r.toString());
        assertEquals("truncated", r.get(2).problems().get(0).kind());
        assertTrue(verifier.verify(tmp.resolve("appendonlydir/..").resolve("nothing-here").toString()).get(0).hasIoProblem());
    }
}
