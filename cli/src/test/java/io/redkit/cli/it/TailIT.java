package io.redkit.cli.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code redkit tail} and {@code redkit dump redis://} against real redis-server masters on loopback:
 * full syncs (disk and diskless) applied to an empty server equal the master, an INCR sequence
 * survives 20 killed replica links, a {@code kill -9} resumes from the checkpoint, a promoted replica
 * continues the stream, ACL users, wrong passwords and TLS.
 */
class TailIT {
    private static final RedkitCli CLI = RedkitCli.withHeap("256m");
    /** {@code ts [db @offset] "CMD" "arg"...} */
    private static final Pattern TEXT_LINE = Pattern.compile("^\\d+\\.\\d+ \\[(\\d+) @(\\d+)] (.*)$");

    @TempDir
    Path tmp;

    @BeforeAll
    static void prerequisites() {
        ItEnv.requireRedis();
        ItEnv.redkitJar();
    }

    /** A {@code redkit tail} child process with its stdout and stderr in files. */
    static final class Tail implements AutoCloseable {
        final Process process;
        final Path out;
        final Path err;

        private Tail(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Tail start(Path dir, String name, Map<String, String> env, String... args) throws IOException {
            Path out = dir.resolve(name + ".out");
            Path err = dir.resolve(name + ".err");
            ProcessBuilder pb = new ProcessBuilder(CLI.command(args))
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().remove("REDISCLI_AUTH");
            pb.environment().putAll(env);
            return new Tail(pb.start(), out, err);
        }

        static Tail start(Path dir, String name, String... args) throws IOException {
            return start(dir, name, Map.of(), args);
        }

        String err() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        String out() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        /** SIGTERM, as Ctrl-C or a service manager would: must flush, checkpoint and exit 0. */
        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("tail did not stop on SIGTERM; stderr:\n" + err());
            }
            assertEquals(0, process.exitValue(), "exit code after SIGTERM; stderr:\n" + err());
        }

        int await() throws Exception {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("redkit did not exit; stderr:\n" + err());
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A master that starts a diskless sync at once (the default waits 5 s for more replicas). */
    static RedisServerProcess master(Path dir, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--repl-diskless-sync-delay", "0"));
        args.addAll(List.of(extra));
        return RedisServerProcess.start(dir, args.toArray(new String[0]));
    }

    static String uri(RedisServerProcess s) {
        return "redis://127.0.0.1:" + s.port();
    }

    static String info(RespClient c, String field) throws IOException {
        String text = RespClient.text(c.call("INFO", "replication"));
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    /** Waits until every replica of the master has acknowledged its whole stream (ACKs come each second). */
    static void awaitCaughtUp(RedisServerProcess master, int replicas, List<Tail> tails) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (RespClient c = master.client()) {
            while (System.nanoTime() < deadline) {
                long offset = Long.parseLong(info(c, "master_repl_offset"));
                int ok = 0;
                for (int i = 0; i < replicas; i++) {
                    String r = info(c, "slave" + i);
                    if (r != null && r.contains("state=online") && r.contains("offset=" + offset + ",")) {
                        ok++;
                    }
                }
                if (ok == replicas) {
                    return;
                }
                for (Tail t : tails) {
                    if (!t.process.isAlive()) {
                        fail("tail exited " + t.process.exitValue() + ":\n" + t.err());
                    }
                }
                Thread.sleep(100);
            }
            StringBuilder sb = new StringBuilder("replicas did not catch up: " + info(c, "master_repl_offset"));
            for (int i = 0; i < replicas; i++) {
                sb.append("\n").append(info(c, "slave" + i));
            }
            for (Tail t : tails) {
                sb.append("\n").append(t.err());
            }
            fail(sb.toString());
        }
    }

    static void awaitFile(Path f, Predicate<String> ready, Tail t) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(f) && ready.test(Files.readString(f, StandardCharsets.UTF_8))) {
                return;
            }
            if (!t.process.isAlive()) {
                fail("tail exited " + t.process.exitValue() + ":\n" + t.err());
            }
            Thread.sleep(50);
        }
        fail("timed out waiting for " + f + "; stderr:\n" + t.err());
    }

    /** A dataset of every type, with TTLs, over three dbs. */
    static void populate(RespClient c) throws IOException {
        long future = System.currentTimeMillis() + 3_600_000;
        for (int db : new int[] {0, 2, 9}) {
            c.call("SELECT", db);
            String p = "db" + db + ":";
            c.call("SET", p + "str", "hello");
            c.call("SET", p + "int", "12345");
            c.call("SET", p + "bin", new byte[] {0, (byte) 0xFF, 10, 13, 'x'});
            c.call("SET", p + "ttl", "v", "PXAT", future);
            c.call("RPUSH", p + "list", "a", "b", "c");
            for (int i = 0; i < 300; i++) {
                c.send("RPUSH", p + "biglist", "element-" + i);
                c.send("SADD", p + "bigset", "member-" + i);
                c.send("ZADD", p + "bigzset", i * 1.5, "m" + i);
                c.send("HSET", p + "bighash", "f" + i, "v" + i);
            }
            c.flush();
            for (int i = 0; i < 1200; i++) {
                c.read();
            }
            c.call("SADD", p + "intset", 1, 2, 3);
            c.call("SADD", p + "set", "x", "y");
            c.call("ZADD", p + "zset", 1, "one", 2.5, "two");
            c.call("HSET", p + "hash", "a", "1", "b", "2");
            c.call("PEXPIREAT", p + "hash", future);
            c.call("XADD", p + "stream", "1-1", "f", "v");
            c.call("XADD", p + "stream", "2-1", "g", "w");
            c.call("XGROUP", "CREATE", p + "stream", "grp", "0");
            c.call("XREADGROUP", "GROUP", "grp", "alice", "COUNT", "1", "STREAMS", p + "stream", ">");
        }
        c.call("SELECT", 0);
    }

    /** The master's writes while a tail follows: the benchmark, then a script with MULTI, SELECT, EXPIRE. */
    static void writeLoad(RedisServerProcess master, int benchmarkRequests) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p",
                Integer.toString(master.port()), "-n", Integer.toString(benchmarkRequests), "-t", "set,lpush",
                "-r", "5000", "-P", "16", "-q").redirectErrorStream(true);
        Process p = pb.start();
        try {
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor(), "redis-benchmark");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        try (RespClient c = master.client()) {
            for (int i = 1; i <= 1000; i++) {
                c.send("RPUSH", "seq", i);
            }
            c.flush();
            for (int i = 0; i < 1000; i++) {
                c.read();
            }
            c.call("SELECT", 4);
            c.call("MULTI");
            c.call("HSET", "tx", "a", "1");
            c.call("INCR", "txcount");
            c.call("EXEC");
            c.call("SET", "gone", "1", "EX", "3600");
            c.call("DEL", "gone");
            c.call("SELECT", 2);
            c.call("DEL", "db2:str");
            c.call("EXPIRE", "db2:list", "7200");
            c.call("SELECT", 0);
        }
    }

    // ---- acceptance 1 -------------------------------------------------------------------------

    @ParameterizedTest(name = "diskless {0}")
    @ValueSource(strings = {"no", "yes"})
    void snapshotAndStreamRebuildTheMaster(String diskless) throws Exception {
        try (RedisServerProcess master = RedisServerProcess.start(tmp.resolve("master"),
                "--repl-diskless-sync", diskless, "--repl-diskless-sync-delay", "0");
             RespClient c = master.client()) {
            populate(c);
            try (Tail resp = Tail.start(tmp, "resp", "tail", uri(master), "-f", "resp");
                 Tail jsonl = Tail.start(tmp, "jsonl", "tail", uri(master), "-f", "jsonl", "--snapshot", "skip")) {
                awaitCaughtUp(master, 2, List.of(resp, jsonl));
                writeLoad(master, 50_000);
                awaitCaughtUp(master, 2, List.of(resp, jsonl));
                resp.stop();
                jsonl.stop();
                assertTrue(resp.err().isEmpty(), resp.err());

                // in order: offsets strictly increase, the script's RPUSH seq i come as 1..1000
                long last = -1;
                int seq = 0;
                int commands = 0;
                for (String line : jsonl.out().split("\n")) {
                    Map<?, ?> rec = (Map<?, ?>) JsonScanner.parse(line);
                    long off = ((Number) rec.get("offset")).longValue();
                    assertTrue(off > last, "offsets must increase: " + line);
                    last = off;
                    commands++;
                    List<?> argv = (List<?>) rec.get("command");
                    if (argv.get(0).equals("RPUSH") && argv.get(1).equals("seq")) {
                        assertEquals(String.valueOf(++seq), argv.get(2), line);
                    }
                }
                assertEquals(1000, seq);
                assertTrue(commands >= 101_000, "commands seen: " + commands);

                try (RedisServerProcess copy = RedisServerProcess.start(tmp.resolve("copy"))) {
                    copy.cliWithInput(resp.out, "--pipe").check();
                    assertNull(Snapshot.diff(Snapshot.take(c), Snapshot.take(copy.port()), 5),
                            "the master vs the tail -f resp output applied to an empty server");
                }
            }
            // dump: one full sync into a format, with the raw payload kept
            Path rdb = tmp.resolve("saved-" + diskless + ".rdb");
            RedkitCli.Result r = CLI.run("dump", uri(master), "-f", "jsonl", "--save-rdb", rdb.toString());
            r.check();
            int keys = r.out().split("\n").length;
            assertEquals(RespClient.integer(c.call("DBSIZE")) + dbsize(c, 2) + dbsize(c, 4) + dbsize(c, 9), keys);
            try (RedisServerProcess loaded = RedisServerProcess.start(tmp.resolve("loaded-" + diskless),
                    "--dbfilename", rdb.getFileName().toString(), "--dir", tmp.toString())) {
                assertNull(Snapshot.diff(Snapshot.take(c), Snapshot.take(loaded.port()), 5), "--save-rdb copy");
            }
        }
    }

    static long dbsize(RespClient c, int db) throws IOException {
        c.call("SELECT", db);
        long n = RespClient.integer(c.call("DBSIZE"));
        c.call("SELECT", 0);
        return n;
    }

    // ---- acceptance 2 -------------------------------------------------------------------------

    @Test
    void incrSequenceSurvivesTwentyKilledLinks() throws Exception {
        try (RedisServerProcess master = RedisServerProcess.start(tmp.resolve("master"),
                "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0", "--enable-debug-command", "yes");
             RespClient c = master.client()) {
            // enough data for the transfer to take a moment, so that kills land inside it
            c.call("DEBUG", "POPULATE", "200000", "pop", "64");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong n = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (RespClient w = master.client()) {
                    while (writing.get()) {
                        w.call("INCR", "counter");
                        n.incrementAndGet();
                        if (n.get() % 50 == 0) {
                            Thread.sleep(2);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "incr-writer");
            try (Tail tail = Tail.start(tmp, "incr", "tail", uri(master), "-f", "jsonl", "--key", "counter",
                    "--read-timeout", "10")) {
                writer.start();
                Random rnd = new Random(42);
                int duringTransfer = 0;
                try (RespClient k = master.client()) {
                    for (int i = 0; i < 20; i++) {
                        if (i < 3) {
                            // the first kills come while the 200k-key snapshot streams
                            awaitState(k, tail, "wait_bgsave", "send_bulk");
                            Thread.sleep(rnd.nextInt(60));
                        } else {
                            // the others at random moments of the command stream
                            awaitOnline(k, tail);
                            Thread.sleep(20 + rnd.nextInt(300));
                        }
                        String state = info(k, "slave0");
                        // a diskless transfer streams while the master says wait_bgsave (the fork writes the socket)
                        if (state != null && (state.contains("state=send_bulk") || state.contains("state=wait_bgsave"))) {
                            duringTransfer++;
                        }
                        k.call("CLIENT", "KILL", "TYPE", "replica");
                    }
                }
                writing.set(false);
                writer.join();
                awaitCaughtUp(master, 1, List.of(tail));
                tail.stop();

                long model = 0;
                long lastOffset = -1;
                for (String line : tail.out().split("\n")) {
                    Map<?, ?> rec = (Map<?, ?>) JsonScanner.parse(line);
                    if (rec.containsKey("command")) {
                        List<?> argv = (List<?>) rec.get("command");
                        assertEquals(List.of("INCR", "counter"), argv, line);
                        long off = ((Number) rec.get("offset")).longValue();
                        assertTrue(off > lastOffset, "a command repeated or out of order: " + line);
                        lastOffset = off;
                        model++;
                    } else if ("counter".equals(rec.get("key"))) {
                        // a full resync: the snapshot holds the value at its offset
                        model = Long.parseLong((String) rec.get("value"));
                    }
                }
                assertEquals(n.get(), model, "INCRs seen (snapshot value + commands) vs INCRs done");
                assertEquals(String.valueOf(n.get()), RespClient.text(c.call("GET", "counter")));
                String log = master.logText();
                int partial = count(log, "Partial resynchronization request");
                int full = count(log, "Full resync requested");
                assertTrue(partial > 0, "no partial resync in 20 reconnects:\n" + tail.err());
                assertTrue(duringTransfer > 0, "no kill landed inside an RDB transfer");
                System.out.println("TailIT: " + n.get() + " INCRs, 20 kills (" + duringTransfer
                        + " during a transfer): " + partial + " partial and " + full + " full resyncs");
            }
        }
    }

    static void awaitOnline(RespClient c, Tail t) throws Exception {
        awaitState(c, t, "online");
    }

    static void awaitState(RespClient c, Tail t, String... states) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String r = info(c, "slave0");
            for (String state : states) {
                if (r != null && r.contains("state=" + state + ",")) {
                    return;
                }
            }
            if (!t.process.isAlive()) {
                fail("tail exited " + t.process.exitValue() + ":\n" + t.err());
            }
            Thread.sleep(10);
        }
        fail("the tail never reached " + String.join("/", states) + ": " + t.err());
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    // ---- acceptance 3 -------------------------------------------------------------------------

    /** The commands of text lines up to (and including) {@code maxOffset}: "offset value" of each SET seq i. */
    static List<long[]> textCommands(String out, long maxOffset) {
        List<long[]> r = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = TEXT_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long off = Long.parseLong(m.group(2));
            if (off > maxOffset) {
                break;
            }
            Matcher v = Pattern.compile("^\"SET\" \"seq\" \"(\\d+)\"$").matcher(m.group(3));
            if (v.matches()) {
                r.add(new long[] {off, Long.parseLong(v.group(1))});
            }
        }
        return r;
    }

    static Thread sequenceWriter(RedisServerProcess master, AtomicBoolean writing, AtomicLong n, long from) {
        n.set(from);
        Thread t = new Thread(() -> {
            try (RespClient w = master.client()) {
                while (writing.get()) {
                    w.call("SET", "seq", n.incrementAndGet());
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "seq-writer");
        t.start();
        return t;
    }

    static void assertSequence(List<long[]> cmds, long first, long last) {
        long expect = first;
        long lastOff = -1;
        for (long[] c : cmds) {
            assertEquals(expect, c[1], "gap or repeat at offset " + c[0]);
            assertTrue(c[0] > lastOff);
            lastOff = c[0];
            expect++;
        }
        assertEquals(last + 1, expect, "last value");
    }

    @Test
    void checkpointResumesAfterKill9() throws Exception {
        try (RedisServerProcess master = master(tmp.resolve("master"));
             RespClient c = master.client()) {
            Path cp = tmp.resolve("tail.checkpoint");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong n = new AtomicLong();
            Thread writer;
            String firstOut;
            try (Tail first = Tail.start(tmp, "first", "tail", uri(master), "--snapshot", "skip", "--checkpoint",
                    cp.toString())) {
                awaitFile(cp, s -> !s.isBlank(), first);
                writer = sequenceWriter(master, writing, n, 0);
                Thread.sleep(1500);
                first.process.destroyForcibly().waitFor();
                firstOut = first.out();
            }
            String[] p = Files.readString(cp).trim().split(":");
            long checkpoint = Long.parseLong(p[1]);
            List<long[]> before = textCommands(firstOut, checkpoint);
            assertFalse(before.isEmpty(), "the first run saw nothing");
            try (Tail second = Tail.start(tmp, "second", "tail", uri(master), "--checkpoint", cp.toString())) {
                Thread.sleep(1000);
                writing.set(false);
                writer.join();
                awaitCaughtUp(master, 1, List.of(second));
                second.stop();
                assertFalse(second.out().contains(" snapshot] "), "resumed with a full resync:\n" + second.err());
                List<long[]> all = new ArrayList<>(before);
                all.addAll(textCommands(second.out(), Long.MAX_VALUE));
                assertSequence(all, 1, n.get());
                assertTrue(master.logText().contains("Partial resynchronization request"), master.logText());
            }
        }
    }

    // ---- acceptance 4 -------------------------------------------------------------------------

    @Test
    void promotedReplicaContinuesTheStream() throws Exception {
        try (RedisServerProcess master = master(tmp.resolve("master"));
             RespClient c = master.client();
             RedisServerProcess replica = master(tmp.resolve("replica"),
                     "--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
            Path cp = tmp.resolve("failover.checkpoint");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong n = new AtomicLong();
            Thread writer;
            String firstOut;
            try (Tail first = Tail.start(tmp, "before", "tail", uri(master), "--snapshot", "skip", "--checkpoint",
                    cp.toString())) {
                awaitFile(cp, s -> !s.isBlank(), first);
                writer = sequenceWriter(master, writing, n, 0);
                Thread.sleep(800);
                writing.set(false);
                writer.join();
                awaitCaughtUp(master, 2, List.of(first));
                first.stop();
                firstOut = first.out();
            }
            // the old master goes away; its replica is promoted and gets a new replication id
            try (RespClient r = replica.client()) {
                r.call("REPLICAOF", "NO", "ONE");
                master.close();
                try (Tail second = Tail.start(tmp, "after", "tail", "redis://127.0.0.1:" + replica.port(),
                        "--checkpoint", cp.toString())) {
                    awaitFile(second.err, s -> s.contains("new replication id"), second);
                    for (long i = n.get() + 1; i <= n.get() + 300; i++) {
                        r.call("SET", "seq", i);
                    }
                    long total = n.get() + 300;
                    awaitFile(second.out, s -> s.contains("\"SET\" \"seq\" \"" + total + "\""), second);
                    second.stop();
                    assertFalse(second.out().contains(" snapshot] "), "a full resync after the failover");
                    assertFalse(second.err().contains("full resync"), second.err());
                    List<long[]> all = new ArrayList<>(textCommands(firstOut, Long.MAX_VALUE));
                    all.addAll(textCommands(second.out(), Long.MAX_VALUE));
                    assertSequence(all, 1, total);
                    assertTrue(replica.logText().contains("Partial resynchronization request"), replica.logText());
                }
            }
        }
    }

    @Test
    void sentinelLeadsToThePromotedMaster() throws Exception {
        try (RedisServerProcess master = master(tmp.resolve("master"));
             RespClient c = master.client();
             RedisServerProcess replica = master(tmp.resolve("replica"),
                     "--replicaof", "127.0.0.1", Integer.toString(master.port()))) {
            awaitCaughtUp(master, 1, List.of());
            int port;
            try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
                port = ss.getLocalPort();
            }
            Path dir = tmp.resolve("sentinel");
            Files.createDirectories(dir);
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
                    + "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1\n"
                    + "sentinel down-after-milliseconds mymaster 1000\n"
                    + "sentinel failover-timeout mymaster 10000\n");
            Process sentinel = new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
            try {
                RespClient s = null;
                for (int i = 0; i < 200 && s == null; i++) {
                    try {
                        s = new RespClient(port);
                    } catch (IOException e) {
                        Thread.sleep(25);
                    }
                }
                if (s == null) {
                    fail("sentinel did not start: " + Files.readString(dir.resolve("sentinel.log")));
                }
                try (RespClient sc = s) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (((List<?>) sc.call("SENTINEL", "REPLICAS", "mymaster")).isEmpty()) {
                        assertTrue(System.nanoTime() < deadline, "sentinel did not discover the replica");
                        Thread.sleep(100);
                    }
                    try (Tail t = Tail.start(tmp, "sentinel", "tail", "redis-sentinel://127.0.0.1:" + port + "/mymaster",
                            "--snapshot", "skip")) {
                        awaitCaughtUp(master, 2, List.of(t));
                        for (int i = 1; i <= 300; i++) {
                            c.call("SET", "seq", i);
                        }
                        awaitCaughtUp(master, 2, List.of(t));
                        // the master goes down (a graceful SHUTDOWN lets its replicas catch up first);
                        // the Sentinel promotes the replica and redkit, asking it again, follows
                        master.close();
                        // the promotion kills normal clients (CLIENT KILL TYPE normal): ask on fresh connections
                        while (true) {
                            try (RespClient r = replica.client()) {
                                if ("master".equals(info(r, "role"))) {
                                    break;
                                }
                            } catch (IOException e) {
                                // killed by the failover
                            }
                            assertTrue(System.nanoTime() < deadline, "no failover");
                            Thread.sleep(100);
                        }
                        Thread.sleep(500);
                        try (RespClient r = replica.client()) {
                            for (int i = 301; i <= 600; i++) {
                                r.call("SET", "seq", i);
                            }
                        }
                        try {
                            awaitFile(t.out, x -> x.contains("\"SET\" \"seq\" \"600\""), t);
                        } catch (AssertionError e) {
                            try (RespClient b = replica.client()) {
                                throw new AssertionError(e.getMessage() + "\nnew master: "
                                        + RespClient.text(b.call("INFO", "replication")) + "\ntail output tail: "
                                        + RedisServerProcess.tail(t.out(), 500), e);
                            }
                        }
                        t.stop();
                        assertFalse(t.err().contains("full resync"), t.err());
                        assertSequence(textCommands(t.out(), Long.MAX_VALUE), 1, 600);
                        System.out.println("TailIT sentinel: " + t.err().replace('\n', ' '));
                    }
                }
            } finally {
                sentinel.destroy();
                sentinel.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---- acceptance 6 (the replication module's tests cover every hostile case; here the exit code) --

    @Test
    void hostileMasterEndsWithAClearErrorAndExit1() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread fake = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (java.net.Socket sock = server.accept()) {
                        java.io.BufferedReader in = new java.io.BufferedReader(
                                new java.io.InputStreamReader(sock.getInputStream(), StandardCharsets.ISO_8859_1));
                        java.io.OutputStream out = sock.getOutputStream();
                        for (String line; (line = in.readLine()) != null; ) {
                            if (line.equals("PING")) {
                                out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                            } else if (line.equals("REPLCONF")) {
                                out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                            } else if (line.equals("PSYNC")) {
                                // a 9-byte RDB header announced as a 1 GB payload that never comes
                                out.write(("+FULLRESYNC " + "f".repeat(40) + " 0\r\n$1073741824\r\nREDIS0011")
                                        .getBytes(StandardCharsets.US_ASCII));
                                out.write(new byte[] {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0});
                                out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                                in.readLine();
                                break;
                            }
                            out.flush();
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hostile-master");
            fake.setDaemon(true);
            fake.start();
            String uri = "redis://127.0.0.1:" + server.getLocalPort();
            RedkitCli.Result r = RedkitCli.inProcess().run("tail", uri, "--read-timeout", "5");
            assertEquals(1, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("announced 1073741824 bytes but the RDB ended after 18"), r.stderr());
            RedkitCli.Result d = RedkitCli.inProcess().run("dump", uri, "--read-timeout", "5");
            assertEquals(1, d.exitCode(), d.stderr());
        }
    }

    // ---- acceptance 5 -------------------------------------------------------------------------

    @Test
    void aclReplicaUserAndWrongPassword() throws Exception {
        try (RedisServerProcess master = master(tmp.resolve("master"));
             RespClient c = master.client()) {
            c.call("ACL", "SETUSER", "repl", "on", ">s3cret-pw", "+psync", "+replconf", "+ping");
            c.call("SET", "acl", "ok");
            // wrong password: a clear message, exit 3, the password not shown
            Tail bad = Tail.start(tmp, "bad", "tail", "redis://repl:wrong-pw@127.0.0.1:" + master.port());
            assertEquals(3, bad.await(), bad.err());
            assertTrue(bad.err().contains("authentication failed"), bad.err());
            assertFalse(bad.err().contains("wrong-pw"), bad.err());
            // a closed port: exit 3 too
            Tail refused = Tail.start(tmp, "refused", "tail", "redis://127.0.0.1:1");
            assertEquals(3, refused.await(), refused.err());
            assertTrue(refused.err().contains("cannot connect"), refused.err());
            // the replica-only user, its password from the environment
            try (Tail ok = Tail.start(tmp, "acl", Map.of("REDISCLI_AUTH", "s3cret-pw"), "tail",
                    "redis://repl:@127.0.0.1:" + master.port(), "--checkpoint", tmp.resolve("acl.cp").toString())) {
                awaitFile(ok.out, s -> s.contains("string \"acl\""), ok);
                c.call("SET", "after", "1");
                awaitFile(ok.out, s -> s.contains("\"SET\" \"after\" \"1\""), ok);
                ok.stop();
                assertFalse(ok.err().contains("s3cret"), ok.err());
            }
        }
    }

    @Test
    void tls() throws Exception {
        Path certs = tmp.resolve("certs");
        Files.createDirectories(certs);
        ItEnv.require(ItEnv.which("openssl") != null, "openssl not on PATH");
        sh(certs, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=redkit-test-ca",
                "-keyout", "ca.key", "-out", "ca.pem");
        sh(certs, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", "server.key", "-out", "server.csr");
        sh(certs, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-out", "server.pem");
        int tlsPort;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            tlsPort = ss.getLocalPort();
        }
        RedisServerProcess master;
        try {
            master = master(tmp.resolve("master"), "--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", certs.resolve("server.pem").toString(),
                    "--tls-key-file", certs.resolve("server.key").toString(),
                    "--tls-ca-cert-file", certs.resolve("ca.pem").toString(), "--tls-auth-clients", "no");
        } catch (IOException e) {
            ItEnv.require(false, "redis-server without TLS support: " + e.getMessage());
            return;
        }
        try (master; RespClient c = master.client()) {
            c.call("SET", "secure", "yes");
            String uri = "rediss://127.0.0.1:" + tlsPort;
            try (Tail t = Tail.start(tmp, "tls", "tail", uri, "--tls-ca", certs.resolve("ca.pem").toString())) {
                awaitFile(t.out, s -> s.contains("string \"secure\""), t);
                c.call("SET", "over", "tls");
                awaitFile(t.out, s -> s.contains("\"SET\" \"over\" \"tls\""), t);
                t.stop();
            }
            // an untrusted certificate fails clearly (exit 3); --tls-insecure accepts it with a warning
            Tail untrusted = Tail.start(tmp, "untrusted", "tail", uri, "--read-timeout", "5");
            assertEquals(3, untrusted.await(), untrusted.err());
            assertTrue(untrusted.err().contains("TLS"), untrusted.err());
            RedkitCli.Result r = CLI.run("dump", uri, "--tls-insecure", "-f", "jsonl");
            r.check();
            assertTrue(r.stderr().contains("warning: --tls-insecure"), r.stderr());
            assertTrue(r.out().contains("\"secure\""), r.out());
        }
    }

    static void sh(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
    }
}
