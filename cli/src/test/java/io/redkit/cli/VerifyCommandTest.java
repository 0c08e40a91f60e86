package io.redkit.cli;

import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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

/** {@code redkit verify} in process: exit codes, reports, CI checks and repairs over the fixtures. */
class VerifyCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Redkit.newCommandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String fx(String relative) {
        // Fixtures.file only takes regular files; AOF cases are directories
        return Fixtures.root().resolve(relative).toString();
    }

    private static List<Path> list(String sub) throws IOException {
        try (Stream<Path> s = Files.list(Fixtures.root().resolve(sub))) {
            return s.sorted().toList();
        }
    }

    @Test
    void everyValidFixtureExitsZero() throws IOException {
        List<String> args = new ArrayList<>(List.of("verify", "--no-progress"));
        for (Path p : list("rdb")) {
            if (p.toString().endsWith(".rdb")) {
                args.add(p.toString());
            }
        }
        for (Path p : list("aof")) {
            if (p.toString().endsWith(".aof") || Files.isDirectory(p)) {
                args.add(p.toString());
            }
        }
        Result r = run(args.toArray(new String[0]));
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(" 0 invalid, 0 problems"), r.out());
    }

    private static final Pattern ERROR = Pattern.compile("\"error\":\\s*\"([a-z-]+)\"");
    private static final Pattern OFFSET = Pattern.compile("\"offset\":\\s*(null|\\d+)");

    @Test
    void everyCorruptFixtureExitsOneWithItsKindAndOffset() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Path p : list("corrupt")) {
            String name = p.getFileName().toString();
            if (name.endsWith(".json") || name.endsWith(".jsonl")) {
                continue;
            }
            String exp = Files.readString(p.resolveSibling(name.replaceAll("\\.(rdb|aof)$", "") + ".expected.json"));
            Matcher k = ERROR.matcher(exp);
            Matcher o = OFFSET.matcher(exp);
            assertTrue(k.find() && o.find(), name);
            Result r = run("verify", "--report", "json", p.toString());
            // an expected offset of null means the fixture does not pin one: any is accepted
            String want = (o.group(1).equals("null") ? "" : "\"offset\": " + o.group(1) + ", ") + "\"kind\": \"" + k.group(1) + "\"";
            Matcher f = Pattern.compile("\"file\":\\s*\"([^\"]+)\"").matcher(exp);
            if (f.find()) {
                // for AOF directories: the problem names the file inside the directory
                want = "/" + f.group(1) + "\", " + want;
            }
            if (r.code() != ExitCodes.DATA || !r.out().contains(want)) {
                failures.add(name + ": exit " + r.code() + ", expected " + want + " in " + r.out() + r.err());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void junitHasOneFailingCasePerBadFile() throws Exception {
        Path xml = tmp.resolve("verify.xml");
        Result r = run("verify", "--junit", xml.toString(), fx("rdb/r70-small.rdb"), fx("corrupt/rdb-bad-magic.rdb"),
                fx("corrupt/aof-manifest-missing-file"), fx("aof/r70-aof-plain"), fx("corrupt/rdb-truncated-mid-key.rdb"));
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList cases = d.getElementsByTagName("testcase");
        assertEquals(5, cases.getLength());
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            NodeList f = c.getElementsByTagName("failure");
            assertTrue(f.getLength() <= 1);
            if (f.getLength() == 1) {
                failed.add(Path.of(c.getAttribute("name")).getFileName() + ":" + ((Element) f.item(0)).getAttribute("type"));
            }
        }
        assertEquals(List.of("rdb-bad-magic.rdb:bad-magic", "aof-manifest-missing-file:missing-file",
                "rdb-truncated-mid-key.rdb:truncated"), failed);
    }

    @Test
    void exitCodes() {
        assertEquals(ExitCodes.USAGE, run("verify").code());
        assertEquals(ExitCodes.USAGE, run("verify", "--in-place", fx("rdb/r70-small.rdb")).code());
        assertEquals(ExitCodes.USAGE, run("verify", "--expect-type", "blob", fx("rdb/r70-small.rdb")).code());
        assertEquals(ExitCodes.USAGE, run("verify", "--max-age", "3 fortnights", fx("rdb/r70-small.rdb")).code());
        assertEquals(ExitCodes.USAGE, run("verify", "--fix", fx("aof/r70-aof-plain"), fx("aof/r74-aof-plain")).code());
        Result missing = run("verify", fx("rdb/r70-small.rdb"), "/nonexistent/dump.rdb", fx("corrupt/rdb-bad-magic.rdb"));
        assertEquals(ExitCodes.IO, missing.code(), missing.out());
        assertTrue(missing.out().contains("/nonexistent/dump.rdb: INVALID"), missing.out());
    }

    @Test
    void ciChecksFailWithAReason() {
        Result empty = run("verify", "--min-keys", "1", fx("rdb/r70-empty.rdb"));
        assertEquals(ExitCodes.DATA, empty.code());
        assertTrue(empty.out().contains("min-keys: 0 keys (expected at least 1)"), empty.out());
        Result stale = run("verify", "--max-age", "1h", fx("rdb/r70-small.rdb"));
        assertEquals(ExitCodes.DATA, stale.code());
        assertTrue(stale.out().contains("max-age: written at"), stale.out());
        Result ok = run("verify", "--min-keys", "8", "--max-age", "P36500D", "--expect-type", "string,list",
                "--max-key-bytes", "64", fx("rdb/r70-small.rdb"));
        assertEquals(ExitCodes.OK, ok.code(), ok.out());
        Result type = run("verify", "--expect-type", "module", fx("rdb/r70-small.rdb"));
        assertEquals(ExitCodes.DATA, type.code());
        assertTrue(type.out().contains("no key of type module"), type.out());
    }

    @Test
    void fixWritesAVerifiedCopy() throws IOException {
        Path out = tmp.resolve("fixed");
        Result r = run("verify", "--fix", fx("corrupt/aof-truncated-last-command"), "-o", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("at offset 1948"), r.err());
        assertEquals(1948, Files.size(out.resolve("appendonly.aof.2.incr.aof")));
        // not a truncation: nothing written, the problem reported
        Result bad = run("verify", "--fix", fx("corrupt/aof-bad-format-middle"), "-o", tmp.resolve("bad").toString());
        assertEquals(ExitCodes.DATA, bad.code());
        assertTrue(bad.err().contains("cannot repair"), bad.err());
        assertTrue(!Files.exists(tmp.resolve("bad")));
    }

    @Test
    void truncateToTimestampWritesAPointInTimeCopy() throws IOException {
        Path out = tmp.resolve("pit");
        Result r = run("verify", "--truncate-to-timestamp", "2026-11-23T12:43:41Z", fx("aof/r70-aof-timestamp"),
                "-o", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(Files.size(out.resolve("appendonly.aof.2.incr.aof")) < Files.size(
                Fixtures.file("aof/r70-aof-timestamp/appendonly.aof.2.incr.aof")));
    }

    @Test
    void helpAndManPageNameEveryOption() throws IOException {
        Result help = run("verify", "--help");
        assertEquals(ExitCodes.OK, help.code());
        assertTrue(help.out().startsWith("Usage: redkit verify"), help.out());
        String root = System.getenv("REDKIT_ROOT");
        Path man = (root != null ? Path.of(root, "man") : Path.of("..", "man"));
        String page = Files.readString(man.resolve("redkit-verify.1")).replace("\\-", "-");
        picocli.CommandLine cl = Redkit.newCommandLine(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).getSubcommands().get("verify");
        for (picocli.CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            assertTrue(page.contains(o.longestName()), "redkit-verify.1 does not document " + o.longestName());
        }
        assertTrue(Files.readString(man.resolve("redkit.1")).contains("redkit\\-verify"), "redkit.1 lists verify");
    }

    @Test
    void compressedFilesStandardInputAndATerminal() throws IOException {
        Path gz = tmp.resolve("cut.rdb.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(Fixtures.file("corrupt/rdb-truncated-mid-key.rdb")));
        }
        Result r = run("verify", gz.toString());
        assertEquals(ExitCodes.DATA, r.code(), r.out());
        assertTrue(r.out().contains("at offset 176: truncated"), r.out());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        // stderr a terminal: the progress bar is drawn and cleared, the report is unchanged
        CliContext ctx = new CliContext(o, e, false, true)
                .withIn(new java.io.ByteArrayInputStream(Files.readAllBytes(Fixtures.file("rdb/r70-small.rdb"))));
        int code = Redkit.newCommandLine(ctx).execute("verify", "-", fx("aof/r70-aof-plain"));
        assertEquals(ExitCodes.OK, code, out + err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("<stdin>: OK (rdb, 8 keys, checksum verified)"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anArchiveGetsOneLinePerMember() throws IOException {
        Path tgz = tmp.resolve("backup.tgz");
        try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(tgz)))) {
            for (String f : List.of("rdb/r70-small.rdb", "corrupt/rdb-checksum-mismatch.rdb")) {
                byte[] b = Files.readAllBytes(Fixtures.file(f));
                var en = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(f);
                en.setSize(b.length);
                t.putArchiveEntry(en);
                t.write(b);
                t.closeArchiveEntry();
            }
        }
        Path xml = tmp.resolve("j.xml");
        Result r = run("verify", "--report", "json", "--junit", xml.toString(), tgz.toString());
        assertEquals(ExitCodes.DATA, r.code(), r.out());
        assertTrue(r.out().contains("backup.tgz!rdb/r70-small.rdb\", \"format\": \"rdb\", \"valid\": true"), r.out());
        assertTrue(r.out().contains("\"offset\": 166, \"kind\": \"checksum\""), r.out());
        assertTrue(Files.readString(xml).contains("tests=\"2\" failures=\"1\""), Files.readString(xml));
    }
}
