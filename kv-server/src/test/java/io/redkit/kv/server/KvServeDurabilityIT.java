package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shared durability harness ({@code ../shared/tools/durability.py}) against kv serve as a child JVM: writers
 * with acknowledged SETs and INCRs, {@code kill -9} at a random moment, restart, everything read back. With
 * {@code --fsync always} and {@code everysec} no acknowledged write may be lost (a killed process loses nothing the
 * OS already has; only a machine crash could cost everysec its last second). Trials: property
 * {@code redkit.durability.trials}, 20 by default.
 */
class KvServeDurabilityIT {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.Test
    void sigtermClosesTheLogSoNothingIsLostEvenWithFsyncNo() throws Exception {
        int port = TestServers.freePort();
        Path data = dir.resolve("term");
        Files.createDirectories(data);
        Process p = TestServers.startKvProcess(data, port, "--fsync", "no");
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < 2000; i++) {
                c.send(RawClient.encode(RawClient.args("SET", "k" + i, "v" + i)));
            }
            for (int i = 0; i < 2000; i++) {
                assertEquals("+OK", c.read());
            }
            assertEquals(":1", c.call("INCR", "counter"));
        }
        p.destroy();
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
        p = TestServers.startKvProcess(data, port, "--fsync", "no");
        try (RawClient c = new RawClient(port)) {
            assertEquals(":2001", c.call("DBSIZE"));
            assertEquals("\"v1999\"", c.call("GET", "k1999"));
            assertEquals("\"1\"", c.call("GET", "counter"));
            assertEquals("EOF", c.call("SHUTDOWN"));
        }
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "everysec"})
    void noAcknowledgedWriteIsLostAcrossKillRestarts(String fsync) throws Exception {
        String python = TestServers.requireBinary("python3");
        Path harness = Path.of(System.getenv().getOrDefault("REDKIT_ROOT", "..")).resolve("../shared/tools/durability.py")
                .normalize();
        if (!Files.isRegularFile(harness)) {
            harness = Path.of("../../shared/tools/durability.py").toAbsolutePath().normalize();
        }
        final Path h = harness;
        TestServers.requireBinary("python3");
        if (!Files.isRegularFile(h)) {
            if (TestServers.ci()) {
                org.junit.jupiter.api.Assertions.fail("durability harness not found at " + h
                        + " (CI=true: a missing prerequisite is a failure)");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "durability harness not found at " + h);
        }
        int port = TestServers.freePort();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        String serverCmd = String.join(" ", TestServers.kvCommand(data, port)) + " --fsync " + fsync;
        String trials = System.getProperty("redkit.durability.trials", "20");
        Path json = dir.resolve("result.json");
        Process p = new ProcessBuilder(List.of(python, h.toString(), "--port", Integer.toString(port),
                "--server-cmd", serverCmd, "--server-log", dir.resolve("server.log").toString(),
                "--trials", trials, "--kill-after", "0.3:1.2", "--writers", "3", "--expect", "no-loss",
                "--ready-timeout", "60", "--json", json.toString(), "--seed", "11"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.MINUTES);
        System.out.println("durability (" + fsync + "):\n" + out);
        assertEquals(0, p.exitValue(), out);
    }
}
