package io.redkit.cli.it;

import io.redkit.cli.Redkit;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the redkit command either as a user does, {@code java -Xmx... -jar cli/target/redkit.jar ARGS} in
 * a separate JVM (so a heap limit really applies to the tool alone), or in-process through
 * {@link Redkit#newCommandLine} (no JVM start: for the many short runs of the round-trip tests); stdout
 * captured, written to a file, or (separate JVM only) handed to the caller as a stream.
 */
public final class RedkitCli {
    /** Exit code, stdout (empty when redirected) and stderr of a finished run. */
    public record Result(int exitCode, byte[] stdout, String stderr, long millis) {
        /** Stdout as UTF-8 text. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Throws with stderr unless the exit code is 0. */
        public Result check() {
            if (exitCode != 0) {
                throw new AssertionError("redkit exited " + exitCode + "; stderr:\n"
                        + RedisServerProcess.tail(stderr, 4000));
            }
            return this;
        }
    }

    private final List<String> jvmOptions;
    private final boolean inProcess;

    private RedkitCli(List<String> jvmOptions, boolean inProcess) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.inProcess = inProcess;
    }

    /** A runner calling the command line in this JVM, on its own out/err streams. */
    public static RedkitCli inProcess() {
        return new RedkitCli(List.of(), true);
    }

    /** A runner with {@code -Xmx512m}. */
    public static RedkitCli defaults() {
        return withHeap("512m");
    }

    /** A runner whose JVM gets {@code -Xmx<heap>} (e.g. "256m"). */
    public static RedkitCli withHeap(String heap) {
        return new RedkitCli(List.of("-Xmx" + heap, "-XX:+UseSerialGC"), false);
    }

    /** The full command line for {@code args}. */
    public List<String> command(String... args) {
        if (inProcess) {
            throw new UnsupportedOperationException("an in-process runner has no command line");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(ItEnv.redkitJar().toString());
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Runs to the end, capturing stdout in memory (small outputs only). */
    public Result run(String... args) throws IOException {
        long t0 = System.nanoTime();
        if (inProcess) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Result r = execute(out, t0, args);
            return new Result(r.exitCode(), out.toByteArray(), r.stderr(), r.millis());
        }
        Process p = start(args);
        CompletableFuture<String> err = drain(p.getErrorStream());
        byte[] out = readAll(p.getInputStream());
        int code = waitFor(p);
        return new Result(code, out, err.join(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Runs to the end with stdout written to {@code stdout} (use /dev/null to discard). */
    public Result runTo(Path stdout, String... args) throws IOException {
        long t0 = System.nanoTime();
        if (inProcess) {
            try (OutputStream out = Files.newOutputStream(stdout)) {
                return execute(out, t0, args);
            }
        }
        Process p = new ProcessBuilder(command(args)).redirectOutput(stdout.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> err = drain(p.getErrorStream());
        int code = waitFor(p);
        return new Result(code, new byte[0], err.join(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static Result execute(OutputStream out, long t0, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Redkit.newCommandLine(o, e).execute(args);
        o.flush();
        e.flush();
        return new Result(code, new byte[0], err.toString(StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Starts a run whose stdout the caller reads from {@link Process#getInputStream()}; stderr must be drained. */
    public Process start(String... args) throws IOException {
        if (inProcess) {
            throw new UnsupportedOperationException("start() needs a separate JVM");
        }
        return new ProcessBuilder(command(args))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** Reads a stream to its end on a background thread, as text. */
    public static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> new String(readAll(in), StandardCharsets.UTF_8));
    }

    /** Waits (at most 10 minutes) for a started run and returns its exit code. */
    public static int waitFor(Process p) throws IOException {
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("redkit did not finish in 10 minutes");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            in.transferTo(bo);
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
