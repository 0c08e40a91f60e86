package io.redkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.cli.it.JsonScanner;
import io.redkit.rdb.Fixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 1 of issue 5: every fixture RDB and AOF with an {@code .expected.jsonl} is migrated into a fresh
 * {@code kv:DIR}, and {@code dump kv:DIR -f jsonl --sorted} equals the expected keys (compared as JSON values on the
 * contract's fields, as the formats module's FixtureJsonlTest does). Left out of the expectation, because the
 * engine does not take them: keys (and hash fields) already expired now, module keys, and databases above 15.
 */
class MigrateCommandTest {
    private static final List<String> COMPARED = List.of("db", "key", "type", "expire_ms", "value", "field_expire_ms",
            "module_type");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Redkit.newCommandLine(o, e).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyFixtureMigratesAndDumpsBackToItsExpectedJsonl() throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (String sub : new String[] {"rdb", "aof"}) {
            try (Stream<Path> s = Files.list(Fixtures.root().resolve(sub))) {
                s.filter(p -> p.toString().endsWith(".expected.jsonl")).sorted().forEach(exp -> {
                    String name = exp.getFileName().toString().replace(".expected.jsonl", "");
                    Path rdb = exp.resolveSibling(name + ".rdb");
                    Path aof = exp.resolveSibling(name + ".aof");
                    Path aofDir = exp.resolveSibling(name);
                    inputs.add(Files.exists(rdb) ? rdb : Files.exists(aof) ? aof : aofDir);
                });
            }
        }
        long now = System.currentTimeMillis();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int skipped = 0;
        for (Path in : inputs) {
            String name = in.getFileName().toString().replaceFirst("\\.(rdb|aof)$", "");
            Path exp = in.resolveSibling(name + ".expected.jsonl");
            List<Map<String, Object>> want = expected(Files.readString(exp), now + 60_000);
            if (want == null) {
                skipped++;
                continue;
            }
            Path kv = dir.resolve(name);
            Result m = run("migrate", in.toString(), "--to", "kv:" + kv, "--no-progress");
            checked++;
            if (m.code() != 0) {
                failures.add(name + ": migrate exit " + m.code() + ": " + m.err().strip());
                continue;
            }
            java.util.regex.Matcher errs = java.util.regex.Pattern.compile("; ([0-9,]+) command errors").matcher(m.out());
            if (errs.find() && !errs.group(1).equals("0")) {
                failures.add(name + ": " + errs.group(1) + " command errors: " + m.out().strip());
                continue;
            }
            Result d = run("dump", "kv:" + kv, "-f", "jsonl", "--sorted");
            if (d.code() != 0) {
                failures.add(name + ": dump exit " + d.code() + ": " + d.err().strip());
                continue;
            }
            List<Map<String, Object>> got = project(d.out());
            if (!got.equals(want)) {
                failures.add(name + ": " + firstDifference(got, want));
            }
            try (Stream<Path> s = Files.walk(kv)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("MigrateCommandTest: " + checked + " fixtures migrated and compared, "
                + skipped + " left out (databases above 15), "
                + failures.size() + " failed");
        assertTrue(checked > 140, "only " + checked + " fixtures compared");
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    @Test
    void summaryAndExistingKeys() throws IOException {
        Path rdb = Fixtures.file("rdb/r70-small.rdb");
        Path kv = dir.resolve("kv");
        Result a = run("migrate", rdb.toString(), "--to", "kv:" + kv, "--no-progress");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("keys copied"), a.out());
        Result again = run("migrate", rdb.toString(), "--to", "kv:" + kv, "--no-progress");
        assertEquals(1, again.code(), again.out() + again.err());
        assertTrue(again.err().contains("BUSYKEY") || again.err().contains("exists"), again.err());
        Result skip = run("migrate", rdb.toString(), "--to", "kv:" + kv, "--skip-existing", "--no-progress");
        assertEquals(0, skip.code(), skip.err());
        assertTrue(skip.out().contains("existing"), skip.out());
        Result info = run("kv", "info", kv.toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("appendonly.aof.3.base.rdb"), info.out());
    }

    /** The expected lines to compare, or null when the file has keys the engine cannot hold (db > 15). */
    private static List<Map<String, Object>> expected(String jsonl, long now) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : project(jsonl)) {
            if (((Number) m.get("db")).longValue() > 15) {
                return null;
            }
            Object exp = m.get("expire_ms");
            if (exp instanceof Number n && n.longValue() <= now) {
                continue;
            }
            if (m.get("field_expire_ms") instanceof List<?> fe && !dropExpiredFields(m, fe, now)) {
                continue;
            }
            out.add(m);
        }
        return out;
    }

    /** Removes hash fields expired at {@code now}; false when none is left. */
    @SuppressWarnings("unchecked")
    private static boolean dropExpiredFields(Map<String, Object> m, List<?> fe, long now) {
        List<Object> dead = new ArrayList<>();
        List<Object> live = new ArrayList<>();
        for (Object o : fe) {
            List<Object> pair = (List<Object>) o;
            if (((Number) pair.get(1)).longValue() <= now) {
                dead.add(pair.get(0));
            } else {
                live.add(pair);
            }
        }
        List<Object> value = new ArrayList<>();
        for (Object o : (List<Object>) m.get("value")) {
            if (!dead.contains(((List<Object>) o).get(0))) {
                value.add(o);
            }
        }
        m.put("value", value);
        if (live.isEmpty()) {
            m.remove("field_expire_ms");
        } else {
            m.put("field_expire_ms", live);
        }
        return !value.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> project(String jsonl) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : JsonScanner.parseLines(jsonl)) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (!m.containsKey("key")) {
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            for (String f : COMPARED) {
                if (m.containsKey(f)) {
                    p.put(f, m.get(f));
                }
            }
            out.add(p);
        }
        return out;
    }

    private static String firstDifference(List<Map<String, Object>> got, List<Map<String, Object>> want) {
        for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
            if (!got.get(i).equals(want.get(i))) {
                return "line " + (i + 1) + "\n  got:  " + cut(got.get(i)) + "\n  want: " + cut(want.get(i));
            }
        }
        return "key count " + got.size() + " (expected " + want.size() + ")";
    }

    private static String cut(Object o) {
        String s = String.valueOf(o);
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    @Test
    void kvGetScanExport() throws IOException {
        Path rdb = Fixtures.file("rdb/r70-small.rdb");
        Path kv = dir.resolve("kv");
        assertEquals(0, run("migrate", rdb.toString(), "--to", "kv:" + kv, "--no-progress").code());
        Result scan = run("kv", "scan", "kv:" + kv);
        assertEquals(0, scan.code(), scan.err());
        List<String> keys = scan.out().isEmpty() ? List.of() : List.of(scan.out().split("\n"));
        assertTrue(!keys.isEmpty());
        Result get = run("kv", "get", kv.toString(), keys.get(0));
        assertEquals(0, get.code(), get.err());
        assertTrue(get.out().startsWith("type: "), get.out());
        assertEquals(1, run("kv", "get", kv.toString(), "no such key here").code());
        // the two halves of the slot space together hold every key, once
        Path lo = dir.resolve("lo.rdb");
        Path hi = dir.resolve("hi.rdb");
        assertEquals(0, run("kv", "export", kv.toString(), "--slots", "0-8191", "-o", lo.toString()).code());
        assertEquals(0, run("kv", "export", kv.toString(), "--slots", "8192-16383", "-o", hi.toString()).code());
        List<String> halves = new ArrayList<>();
        for (Path p : List.of(lo, hi)) {
            String out = run("dump", p.toString(), "-f", "jsonl", "--sorted").out();
            if (!out.isEmpty()) {
                for (String l : out.split("\n")) {
                    // the encoding is the writer's choice, not part of the data
                    halves.add(l.replaceAll(",\"encoding\":\"[^\"]*\"", ""));
                }
            }
        }
        java.util.Collections.sort(halves);
        List<String> all = new ArrayList<>(List.of(run("dump", "kv:" + kv, "-f", "jsonl", "--sorted").out().split("\n")));
        java.util.Collections.sort(all);
        assertEquals(all, halves);
        Result resp = run("kv", "export", kv.toString(), "--slots", "0-16383", "-f", "resp");
        assertEquals(0, resp.code(), resp.err());
        assertTrue(resp.out().startsWith("*"), resp.out());
        assertEquals(2, run("kv", "export", kv.toString(), "--slots", "9-3").code());
    }
}
