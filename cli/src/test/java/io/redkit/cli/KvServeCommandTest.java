package io.redkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.cli.it.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code redkit kv serve}: serves a directory until SHUTDOWN, keeps the data, refuses bad setups. */
class KvServeCommandTest {
    @TempDir
    Path dir;

    private record Run(CompletableFuture<Integer> exit, int port, ByteArrayOutputStream err) {
    }

    private static Run start(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> Redkit.newCommandLine(new PrintStream(new ByteArrayOutputStream()), errStream).execute(args));
        Pattern p = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && !exit.isDone()) {
            Matcher m = p.matcher(err.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return new Run(exit, Integer.parseInt(m.group(1)), err);
            }
            Thread.sleep(20);
        }
        return new Run(exit, -1, err);
    }

    @Test
    void servesUntilShutdownAndKeepsTheData() throws Exception {
        Path data = dir.resolve("data");
        Run r = start("kv", "serve", "--dir", data.toString(), "--port", "0", "--fsync", "always");
        assertTrue(r.port() > 0, r.err().toString(StandardCharsets.UTF_8) + " exit " + (r.exit().isDone() ? r.exit().join() : null));
        try (RespClient c = new RespClient(r.port())) {
            assertEquals("OK", RespClient.text(c.call("SET", "k", "v")));
            assertEquals("3", RespClient.text(c.call("RPUSH", "l", "a", "b", "c")));
            c.send("SHUTDOWN");
            c.flush();
        }
        assertEquals(ExitCodes.OK, r.exit().get(20, TimeUnit.SECONDS));
        assertTrue(Files.isDirectory(data.resolve("appendonlydir")));
        Run again = start("kv", "serve", "--dir", data.toString(), "--port", "0");
        try (RespClient c = new RespClient(again.port())) {
            assertEquals("v", RespClient.text(c.call("GET", "k")));
            assertEquals("3", RespClient.text(c.call("LLEN", "l")));
            c.send("SHUTDOWN");
            c.flush();
        }
        assertEquals(ExitCodes.OK, again.exit().get(20, TimeUnit.SECONDS));
    }

    @Test
    void aPasswordFileIsRequiredBeyondLoopback() throws Exception {
        Run r = start("kv", "serve", "--dir", dir.toString(), "--bind", "0.0.0.0", "--port", "0");
        assertEquals(ExitCodes.USAGE, r.exit().get(20, TimeUnit.SECONDS));
        assertTrue(r.err().toString(StandardCharsets.UTF_8).contains("without a password"));
        Path pass = dir.resolve("pass");
        Files.writeString(pass, "s3cret\n");
        Run ok = start("kv", "serve", "--dir", dir.resolve("d2").toString(), "--password-file", pass.toString(),
                "--port", "0");
        try (RespClient c = new RespClient(ok.port())) {
            assertTrue(RespClient.text(c.call("AUTH", "s3cret")).equals("OK"));
            c.send("SHUTDOWN");
            c.flush();
        }
        assertEquals(ExitCodes.OK, ok.exit().get(20, TimeUnit.SECONDS));
    }

    private static String error(RespClient c, String... args) throws java.io.IOException {
        try {
            return "no error: " + RespClient.text(c.call((Object[]) args));
        } catch (RespClient.RespError e) {
            return e.getMessage();
        }
    }

    @Test
    void anAclFileDefinesTheUsers() throws Exception {
        Path acl = dir.resolve("users.acl");
        Files.writeString(acl, "user default off\nuser app on >pw1 ~app:* +@all -flushall\n");
        Run r = start("kv", "serve", "--dir", dir.resolve("d3").toString(), "--acl-file", acl.toString(),
                "--port", "0");
        assertTrue(r.port() > 0, r.err().toString(StandardCharsets.UTF_8));
        try (RespClient c = new RespClient(r.port())) {
            assertTrue(error(c, "PING").startsWith("NOAUTH"));
            assertEquals("OK", RespClient.text(c.call("AUTH", "app", "pw1")));
            assertEquals("app", RespClient.text(c.call("ACL", "WHOAMI")));
            assertEquals("OK", RespClient.text(c.call("SET", "app:1", "v")));
            assertTrue(error(c, "SET", "other", "v").startsWith("NOPERM"));
            assertTrue(error(c, "FLUSHALL").startsWith("NOPERM"));
            c.send("SHUTDOWN");
            c.flush();
        }
        assertEquals(ExitCodes.OK, r.exit().get(20, TimeUnit.SECONDS));
        assertTrue(!r.err().toString(StandardCharsets.UTF_8).contains("pw1"));
        Files.writeString(acl, "user app on >pw2 ~app:* +@nosuchcategory\n");
        Run bad = start("kv", "serve", "--dir", dir.resolve("d4").toString(), "--acl-file", acl.toString(),
                "--port", "0");
        assertEquals(ExitCodes.USAGE, bad.exit().get(20, TimeUnit.SECONDS));
        String err = bad.err().toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("users.acl:1") && !err.contains("pw2"), err);
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        assertEquals(ExitCodes.USAGE, start("kv", "serve").exit().get(20, TimeUnit.SECONDS));
        assertEquals(ExitCodes.USAGE, start("kv", "serve", "--dir", "x", "--fsync", "sometimes")
                .exit().get(20, TimeUnit.SECONDS));
        assertEquals(ExitCodes.USAGE, start("kv", "serve", "--dir", "x", "--maxmemory-policy", "nope")
                .exit().get(20, TimeUnit.SECONDS));
    }
}
