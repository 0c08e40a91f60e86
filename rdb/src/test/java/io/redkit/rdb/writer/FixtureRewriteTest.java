package io.redkit.rdb.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every readable fixture RDB (real files from real servers) is rewritten by {@link RdbWriter} at
 * RDB 12 and at its own version (clamped to 7..13), read back, and compared with the original.
 * Data a target version cannot hold must be refused with UNSUPPORTED, never written wrong.
 */
class FixtureRewriteTest {

    @Test
    void fixturesSurviveARewrite() throws IOException {
        Path dir = Fixtures.root().resolve("rdb");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".rdb")).sorted().toList();
        }
        int rewritten = 0;
        TreeSet<String> refused = new TreeSet<>();
        List<String> mismatches = new ArrayList<>();
        for (Path f : files) {
            List<Event> original;
            int srcVersion;
            Dialect dialect;
            try (InputStream in = Files.newInputStream(f);
                 RdbReader r = RdbReader.open(in, f.getFileName().toString())) {
                original = readAll(r);
                srcVersion = r.version();
                dialect = r.dialect();
            } catch (RedkitException e) {
                continue; // the reader's own tests cover files it refuses
            }
            int own = dialect == Dialect.VALKEY ? 12 : Math.max(7, Math.min(13, srcVersion));
            for (int target : own == 12 ? new int[] {12} : new int[] {12, own}) {
                ByteArrayOutputStream bo = new ByteArrayOutputStream();
                try (RdbWriter w = new RdbWriter(bo, RdbWriter.Options.builder().version(target).build())) {
                    for (Event e : original) {
                        if (!(e instanceof End)) {
                            w.accept(e);
                        }
                    }
                    w.accept(new End(0, false, -1));
                } catch (RedkitException e) {
                    assertEquals(ErrorKind.UNSUPPORTED, e.kind(), f + ": " + e.getMessage());
                    refused.add(f.getFileName() + "@" + target + ": " + e.detail());
                    continue;
                }
                List<Event> back;
                try (RdbReader r = RdbReader.open(new ByteArrayInputStream(bo.toByteArray()), "rewritten")) {
                    back = readAll(r);
                }
                int cmp = dialect == Dialect.VALKEY ? 9 : Math.min(srcVersion, target);
                String a = RdbWriterRoundTripProperties.canonical(original, cmp);
                String b = RdbWriterRoundTripProperties.canonical(back, cmp);
                if (!a.equals(b)) {
                    mismatches.add(f.getFileName() + "@" + target + ": " + firstDifference(a, b));
                }
                rewritten++;
            }
        }
        refused.forEach(s -> System.out.println("refused (expected for data the version cannot hold): " + s));
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches:\n" + String.join("\n\n", mismatches.subList(0,
                Math.min(12, mismatches.size()))));
        assertTrue(rewritten > 50, "only " + rewritten + " fixture rewrites");
    }

    private static List<Event> readAll(RdbReader r) throws IOException {
        List<Event> all = new ArrayList<>();
        Event e;
        while ((e = r.next()) != null) {
            all.add(e);
        }
        return all;
    }

    private static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        int from = Math.max(0, a.lastIndexOf('\n', i - 1) + 1);
        int line = a.substring(0, from).split("\n", -1).length;
        return "line " + line + " col " + (i - from) + "\n  original:  ..." + a.substring(Math.max(from, i - 150), Math.min(a.length(), i + 150))
                + "\n  rewritten: ..." + b.substring(Math.max(from, i - 150), Math.min(b.length(), i + 150));
    }
}
