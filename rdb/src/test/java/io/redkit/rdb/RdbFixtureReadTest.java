package io.redkit.rdb;

import io.redkit.core.RedkitException;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reads every fixture RDB to its end, and every corrupt one to its expected error kind and offset. */
class RdbFixtureReadTest {

    static long readAll(Path p) throws Exception {
        long keys = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
            RdbReader r = RdbReader.builder(in, p.getFileName().toString()).captureRawPayload(true).build();
            Event e;
            while ((e = r.next()) != null) {
                if (e.kind() == EventKind.KEY_START) {
                    keys++;
                }
            }
        }
        return keys;
    }

    @Test
    void everyFixtureRdbReadsToTheEnd() throws Exception {
        Path dir = Fixtures.root().resolve("rdb");
        List<String> failures = new ArrayList<>();
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".rdb")).sorted()::iterator) {
                n++;
                try {
                    readAll(p);
                } catch (Exception e) {
                    failures.add(p.getFileName() + ": " + e);
                }
            }
        }
        System.out.println("read " + n + " fixture RDB files");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static final Pattern ERROR = Pattern.compile("\"error\":\\s*\"([a-z-]+)\"");
    private static final Pattern OFFSET = Pattern.compile("\"offset\":\\s*(null|\\d+)");

    @Test
    void everyCorruptRdbFailsWithItsKindAndOffset() throws Exception {
        Path dir = Fixtures.root().resolve("corrupt");
        List<String> failures = new ArrayList<>();
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".rdb")).sorted()::iterator) {
                n++;
                String name = p.getFileName().toString().replace(".rdb", "");
                String exp = Files.readString(dir.resolve(name + ".expected.json"));
                Matcher km = ERROR.matcher(exp);
                Matcher om = OFFSET.matcher(exp);
                assertTrue(km.find() && om.find(), name);
                String kind = km.group(1);
                Long offset = om.group(1).equals("null") ? null : Long.parseLong(om.group(1));
                try {
                    readAll(p);
                    failures.add(name + ": no error (expected " + kind + ")");
                } catch (RedkitException e) {
                    if (!e.kind().id().equals(kind) || (offset != null && offset != e.offset())) {
                        failures.add(name + ": got " + e.kind().id() + " at " + e.offset() + " (expected " + kind + " at " + offset + "): " + e.getMessage());
                    }
                }
            }
        }
        System.out.println("checked " + n + " corrupt RDB files");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
