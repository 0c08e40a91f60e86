package io.redkit.cli;

import io.redkit.rdb.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @TempDir
    Path dir;

    /** The outcome of one command line. */
    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Redkit.newCommandLine(o, e).execute(args);
        o.flush();
        e.flush();
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String small() {
        return Fixtures.file("rdb/r70-small.rdb").toString();
    }

    private static List<String> keysOf(List<String> jsonLines) {
        Pattern key = Pattern.compile("\"key\": ?\"([^\"]*)\"");
        List<String> keys = new ArrayList<>();
        for (String l : jsonLines) {
            Matcher m = key.matcher(l);
            if (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dump", "inspect"})
    void helpOfEachCommand(String command) {
        Result r = command.isEmpty() ? run("--help") : run(command, "--help");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: redkit" + (command.isEmpty() ? "" : " " + command)), r.out());
        assertEquals("", r.err());
    }

    @Test
    void devicesAreWrittenInPlaceNeverReplaced() throws Exception {
        Path devNull = Path.of("/dev/null");
        io.redkit.cli.it.ItEnv.require(Files.exists(devNull), "no /dev/null on this system");
        Result r = run("dump", small(), "-f", "jsonl", "-o", "/dev/null");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(!Files.isRegularFile(devNull), "/dev/null must stay a device");
    }

    @Test
    void helpSubcommandWorksToo() {
        Result r = run("help", "dump");
        assertEquals(ExitCodes.OK, r.code());
        assertTrue(r.out().contains("--format"), r.out());
    }

    @Test
    void versionNamesTheRevision() {
        Result r = run("--version");
        assertEquals(ExitCodes.OK, r.code());
        assertTrue(r.out().matches("(?s)redkit \\S+ \\(git \\S+\\)\n.*"), r.out());
    }

    @Test
    void revisionFallsBackToTheCheckout() throws Exception {
        // tests run from ROOT/cli/target/test-classes beside ROOT/cli/target/classes, in a git checkout
        Path root = Path.of(VersionProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent().getParent();
        io.redkit.cli.it.ItEnv.require(Files.exists(root.resolve(".git")), "not a git checkout");
        Process git = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short=7", "HEAD").start();
        String expected = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        io.redkit.cli.it.ItEnv.require(git.waitFor() == 0, "git not available");
        assertEquals(expected, VersionProvider.checkoutRevision());
    }

    @Test
    void fastVersionPathPrintsWhatPicocliPrints() {
        assertEquals(run("--version").out(), String.join("\n", new VersionProvider().getVersion()) + "\n");
    }

    @Test
    void noCommandIsAUsageError() {
        Result r = run();
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("Usage: redkit"), r.err());
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result r = run("dump", "--no-such-option", "x.rdb");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingSourceIsAUsageError() {
        Result r = run("dump");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("SOURCE"), r.err());
    }

    @Test
    void badFormatIsAUsageError() {
        Result r = run("dump", "-f", "xml", "x.rdb");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("xml"), r.err());
    }

    @Test
    void optionOfAnotherFormatIsAUsageError() {
        Result r = run("dump", "-f", "jsonl", "--compat", "rdb-tools", small());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--compat applies to -f json only"), r.err());
    }

    @Test
    void expiredAndNotExpiredExcludeEachOther() {
        Result r = run("dump", "--expired", "--not-expired", "x.rdb");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void badSizeIsAUsageError() {
        Result r = run("dump", "--max-string-bytes", "lots", "x.rdb");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("is not a size"), r.err());
    }

    @Test
    void missingFileIsAnIoError() {
        String missing = dir.resolve("nope.rdb").toString();
        Result r = run("dump", missing);
        assertEquals(ExitCodes.IO, r.code());
        assertEquals("redkit: cannot open " + missing + ": no such file\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void stackTraceOnlyOnRequest() {
        String missing = dir.resolve("nope.rdb").toString();
        assertFalse(run("dump", missing).err().contains("\tat "));
        Result r = run("dump", "--stacktrace", missing);
        assertEquals(ExitCodes.IO, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void dumpFixtureToJsonl() throws IOException {
        Result r = run("dump", small(), "-f", "jsonl");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("", r.err());
        List<String> expected = Files.readAllLines(Fixtures.file("rdb/r70-small.expected.jsonl"));
        assertEquals(expected.size(), r.lines().size(), r.out());
        for (String line : r.lines()) {
            assertTrue(line.startsWith("{\"db\":"), line);
        }
        assertEquals(keysOf(expected), keysOf(r.lines()).stream().sorted().collect(Collectors.toList()));
    }

    @Test
    void sortedDumpFollowsTheExpectedOrder() throws IOException {
        Result r = run("dump", "--sorted", small());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        List<String> expected = Files.readAllLines(Fixtures.file("rdb/r70-small.expected.jsonl"));
        assertEquals(keysOf(expected), keysOf(r.lines()));
    }

    @Test
    void filtersSelectKeys() {
        Result r = run("dump", small(), "--type", "string", "--key", "[ab]*");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(List.of("alpha", "beta"), keysOf(r.lines()).stream().sorted().collect(Collectors.toList()));
        assertEquals(ExitCodes.USAGE, run("dump", small(), "--type", "blob").code());
    }

    @Test
    void compressedInputIsRecognisedByContent() throws IOException {
        Path gz = dir.resolve("small.rdb");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(Path.of(small())));
        }
        Result plain = run("dump", "--sorted", small());
        Result packed = run("dump", "--sorted", gz.toString());
        assertEquals(ExitCodes.OK, packed.code(), packed.err());
        assertEquals(plain.out(), packed.out());
    }

    @Test
    void outputFileIsNotOverwrittenWithoutForce() throws IOException {
        Path out = dir.resolve("out.jsonl");
        Result first = run("dump", small(), "-o", out.toString());
        assertEquals(ExitCodes.OK, first.code(), first.err());
        assertEquals("", first.out());
        String written = Files.readString(out);
        assertEquals(run("dump", small()).out(), written);

        Files.writeString(out, "keep me");
        Result again = run("dump", small(), "-o", out.toString());
        assertEquals(ExitCodes.USAGE, again.code());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals("keep me", Files.readString(out));

        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        Result forced = run("dump", small(), "-o", out.toString(), "--force");
        assertEquals(ExitCodes.OK, forced.code(), forced.err());
        assertEquals(written, Files.readString(out));
        assertEquals(List.of(out), listDir());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void newOutputFileGetsTheUsualPermissions() throws IOException {
        Path plain = dir.resolve("plain");
        Files.newOutputStream(plain).close();
        Path out = dir.resolve("out.jsonl");
        assertEquals(ExitCodes.OK, run("dump", small(), "-o", out.toString()).code());
        // the temporary file is owner-only; the result must look like any file the user creates
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
    }

    @Test
    void corruptInputExitsOneAndLeavesNoOutputFile() throws IOException {
        Path out = dir.resolve("out.jsonl");
        Result r = run("dump", Fixtures.file("corrupt/rdb-truncated-mid-key.rdb").toString(), "-o", out.toString());
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        assertTrue(r.err().startsWith("redkit: " + Fixtures.file("corrupt/rdb-truncated-mid-key.rdb") + " at offset "),
                r.err());
        assertTrue(r.err().contains("truncated"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals(List.of(), listDir());
    }

    @Test
    void badMagicExitsOne() {
        Result r = run("dump", Fixtures.file("corrupt/rdb-bad-magic.rdb").toString());
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        assertTrue(r.err().contains("bad-magic"), r.err());
    }

    @Test
    void rdbOutputReadsBackToTheSameKeys() throws IOException {
        Path rdb = dir.resolve("copy.rdb");
        Result w = run("dump", small(), "-f", "rdb", "-o", rdb.toString());
        assertEquals(ExitCodes.OK, w.code(), w.err());
        assertEquals(run("dump", "--sorted", small()).out().replaceAll("\"encoding\":\"[^\"]*\",", ""),
                run("dump", "--sorted", rdb.toString()).out().replaceAll("\"encoding\":\"[^\"]*\",", ""));
    }

    @Test
    void inspectReportsTheKeys() {
        Result text = run("inspect", small());
        assertEquals(ExitCodes.OK, text.code(), text.err());
        assertFalse(text.out().isEmpty());
        Result json = run("inspect", small(), "--format", "json", "--top", "3");
        assertEquals(ExitCodes.OK, json.code(), json.err());
        assertTrue(json.out().trim().startsWith("{"), json.out());
        assertEquals(ExitCodes.USAGE, run("inspect", small(), "--top", "0").code());
    }

    @Test
    void everyDumpFormatRuns() {
        for (String f : List.of("jsonl", "json", "resp", "keys", "count", "memory")) {
            Result r = run("dump", small(), "-f", f);
            assertEquals(ExitCodes.OK, r.code(), f + ": " + r.err());
            assertFalse(r.out().isEmpty(), f);
        }
        Result keys = run("dump", small(), "-f", "keys");
        assertEquals(8, keys.lines().size(), keys.out());
        Result memory = run("dump", small(), "-f", "memory");
        assertEquals("database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry",
                memory.lines().get(0));
    }

    @Test
    void unwritableRdbVersionIsAUsageError() {
        Result r = run("dump", small(), "-f", "rdb", "--rdb-version", "99", "-o", dir.resolve("x.rdb").toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("redkit: --rdb-version: "), r.err());
    }

    @Test
    void binaryRdbIsNotWrittenToATerminal() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext terminal = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), true, true);
        int code = Redkit.newCommandLine(terminal).execute("dump", small(), "-f", "rdb");
        assertEquals(ExitCodes.USAGE, code);
        assertEquals(0, out.size());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("terminal"));
    }

    @Test
    void failingStandardOutputIsAnIoErrorNotAnInputError() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // a PrintStream hides write errors; the command must notice anyway
        int code = Redkit.newCommandLine(new PrintStream(full), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute("dump", small());
        assertEquals(ExitCodes.IO, code);
        assertEquals("redkit: cannot write standard output: write error\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void respOutputRestoresModuleValuesFromTheirRawPayload() {
        Result r = run("dump", Fixtures.file("rdb/r70-modules.rdb").toString(), "-f", "resp");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("$7\r\nRESTORE\r\n"), "no RESTORE command");
        assertEquals("", r.err());
    }

    @Test
    void standardInputIsReadAndDecompressed() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(Files.readAllBytes(Path.of(small())));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, false)
                .withIn(new java.io.ByteArrayInputStream(gz.toByteArray()));
        int code = Redkit.newCommandLine(ctx).execute("dump", "--sorted", "-");
        assertEquals(ExitCodes.OK, code, err.toString(StandardCharsets.UTF_8));
        assertEquals(run("dump", "--sorted", small()).out(), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void standardInputOnATerminalIsRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(InputStreamThatMustNotBeRead.INSTANCE, o, e, o, true, false, false);
        assertEquals(ExitCodes.USAGE, Redkit.newCommandLine(ctx).execute("dump", "-"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("standard input is a terminal"));
    }

    /** Fails the test when read: the terminal check must come first. */
    private static final class InputStreamThatMustNotBeRead extends java.io.InputStream {
        static final InputStreamThatMustNotBeRead INSTANCE = new InputStreamThatMustNotBeRead();

        @Override
        public int read() {
            throw new AssertionError("standard input was read");
        }
    }

    /** Every option of every command is documented in its man page (roff writes - as \\-). */
    @ParameterizedTest
    @ValueSource(strings = {"", "dump", "inspect", "tail", "migrate", "kv", "verify", "diff", "shell", "completion"})
    void manPagesNameEveryOption(String command) throws IOException {
        String root = System.getenv("REDKIT_ROOT");
        Path dirOfPages = root != null ? Path.of(root, "man") : Path.of("..", "man");
        Path page = dirOfPages.resolve(command.isEmpty() ? "redkit.1" : "redkit-" + command + ".1");
        assertTrue(Files.isRegularFile(page), "missing man page " + page);
        String text = Files.readString(page).replace("\\-", "-");
        picocli.CommandLine cl = Redkit.newCommandLine(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        picocli.CommandLine target = command.isEmpty() ? cl : cl.getSubcommands().get(command);
        for (picocli.CommandLine.Model.OptionSpec o : target.getCommandSpec().options()) {
            assertTrue(text.contains(o.longestName()), page.getFileName() + " does not document " + o.longestName());
        }
    }

    private List<Path> listDir() throws IOException {
        try (var s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }
}
