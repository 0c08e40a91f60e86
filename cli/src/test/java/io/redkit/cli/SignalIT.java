package io.redkit.cli;

import io.redkit.rdb.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGTERM against the real fat jar: the input is half of a fixture fed through a pipe that stays
 * open, so the reader waits for more while the decoded keys sit in the output buffer.
 */
class SignalIT {
    @TempDir
    Path dir;

    private static Path jar() {
        String root = System.getenv("REDKIT_ROOT");
        Path p = root != null ? Path.of(root, "cli", "target", "redkit.jar") : Path.of("target", "redkit.jar");
        if (!Files.isRegularFile(p)) {
            fail("fat jar missing: " + p + " (built by the package phase)");
        }
        return p;
    }

    private static Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    /**
     * Feeds the first half of a fixture and leaves stdin open. The write returns only once the
     * child has read all but a pipe buffer of it, so the JVM is up and past installing its hook.
     */
    private static void feedHalf(Process p) throws IOException {
        byte[] all = Files.readAllBytes(Fixtures.file("rdb/r70-mixed.rdb"));
        OutputStream in = p.getOutputStream();
        in.write(all, 0, all.length / 2);
        in.flush();
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return s.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    /** Gives the decoder a moment for what it has read, then sends SIGTERM. */
    private static int terminate(Process p) throws Exception {
        Thread.sleep(1000);
        // SIGTERM alone: Process.destroy() would also close our ends of the pipes, racing the signal
        p.toHandle().destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("redkit did not exit within 20 s of SIGTERM");
        }
        return p.exitValue();
    }

    @Test
    void sigtermFlushesStandardOutput() throws Exception {
        Process p = start("dump", "-", "-f", "keys");
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        feedHalf(p);
        int code = terminate(p);
        String text = new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertEquals(143, code, new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        // far less than 256 KiB of key names: without the flush on SIGTERM nothing would show
        assertTrue(text.lines().count() > 10, "keys flushed: " + text.lines().count());
        assertTrue(text.endsWith("\n"), "keys end with a complete line");
        assertEquals("", new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    @Test
    void sigtermLeavesNoOutputFile() throws Exception {
        Path target = dir.resolve("out.jsonl");
        Process p = start("dump", "-", "-o", target.toString());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        drain(p.getInputStream());
        feedHalf(p);
        assertEquals(143, terminate(p));
        assertEquals("", new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "neither the target nor its temporary file remains");
        }
    }

    @Test
    void closedPipeEndsQuietly() throws Exception {
        // several MB of jsonl: far more than the pipe and the output buffer hold
        Process p = start("dump", Fixtures.file("rdb/r70-mixed.rdb").toString());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        byte[] first = p.getInputStream().readNBytes(16);
        assertEquals(16, first.length);
        p.getInputStream().close();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(ExitCodes.IO, p.exitValue());
        assertEquals("", new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    }

    @Test
    void versionIsFast() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Process p = start("--version");
        p.getInputStream().transferTo(sink);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(sink.toString(StandardCharsets.UTF_8).startsWith("redkit "));
    }
}
