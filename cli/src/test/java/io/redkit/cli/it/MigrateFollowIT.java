package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.cli.Redkit;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 5 of issue 5: {@code migrate redis://... --to kv:DIR --follow} against a real redis-server under a
 * write load, stopped (SIGTERM) and restarted twice, resuming from the position stored in the store's log: at the
 * end the store's data equals the master's (both dumped with {@code dump -f jsonl --sorted}).
 */
class MigrateFollowIT {
    @TempDir
    Path tmp;

    @Test
    void followStoppedAndRestartedTwiceEndsEqualToTheMaster() throws Exception {
        try (RedisServerProcess master = RedisServerProcess.start(tmp.resolve("master"), "--dbfilename", "master.rdb",
                "--repl-backlog-size", "256mb")) {
            try (RespClient c = master.client()) {
                for (int i = 0; i < 3000; i++) {
                    c.send("SET", "pre:" + i, "v" + i);
                    c.send("HSET", "h:" + (i % 50), "f" + i, Integer.toString(i));
                }
                c.flush();
                for (int i = 0; i < 6000; i++) {
                    c.read();
                }
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            Thread writer = new Thread(() -> {
                Random rnd = new Random(5);
                try (RespClient c = master.client()) {
                    while (!stop.get()) {
                        int k = rnd.nextInt(500);
                        switch (rnd.nextInt(7)) {
                            case 0 -> c.call("INCR", "n:" + k);
                            case 1 -> c.call("SET", "s:" + k, "x" + rnd.nextInt(), "EX", "3600");
                            case 2 -> c.call("RPUSH", "l:" + (k % 20), Integer.toString(k));
                            case 3 -> c.call("ZADD", "z:" + (k % 20), Integer.toString(rnd.nextInt(100)), "m" + k);
                            case 4 -> c.call("DEL", "pre:" + k);
                            case 5 -> c.call("SELECT", "3");
                            default -> c.call("SELECT", "0");
                        }
                        writes.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            Path kv = tmp.resolve("kv");
            String uri = "redis://127.0.0.1:" + master.port();
            for (int round = 0; round < 3; round++) {
                Process p = startMigrate(uri, kv, round);
                try {
                    awaitOnline(master, p);
                } catch (AssertionError e) {
                    p.destroyForcibly();
                    p.waitFor();
                    throw new AssertionError(e.getMessage() + " in round " + round + ": "
                            + Files.readString(tmp.resolve("migrate-" + round + ".err"))
                            + Files.readString(tmp.resolve("migrate-" + round + ".out")));
                }
                Thread.sleep(1500);
                if (round == 2) {
                    stop.set(true);
                    writer.join();
                    awaitAcked(master);
                }
                p.destroy();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "migrate did not stop on SIGTERM");
                String err = Files.readString(tmp.resolve("migrate-" + round + ".err"));
                assertEquals(0, p.exitValue(), "round " + round + ": " + err);
                String out = Files.readString(tmp.resolve("migrate-" + round + ".out"));
                assertTrue(out.contains("replication position"), out + err);
                if (round > 0) {
                    // resumed from the stored position: no new snapshot
                    assertTrue(!err.contains("full resync"), err);
                }
                System.out.println("MigrateFollowIT round " + round + ": " + out.strip().replace("\n", " | ")
                        + (err.isBlank() ? "" : " | stderr: " + err.strip()));
            }
            Path rdb = master.save();
            List<Object> want = project(dump(rdb.toString()));
            List<Object> got = project(dump("kv:" + kv));
            System.out.println("MigrateFollowIT: " + writes.get() + " writes on the master during 3 runs; "
                    + want.size() + " keys compared");
            assertEquals(want.size(), got.size(), "key count");
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.get(i), got.get(i), "line " + (i + 1));
            }
        }
    }

    private String classPath;

    /**
     * The test's class path with its directories copied aside: other builds in the same tree may recompile a
     * module's classes while the child JVMs of this test start.
     */
    private String privateClassPath() throws IOException {
        if (classPath != null) {
            return classPath;
        }
        List<String> out = new java.util.ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                Path copy = tmp.resolve("cp").resolve(Integer.toString(n++));
                try (java.util.stream.Stream<Path> all = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) all::iterator) {
                        Path to = copy.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(f, to);
                        }
                    }
                }
                out.add(copy.toString());
            } else {
                out.add(e);
            }
        }
        classPath = String.join(File.pathSeparator, out);
        return classPath;
    }

    private Process startMigrate(String uri, Path kv, int round) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", privateClassPath(),
                "io.redkit.cli.Main", "migrate", uri, "--to", "kv:" + kv, "--follow", "--no-progress",
                "--fsync", "everysec")
                .redirectOutput(tmp.resolve("migrate-" + round + ".out").toFile())
                .redirectError(tmp.resolve("migrate-" + round + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** Waits until the master lists the replica as online (its sync is done) with an acknowledged offset. */
    private static void awaitOnline(RedisServerProcess master, Process p) throws Exception {
        Pattern online = Pattern.compile("slave0:.*state=online.*offset=([1-9]\\d*)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (RespClient c = master.client()) {
                if (online.matcher(RespClient.text(c.call("INFO", "replication"))).find()) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the replica never came online");
    }

    /** Waits until the replica acknowledged the master's whole stream. */
    private static void awaitAcked(RedisServerProcess master) throws Exception {
        Pattern slave = Pattern.compile("slave0:.*offset=(\\d+)");
        Pattern mo = Pattern.compile("master_repl_offset:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (RespClient c = master.client()) {
                String info = RespClient.text(c.call("INFO", "replication"));
                Matcher s = slave.matcher(info);
                Matcher m = mo.matcher(info);
                if (s.find() && m.find() && s.group(1).equals(m.group(1))) {
                    // one more ack period, so the position record after the last command is on disk too
                    Thread.sleep(1200);
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the replica never caught up");
    }

    /** The fields of the expected-content contract (not the encoding, which the engine leaves to the writer). */
    @SuppressWarnings("unchecked")
    private static List<Object> project(String jsonl) {
        List<Object> out = new java.util.ArrayList<>();
        for (Object o : JsonScanner.parseLines(jsonl)) {
            java.util.Map<String, Object> m = (java.util.Map<String, Object>) o;
            java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
            for (String f : List.of("db", "key", "type", "expire_ms", "value")) {
                p.put(f, m.get(f));
            }
            out.add(p);
        }
        return out;
    }

    private static String dump(String source) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Redkit.newCommandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute("dump", source, "-f", "jsonl", "--sorted");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
