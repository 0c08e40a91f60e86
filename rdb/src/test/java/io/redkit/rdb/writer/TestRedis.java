package io.redkit.rdb.writer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server started by a test on a free loopback port over one RDB file, and redis-cli
 * against it. Without redis-server the test skips locally and fails under CI=true.
 */
final class TestRedis implements AutoCloseable {
    private final Path cli;
    private final int port;
    private final Process process;
    private final Path log;

    private TestRedis(Path cli, int port, Process process, Path log) {
        this.cli = cli;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts redis-server loading {@code dir/dbfilename}; waits until it accepts commands or fails with its log. */
    static TestRedis start(Path dir, String dbfilename, String... extraArgs) throws Exception {
        Path server = which("redis-server");
        Path cli = which("redis-cli");
        require(server != null && cli != null, "redis-server / redis-cli not on PATH");
        int port = freePort();
        Path log = dir.resolve(dbfilename + ".log");
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(server.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--dbfilename", dbfilename, "--save", "",
                "--appendonly", "no", "--logfile", log.toString()));
        cmd.addAll(Arrays.asList(extraArgs));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(dir.resolve(dbfilename + ".out").toFile()).start();
        TestRedis r = new TestRedis(cli, port, p, log);
        try {
            r.waitReady();
        } catch (Throwable t) {
            r.close();
            throw t;
        }
        return r;
    }

    /** The server's log so far. */
    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void waitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("redis-server exited: " + log());
            }
            try {
                if ("PONG".equals(run("ping")) && log().contains("Ready to accept connections")) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        fail("redis-server did not become ready: " + log());
    }

    /** Runs redis-cli with these arguments; output trimmed. */
    String run(String... args) throws Exception {
        return runStdin(null, args);
    }

    /** Runs redis-cli feeding {@code stdin} (for {@code -x}); output trimmed. */
    String runStdin(byte[] stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("redis-cli timed out");
        }
        String s = new String(out, StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0 || s.startsWith("Could not connect")) {
            throw new IOException("redis-cli " + cmd + ": " + s);
        }
        return s;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    static Path which(String name) {
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path f = Paths.get(d, name);
            if (Files.isRegularFile(f) && Files.isExecutable(f)) {
                return f;
            }
        }
        return null;
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(what + " (CI=true: a missing prerequisite is a failure)");
            }
            assumeTrue(false, what);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
