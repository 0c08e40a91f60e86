package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redkit.kv.KvEngine;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts servers for the tests: kv serve in-process or as a child JVM, and a real redis-server. */
final class TestServers {
    private TestServers() {
    }

    /** An in-process kv server on a free loopback port with snapshot persistence in {@code dir}. */
    static KvServer startKv(Path dir, String password) throws IOException {
        ServerConfig c = new ServerConfig();
        c.port = 0;
        c.dir = dir;
        c.requirePass = password;
        java.nio.file.Files.createDirectories(dir);
        KvEngine e = new KvEngine();
        KvServer s = new KvServer(c, e, new SnapshotPersistence(e, dir), null);
        s.start();
        return s;
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips locally, fails under CI=true, when the binary is not on the PATH. */
    static String requireBinary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if (ci()) {
            fail(name + " not found on PATH (CI=true: a missing prerequisite is a failure)");
        }
        assumeTrue(false, name + " not found on PATH");
        return null;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A redis-server without persistence on a free port. */
    static Process startRedis(Path dir, int port, String... extra) throws IOException, InterruptedException {
        String bin = requireBinary("redis-server");
        List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        waitForPort(port, p);
        return p;
    }

    /** A kv server as a child JVM (the test's class path) running {@link KvServerMain}. */
    static Process startKvProcess(Path dir, int port, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(kvCommand(dir, port));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kv.log").toFile())).start();
        waitForPort(port, p);
        return p;
    }

    static List<String> kvCommand(Path dir, int port) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                KvServerMain.class.getName(), "--dir", dir.toString(), "--port", Integer.toString(port));
    }

    static void waitForPort(int port, Process p) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("server exited with " + p.exitValue());
            }
            try (RawClient c = new RawClient(port)) {
                String pong = c.call("PING");
                // a server whose default user needs a password is up as well
                if (pong.equals("+PONG") || pong.startsWith("-NOAUTH")) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("server did not answer on port " + port);
    }
}
