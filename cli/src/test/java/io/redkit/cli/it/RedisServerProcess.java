package io.redkit.cli.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away redis-server on a free 127.0.0.1 port, never the system service: no persistence unless
 * asked ({@code --save '' --appendonly no}), its own directory, its log in {@code DIR/redis.log}.
 * {@link #start} returns once PING answers (or fails with the server's log when it exited, e.g. on an
 * RDB it refused to load).
 */
public final class RedisServerProcess implements AutoCloseable {
    /** Output of a redis-cli run: exit code, stdout and stderr. */
    public record CliResult(int exitCode, String stdout, String stderr) {
        /** Throws unless the exit code is 0. */
        public CliResult check() {
            if (exitCode != 0) {
                throw new AssertionError("redis-cli exited " + exitCode + ": " + stdout + stderr);
            }
            return this;
        }
    }

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;

    private RedisServerProcess(Process process, int port, Path dir, Path log) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
    }

    /**
     * Starts redis-server in {@code dir} (created if needed) with the given extra arguments (e.g.
     * {@code "--dbfilename", "x.rdb"}); a later argument overrides the defaults. Skips locally and
     * fails under CI when redis-server is missing.
     */
    public static RedisServerProcess start(Path dir, String... extraArgs) throws IOException {
        ItEnv.requireRedis();
        Files.createDirectories(dir);
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of("redis-server",
                    "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toAbsolutePath().toString(),
                    "--daemonize", "no", "--logfile", "", "--protected-mode", "yes"));
            cmd.addAll(Arrays.asList(extraArgs));
            Path log = dir.resolve("redis-" + port + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            RedisServerProcess s = new RedisServerProcess(p, port, dir, log);
            try {
                s.awaitPing();
                return s;
            } catch (IOException e) {
                s.close();
                last = e;
                if (!s.logText().contains("Address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** A loopback port free at the time of the call. */
    public static int freePort() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return ss.getLocalPort();
        }
    }

    private void awaitPing() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + ":\n" + logText());
            }
            try (RespClient c = new RespClient(port)) {
                Object pong = c.call("PING");
                if ("PONG".equals(pong)) {
                    return;
                }
            } catch (RespClient.RespError e) {
                // LOADING: the server is still reading its RDB
            } catch (IOException e) {
                // not listening yet
            }
            sleep(20);
        }
        throw new IOException("redis-server on port " + port + " did not answer PING in time:\n" + logText());
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The server's working directory ({@code --dir}). */
    public Path dir() {
        return dir;
    }

    /** Everything the server logged so far. */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new RESP connection to this server (close it). */
    public RespClient client() throws IOException {
        return new RespClient(port);
    }

    /** Runs {@code redis-cli -h 127.0.0.1 -p PORT args...} and returns its output. */
    public CliResult cli(String... args) throws IOException {
        return cliWithInput(null, args);
    }

    /** Like {@link #cli} with stdin read from a file (e.g. {@code --pipe} input), or none when null. */
    public CliResult cliWithInput(Path stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile()) : ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        if (stdin == null) {
            p.getOutputStream().close();
        }
        return collect(p);
    }

    /**
     * Starts {@code redis-cli --pipe} against this server and returns the process: the caller writes RESP
     * into its stdin, closes it, then calls {@link #finishPipe}.
     */
    public Process startPipe() throws IOException {
        return new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "--pipe")
                .redirectErrorStream(true).start();
    }

    /** Waits for a {@link #startPipe} process and checks it reported no errors. */
    public static CliResult finishPipe(Process p) throws IOException {
        CliResult r = collect(p);
        checkPipeOutput(r);
        return r;
    }

    /** Loads a RESP file with {@code redis-cli --pipe}; fails unless it reports {@code errors: 0}. */
    public CliResult pipe(Path respFile) throws IOException {
        CliResult r = cliWithInput(respFile, "--pipe");
        checkPipeOutput(r);
        return r;
    }

    private static void checkPipeOutput(CliResult r) {
        if (r.exitCode() != 0 || !r.stdout().contains("errors: 0")) {
            throw new AssertionError("redis-cli --pipe reported errors (exit " + r.exitCode() + "):\n"
                    + tail(r.stdout() + r.stderr(), 4000));
        }
    }

    private static CliResult collect(Process p) throws IOException {
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        try {
            int code = p.waitFor();
            return new CliResult(code, new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
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

    static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    /** Runs SAVE and returns the path of the file written ({@code DIR/<dbfilename>}). */
    public Path save() throws IOException {
        try (RespClient c = client()) {
            c.call("SAVE");
            List<?> name = (List<?>) c.call("CONFIG", "GET", "dbfilename");
            return dir.resolve(RespClient.text(name.get(1)));
        }
    }

    /** Stops the server without saving (SHUTDOWN NOSAVE, then kill if it lingers). */
    @Override
    public void close() {
        if (process.isAlive()) {
            try (RespClient c = new RespClient(port)) {
                c.send("SHUTDOWN", "NOSAVE");
                c.flush();
            } catch (IOException | RuntimeException e) {
                // not answering: killed below
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
