package io.redkit.aof;

import io.redkit.core.RedkitException;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.SourceKind;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.io.Inputs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every AOF fixture reads to its End with commands; every corrupt AOF case fails with the
 * expected error kind, file and offset; every RDB fixture reads through {@link Sources} exactly
 * as through {@link RdbReader}.
 */
class AofFixtureTest {
    private static final Pattern ERROR = Pattern.compile("\"error\":\\s*\"([a-z-]+)\"");
    private static final Pattern OFFSET = Pattern.compile("\"offset\":\\s*(null|\\d+)");
    private static final Pattern FILE = Pattern.compile("\"file\":\\s*\"([^\"]+)\"");

    /** Events of a whole source, counted by kind. */
    private record Counts(Begin begin, long commands, long keys, long total, Event last) {
    }

    private static Counts drain(EventSource src) throws IOException {
        try (src) {
            Begin begin = null;
            long commands = 0;
            long keys = 0;
            long total = 0;
            Event last = null;
            Event e;
            while ((e = src.next()) != null) {
                if (e.kind() == EventKind.BEGIN) {
                    assertTrue(begin == null, "a second Begin");
                    begin = (Begin) e;
                } else if (e.kind() == EventKind.COMMAND) {
                    commands++;
                } else if (e.kind() == EventKind.KEY_START) {
                    keys++;
                }
                total++;
                last = e;
            }
            return new Counts(begin, commands, keys, total, last);
        }
    }

    private static List<Path> aofCases() throws IOException {
        Path dir = Fixtures.root().resolve("aof");
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".aof")).sorted().forEach(cases::add);
        }
        assertFalse(cases.isEmpty());
        return cases;
    }

    @Test
    void everyAofFixtureReadsToEnd() throws IOException {
        for (Path c : aofCases()) {
            Counts n = drain(Sources.open(c.toString(), SourceOptions.defaults()));
            assertNotNull(n.begin(), c.toString());
            assertEquals(EventKind.END, n.last().kind(), c.toString());
            assertTrue(n.commands() > 0, c + ": no commands");
            if (Files.isDirectory(c)) {
                assertEquals(SourceKind.AOF, n.begin().sourceKind(), c.toString());
            }
        }
    }

    @Test
    void manifestAndDirectoryReadTheSame() throws IOException {
        for (Path c : aofCases()) {
            if (!Files.isDirectory(c)) {
                continue;
            }
            Path manifest = AofReader.findManifest(c);
            Counts viaDir = drain(AofReader.openDirectory(c, SourceOptions.defaults()));
            Counts viaManifest = drain(Sources.open(manifest.toString(), SourceOptions.defaults()));
            assertEquals(viaDir.commands(), viaManifest.commands(), c.toString());
            assertEquals(viaDir.keys(), viaManifest.keys(), c.toString());
            assertEquals(Sources.Kind.MANIFEST, Sources.detect(manifest.toString()));
            assertEquals(Sources.Kind.AOF_DIR, Sources.detect(c.toString()));
        }
    }

    @Test
    void preambleFileHasKeysAndCommands() throws IOException {
        Path f = Fixtures.root().resolve("aof/redis-rdb-preamble.aof");
        Counts n = drain(AofReader.openFile(f, SourceOptions.defaults()));
        assertEquals(SourceKind.AOF, n.begin().sourceKind());
        assertTrue(n.keys() > 0);
        assertEquals(1, n.commands());
    }

    @Test
    void everyCorruptAofCaseGivesItsExpectedError() throws IOException {
        Path dir = Fixtures.root().resolve("corrupt");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path c : (Iterable<Path>) s.sorted()::iterator) {
                String name = c.getFileName().toString();
                if (!name.startsWith("aof-") || name.endsWith(".json") || name.endsWith(".jsonl")) {
                    continue;
                }
                String base = name.endsWith(".aof") ? name.substring(0, name.length() - 4) : name;
                String json = Files.readString(dir.resolve(base + ".expected.json"), StandardCharsets.UTF_8);
                Matcher km = ERROR.matcher(json);
                assertTrue(km.find(), base);
                Matcher om = OFFSET.matcher(json);
                assertTrue(om.find(), base);
                Long offset = om.group(1).equals("null") ? null : Long.parseLong(om.group(1));
                Matcher fm = FILE.matcher(json);
                String file = fm.find() ? fm.group(1) : null;
                checked++;
                try {
                    drain(Sources.open(c.toString(), SourceOptions.defaults()));
                    failures.add(base + ": read without error (expected " + km.group(1) + ")");
                } catch (RedkitException e) {
                    String gotFile = e.source() == null ? null : Path.of(e.source()).getFileName().toString();
                    if (!e.kind().id().equals(km.group(1)) || (offset != null && offset != e.offset())
                            || (file != null && !file.equals(gotFile))) {
                        failures.add(base + ": got " + e.kind().id() + " in " + gotFile + " at " + e.offset()
                                + " (expected " + km.group(1) + " in " + file + " at " + offset + "): " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(8, checked, "corrupt aof cases");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void rdbFixturesReadThroughSourcesAsThroughRdbReader() throws IOException {
        Path dir = Fixtures.root().resolve("rdb");
        List<String> failures = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".rdb")).sorted()::iterator) {
                Counts direct;
                try (InputStream in = Inputs.open(f.toString())) {
                    direct = drain(RdbReader.builder(in, f.toString()).skipEmptyKeys(true).build());
                } catch (RedkitException e) {
                    continue; // the rdb module's own tests cover RDB files it rejects
                }
                try {
                    Counts via = drain(Sources.open(f.toString(), SourceOptions.defaults().withSkipEmptyKeys(true)));
                    if (via.total() != direct.total() || !via.last().equals(direct.last())
                            || via.begin().sourceKind() != SourceKind.RDB) {
                        failures.add(f.getFileName() + ": " + via + " vs " + direct);
                    }
                } catch (RedkitException e) {
                    failures.add(f.getFileName() + ": " + e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
