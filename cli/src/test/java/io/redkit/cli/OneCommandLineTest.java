package io.redkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;

/**
 * The start-up shortcut of {@link Main}: a command line holding only the command named first behaves
 * exactly as the whole tree does for that command (help, usage errors, output, exit codes).
 */
class OneCommandLineTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(boolean alone, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
        picocli.CommandLine cl = alone ? Redkit.newCommandLine(ctx, Redkit.subcommandClass(args[0])) : Redkit.newCommandLine(ctx);
        int code = cl.execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void same(String... args) {
        Result whole = run(false, args);
        Result alone = run(true, args);
        assertEquals(whole, alone, String.join(" ", args));
    }

    @Test
    void everyShortcutCommandExists() {
        for (String name : new TreeSet<>(Main.ONE_COMMAND)) {
            assertNotNull(Redkit.subcommandClass(name), name);
        }
        assertEquals(null, Redkit.subcommandClass("no-such-command"));
    }

    @Test
    void helpIsTheSame() {
        for (String name : new TreeSet<>(Main.ONE_COMMAND)) {
            same(name, "--help");
        }
        same("kv", "serve", "--help");
        assertTrue(run(true, "inspect", "--help").out().startsWith("Usage: redkit inspect"));
    }

    @Test
    void usageErrorsAndRunsAreTheSame() {
        String small = Fixtures.file("rdb/r70-small.rdb").toString();
        same("inspect", "--no-such-option", small);
        same("inspect", small);
        same("inspect", "--format", "json", small);
        same("dump", small, "-f", "jsonl");
        same("verify", small);
        same("dump", "/no/such/file.rdb");
        for (String args : List.of("tail", "migrate", "diff")) {
            same(args);
        }
        Result r = run(true, "inspect", "--top", "0", small);
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("Try 'redkit inspect --help'"), r.err());
    }
}
