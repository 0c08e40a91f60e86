package io.redkit.cli.shell;

import io.redkit.cli.CliContext;
import io.redkit.cli.Redkit;
import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code redkit shell} scripted (commands on standard input, plain output) over fixture files. */
class ShellTest {
    @TempDir
    Path tmp;

    /** Exit code, standard output and standard error of one run. */
    record Run(int code, String out, String err) {
    }

    static Run shell(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(o, e, false, false)
                .withIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        String[] all = new String[args.length + 1];
        all[0] = "shell";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Redkit.newCommandLine(ctx).execute(all);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String small() {
        return Fixtures.file("rdb/r70-small.rdb").toString();
    }

    @Test
    void getPrintsAHashAsATableAndAStringAsText() {
        Run r = shell("get zeta\nget alpha\n", small());
        assertEquals(0, r.code(), r.err());
        assertEquals("field  value\nf1     v1\nf2     v2\nCORRUPT-TARGET-VALUE-0123456789\n", r.out());
        assertFalse(r.out().contains("\u001b"), "no colours when output is not a terminal");
    }

    @Test
    void collectionsOfEveryTypeAreTables() {
        Run r = shell("get gamma\nget delta\nget epsilon\nget eta\n", small());
        assertEquals(0, r.code(), r.err());
        assertEquals("#  value\n0  one\n1  two\n2  three\n"
                + "member\n1\n2\n3\n"
                + "score  member\n1.5    x\n2      y\n"
                + "id   fields\n1-1  f=v\nlength 1, last id 1-1, 0 group(s)\n", r.out());
    }

    @Test
    void typeTtlAndMissingKeys() {
        Run r = shell("type zeta\ntype nope\nttl theta\nttl alpha\nttl nope\nget nope\n", small());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("hash", lines[0]);
        assertEquals("none", lines[1]);
        // theta expires at 2100-01-01T00:00:00Z: the number of seconds depends on today, the date does not
        assertTrue(lines[2].matches("[0-9]+ \\(expires at 2100-01-01T00:00:00Z\\)"), lines[2]);
        assertEquals("-1 (no expiry)", lines[3]);
        assertEquals("-2 (no such key)", lines[4]);
        assertEquals("(no such key)", lines[5]);
    }

    @Test
    void lsScanAndSelectWalkTheKeysInByteOrder() {
        String multidb = Fixtures.file("rdb/r70-multidb.rdb").toString();
        Run r = shell("ls\nselect 5\nls\nscan * 1\nls nothing*\n", multidb);
        assertEquals(0, r.code(), r.err());
        Run all = shell("ls\n", small());
        assertEquals("alpha\nbeta\ndelta\nepsilon\neta\ngamma\ntheta\nzeta\n", all.out());
        assertTrue(r.out().contains("OK\n"), r.out());
        String afterSelect = r.out().substring(r.out().indexOf("OK\n") + 3);
        assertTrue(afterSelect.contains("-- more ("), afterSelect);
    }

    @Test
    void pagedValuesSayHowManyMore() {
        String hashes = Fixtures.file("rdb/r70-hashes.rdb").toString();
        Run r = shell("get hash:hashtable:many\n", hashes, "--page", "3");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(5, lines.length, r.out());
        assertEquals("field      value", lines[0]);
        assertEquals("-- more (597) --", lines[4]);
        Run all = shell("get hash:hashtable:many --all\n", hashes);
        assertEquals(601, all.out().split("\n").length);
    }

    @Test
    void infoTopAndPrefix() {
        String mixed = Fixtures.file("rdb/r70-mixed.rdb").toString();
        Run r = shell("info\ntop 3\nprefix 1\n", mixed);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("format:      RDB version 10"), r.out());
        assertTrue(r.out().matches("(?s).*db0: +keys=[0-9]+ expires=[0-9]+ est\\. memory=.*"), r.out());
        assertTrue(r.out().contains("#  memory"), r.out());
        assertTrue(r.out().contains("prefix"), r.out());
        assertTrue(r.out().contains("share"), r.out());
    }

    @Test
    void errorsGoToStderrAndSetTheExitCode() {
        Run r = shell("bogus\nget \"open\nget zeta\n", small());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown command 'bogus'"), r.err());
        assertTrue(r.err().contains("unbalanced quotes"), r.err());
        assertTrue(r.out().contains("f1     v1"), "later commands still run");
    }

    @Test
    void quitEndsTheScript() {
        Run r = shell("type zeta\nquit\ntype alpha\n", small());
        assertEquals("hash\n", r.out());
    }

    @Test
    void binaryKeysAreQuotedAndCanBeTypedBack() {
        String strings = Fixtures.file("rdb/r70-strings.rdb").toString();
        Run ls = shell("ls\n", strings);
        String quoted = null;
        for (String line : ls.out().split("\n")) {
            if (line.startsWith("\"") && line.contains("\\x")) {
                quoted = line;
                break;
            }
        }
        assertTrue(quoted != null, "a binary key is listed quoted: " + ls.out());
        Run t = shell("type " + quoted + "\n", strings);
        assertFalse(t.out().startsWith("none"), quoted + " -> " + t.out());
    }

    @Test
    void indexIsWrittenOnlyWithTheOptionAndReusedWhileTheFileIsUnchanged() throws IOException {
        Path f = tmp.resolve("small.rdb");
        Files.copy(Path.of(small()), f);
        shell("info\n", f.toString());
        assertFalse(Files.exists(tmp.resolve("small.rdb.rkidx")), "nothing beside the file without --index");

        Run first = shell("info\n", "--index", f.toString());
        assertTrue(first.out().contains("saved to"), first.out());
        assertTrue(Files.isRegularFile(tmp.resolve("small.rdb.rkidx")));
        Run second = shell("info\nget zeta\n", "--index", f.toString());
        assertTrue(second.out().contains("read from"), second.out());
        assertTrue(second.out().contains("f2     v2"), second.out());

        // a changed file (same size, other mtime) is indexed again
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - 60_000));
        Run third = shell("info\n", "--index", f.toString());
        assertTrue(third.out().contains("saved to"), third.out());

        // a damaged index is rebuilt, never trusted
        byte[] ix = Files.readAllBytes(tmp.resolve("small.rdb.rkidx"));
        ix[ix.length / 2] ^= 0x40;
        Files.write(tmp.resolve("small.rdb.rkidx"), ix);
        Run fourth = shell("info\nget zeta\n", "--index", f.toString());
        assertTrue(fourth.out().contains("saved to"), fourth.out());
        assertTrue(fourth.out().contains("f1     v1"), fourth.out());
    }

    @Test
    void compressedFilesAreReadByAPass() throws IOException {
        Path gz = tmp.resolve("small.rdb.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(Path.of(small()), o);
        }
        Run r = shell("get zeta\ninfo\n", gz.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("field  value\nf1     v1\nf2     v2\n"), r.out());
        assertTrue(r.out().contains("compressed or not seekable"), r.out());
    }

    @Test
    void aofIsReplayedIntoAnEngine() {
        String aof = Fixtures.root().resolve("aof/r70-aof-plain").toString();
        Run r = shell("type user:1\nget user:1\ninfo\n", aof);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("hash\nfield"), r.out());
        assertTrue(r.out().contains("replayed into an in-memory engine"), r.out());
    }

    @Test
    void anRdbFollowedByCommandsIsReplayedToo() {
        String aof = Fixtures.file("aof/redis-rdb-preamble.aof").toString();
        Run r = shell("ls\nget k3\n", aof);
        assertEquals(0, r.code(), r.err());
        assertEquals("k1\nk2\nk3\nv3\n", r.out());
    }

    @Test
    void standardInputIsNotASource() {
        Run r = shell("", "-");
        assertEquals(2, r.code());
    }

    @Test
    void missingFileIsAnIoError() {
        Run r = shell("", tmp.resolve("nope.rdb").toString());
        assertEquals(3, r.code(), r.err());
    }

    @Test
    void argvEncodesTextAndBytes() {
        java.util.List<byte[]> a = CommandValues.argv("GET", new byte[]{1, 2}, 5);
        assertEquals("GET", new String(a.get(0), StandardCharsets.UTF_8));
        assertEquals(2, a.get(1).length);
        assertEquals("5", new String(a.get(2), StandardCharsets.UTF_8));
    }

    @Test
    void serverRepliesKeepTheirKindInTheShell() {
        io.redkit.live.net.Reply arr = io.redkit.live.net.Reply.array(java.util.List.of(
                io.redkit.live.net.Reply.status("PONG".getBytes(StandardCharsets.US_ASCII)),
                io.redkit.live.net.Reply.bulk(new byte[]{1}), io.redkit.live.net.Reply.integer(3),
                io.redkit.live.net.Reply.NULL, io.redkit.live.net.Reply.error("ERR x".getBytes(StandardCharsets.US_ASCII))));
        io.redkit.kv.Reply r = RemoteBackend.toShell(arr);
        assertTrue(r instanceof io.redkit.kv.Reply.Array, r.toString());
        java.util.List<io.redkit.kv.Reply> items = ((io.redkit.kv.Reply.Array) r).items();
        assertEquals(new io.redkit.kv.Reply.Simple("PONG"), items.get(0));
        assertTrue(items.get(1) instanceof io.redkit.kv.Reply.Bulk);
        assertEquals(io.redkit.kv.Reply.integer(3), items.get(2));
        assertEquals(io.redkit.kv.Reply.NULL, items.get(3));
        assertEquals(io.redkit.kv.Reply.error("ERR x"), items.get(4));
    }
}
