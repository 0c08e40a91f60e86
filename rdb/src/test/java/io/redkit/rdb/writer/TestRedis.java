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

    /** A RESP connection to the server, for binary-safe commands. */
    Resp connect() throws IOException {
        return new Resp(port);
    }

    /** A minimal RESP2 client: binary-safe commands, replies as String/Long/byte[]/List/RespError. */
    static final class Resp implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedOutputStream out;
        private final java.io.DataInputStream in;

        Resp(int port) throws IOException {
            socket = new java.net.Socket("127.0.0.1", port);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
        }

        /** Sends one command without waiting for its reply (pipelining). */
        void send(byte[]... args) throws IOException {
            out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : args) {
                out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(a);
                out.write('\r');
                out.write('\n');
            }
        }

        /** Flushes and reads one reply. */
        Object reply() throws IOException {
            out.flush();
            int t = in.read();
            String line = readLine();
            switch (t) {
                case '+':
                    return line;
                case '-':
                    return new IOException("-" + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    byte[] b = new byte[n];
                    in.readFully(b);
                    readLine();
                    return b;
                }
                case '*': {
                    int n = Integer.parseInt(line);
                    List<Object> l = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        l.add(reply());
                    }
                    return l;
                }
                default:
                    throw new IOException("bad RESP type byte " + t);
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                sb.append((char) c);
            }
            in.read();
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
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
