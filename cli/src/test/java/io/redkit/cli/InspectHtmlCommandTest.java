package io.redkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code redkit inspect --html FILE} and {@code --format html}: where the page goes, and what contradicts it. */
class InspectHtmlCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Redkit.newCommandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String small() {
        return Fixtures.file("rdb/r70-small.rdb").toString();
    }

    @Test
    void htmlGoesToTheNamedFileAndNothingToStdout() throws Exception {
        Path page = dir.resolve("report.html");
        Result r = run("inspect", "--html", page.toString(), small());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("", r.out());
        String html = Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<title>redkit inspect: r70-small.rdb</title>"), html);
        assertTrue(html.trim().endsWith("</html>"));
        // an existing file is kept without --force
        Result again = run("inspect", "--html", page.toString(), small());
        assertEquals(ExitCodes.USAGE, again.code(), again.err());
        assertEquals(ExitCodes.OK, run("inspect", "--html", page.toString(), "--force", small()).code());
    }

    @Test
    void formatHtmlWritesToStandardOutput() {
        Result r = run("inspect", "--format", "html", small());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>"), r.out());
        assertFalse(r.err().contains("<"), "nothing of the page on stderr");
    }

    @Test
    void contradictionsAreUsageErrors() {
        Result both = run("inspect", "--html", dir.resolve("a.html").toString(), "-o", dir.resolve("b").toString(), small());
        assertEquals(ExitCodes.USAGE, both.code());
        assertTrue(both.err().contains("--html"), both.err());
        Result json = run("inspect", "--html", dir.resolve("a.html").toString(), "--format", "json", small());
        assertEquals(ExitCodes.USAGE, json.code());
        assertFalse(Files.exists(dir.resolve("a.html")));
    }
}
