package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big values stream in bounded memory: a real redis-server builds and SAVEs an RDB holding a
 * 2,000,000-element list, a 1,000,000-field hash and a 100 MiB string, and {@code redkit dump -f jsonl}
 * and {@code redkit inspect} of it must succeed in a separate JVM limited to {@code -Xmx256m}. The JSON
 * lines are checked while they stream (element counts, the string's byte length), never held whole; the
 * {@code resp} and {@code rdb} outputs, made under the same limit, must load back into redis-server with
 * the same {@code DEBUG DIGEST} as the original dataset.
 */
class BoundedMemoryIT {
    static final int LIST_LEN = 2_000_000;
    static final int HASH_LEN = 1_000_000;
    static final int STRING_LEN = 100 << 20;
    static final int SMALL_KEYS = 1000;
    private static final String HEAP = "256m";
    // DEBUG DIGEST: one hash of every key, value and TTL, to compare whole datasets cheaply
    private static final String[] DEBUG = {"--enable-debug-command", "local"};

    @TempDir
    static Path dir;
    static Path rdb;
    static byte[] stringHead;
    static String digest;

    @BeforeAll
    static void generate() throws Exception {
        ItEnv.requireRedis();
        ItEnv.redkitJar();
        Path serverDir = dir.resolve("server");
        try (RedisServerProcess s = RedisServerProcess.start(serverDir, DEBUG)) {
            Process pipe = s.startPipe();
            CompletableFuture<byte[]> pipeOut = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = pipe.getInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (OutputStream os = new BufferedOutputStream(pipe.getOutputStream(), 1 << 20)) {
                writeDataset(os);
            }
            int code = RedkitCli.waitFor(pipe);
            String out = new String(pipeOut.join(), StandardCharsets.UTF_8);
            assertTrue(code == 0 && out.contains("errors: 0"), "redis-cli --pipe: " + out);
            try (RespClient c = s.client()) {
                assertEquals((long) LIST_LEN, c.call("LLEN", "big:list"));
                assertEquals((long) HASH_LEN, c.call("HLEN", "big:hash"));
                assertEquals((long) STRING_LEN, c.call("STRLEN", "big:string"));
                digest = RespClient.text(c.call("DEBUG", "DIGEST"));
            }
            rdb = dir.resolve("big.rdb");
            Files.copy(s.save(), rdb);
        }
    }

    // RESP written straight into redis-cli --pipe: batches of 1000 elements per command
    private static void writeDataset(OutputStream os) throws IOException {
        Resp r = new Resp(os);
        for (int i = 0; i < LIST_LEN; i += 1000) {
            r.begin(2 + 1000).arg("RPUSH").arg("big:list");
            for (int j = i; j < i + 1000; j++) {
                r.arg("item:" + j);
            }
        }
        for (int i = 0; i < HASH_LEN; i += 1000) {
            r.begin(2 + 2000).arg("HSET").arg("big:hash");
            for (int j = i; j < i + 1000; j++) {
                r.arg("field:" + j).arg("value-" + (j * 7L));
            }
        }
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] chunk = new byte[1 << 20];
        for (int off = 0; off < STRING_LEN; off += chunk.length) {
            for (int k = 0; k < chunk.length; k++) {
                chunk[k] = (byte) ('a' + rnd.nextInt(26));
            }
            if (off == 0) {
                stringHead = java.util.Arrays.copyOf(chunk, 64);
            }
            r.begin(3).arg("APPEND").arg("big:string").arg(chunk);
        }
        for (int i = 0; i < SMALL_KEYS; i++) {
            r.begin(3).arg("SET").arg("small:" + i).arg("v" + i);
        }
    }

    @Test
    void dumpJsonlStreamsBigValuesIn256m() throws Exception {
        Process p = RedkitCli.withHeap(HEAP).start("dump", "-f", "jsonl", rdb.toString());
        CompletableFuture<String> err = RedkitCli.drain(p.getErrorStream());
        Map<String, long[]> seen = new HashMap<>();
        int keys = 0;
        try (InputStream in = p.getInputStream()) {
            JsonScanner s = new JsonScanner(in, 64);
            JsonScanner.Token t;
            while ((t = s.next()) != JsonScanner.Token.EOF) {
                assertEquals(JsonScanner.Token.START_OBJECT, t, "each line is an object");
                keys++;
                String key = null;
                long count = -1;
                String head = null;
                String tail = null;
                while ((t = s.next()) == JsonScanner.Token.FIELD) {
                    String field = s.text();
                    JsonScanner.Token v = s.next();
                    if (field.equals("key")) {
                        key = s.text();
                    } else if (field.equals("value") && v == JsonScanner.Token.STRING) {
                        count = s.stringBytes();
                        head = s.text();
                    } else if (field.equals("value") && v == JsonScanner.Token.START_ARRAY) {
                        count = 0;
                        JsonScanner.Token e;
                        while ((e = s.next()) != JsonScanner.Token.END_ARRAY) {
                            if (e == JsonScanner.Token.STRING) {
                                if (count == 0) {
                                    head = s.text();
                                }
                                tail = s.text();
                            }
                            s.skip(e);
                            count++;
                        }
                    } else {
                        s.skip(v);
                    }
                }
                if (key != null && key.startsWith("big:")) {
                    seen.put(key, new long[] {count});
                    if (key.equals("big:list")) {
                        assertEquals("item:0", head, "first list element");
                        assertEquals("item:" + (LIST_LEN - 1), tail, "last list element");
                    }
                    if (key.equals("big:string")) {
                        assertEquals(new String(stringHead, StandardCharsets.US_ASCII), head,
                                "first 64 bytes of the big string");
                    }
                }
            }
        }
        int code = RedkitCli.waitFor(p);
        assertEquals(0, code, "redkit dump -f jsonl with -Xmx" + HEAP + " exited " + code + ":\n"
                + RedisServerProcess.tail(err.join(), 4000));
        assertEquals(3 + SMALL_KEYS, keys, "keys in the jsonl");
        assertEquals(LIST_LEN, seen.get("big:list")[0], "list elements");
        assertEquals(HASH_LEN, seen.get("big:hash")[0], "hash fields");
        assertEquals(STRING_LEN, seen.get("big:string")[0], "string bytes");
    }

    @Test
    void inspectRunsIn256m() throws Exception {
        RedkitCli.Result r = RedkitCli.withHeap(HEAP).run("inspect", rdb.toString()).check();
        assertFalse(r.out().isBlank(), "inspect printed nothing");
    }

    @Test
    void countRunsIn256m() throws Exception {
        RedkitCli.Result r = RedkitCli.withHeap(HEAP).run("dump", "-f", "count", rdb.toString()).check();
        assertFalse(r.out().isBlank(), "count printed nothing");
    }

    @Test
    void dumpRespIn256mLoadsBackIntoRedis(@TempDir Path tmp) throws Exception {
        try (RedisServerProcess target = RedisServerProcess.start(tmp.resolve("target"), DEBUG)) {
            ProcessBuilder dump = new ProcessBuilder(RedkitCli.withHeap(HEAP).command("dump", "-f", "resp", rdb.toString()))
                    .redirectError(tmp.resolve("redkit.err").toFile());
            ProcessBuilder pipe = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p",
                    Integer.toString(target.port()), "--pipe").redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("pipe.out").toFile());
            List<Process> ps = ProcessBuilder.startPipeline(List.of(dump, pipe));
            int dumpCode = RedkitCli.waitFor(ps.get(0));
            int pipeCode = RedkitCli.waitFor(ps.get(1));
            assertEquals(0, dumpCode, "redkit dump -f resp with -Xmx" + HEAP + ":\n"
                    + RedisServerProcess.tail(Files.readString(tmp.resolve("redkit.err")), 4000));
            String pipeOut = Files.readString(tmp.resolve("pipe.out"));
            assertTrue(pipeCode == 0 && pipeOut.contains("errors: 0"), "redis-cli --pipe: " + pipeOut);
            try (RespClient c = target.client()) {
                assertEquals(digest, RespClient.text(c.call("DEBUG", "DIGEST")), "dataset digest after resp | --pipe");
            }
        }
    }

    @Test
    void dumpRdbIn256mLoadsBackIntoRedis(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("redkit.rdb");
        RedkitCli.withHeap(HEAP).run("dump", "-f", "rdb", "--rdb-version", "10", rdb.toString(), "-o", out.toString())
                .check();
        try (RedisServerProcess s = RedisServerProcess.start(tmp, "--dbfilename", "redkit.rdb", DEBUG[0], DEBUG[1]);
                RespClient c = s.client()) {
            assertEquals(digest, RespClient.text(c.call("DEBUG", "DIGEST")), "dataset digest of redkit's RDB");
        }
    }

    /** Minimal RESP command writer for the generator. */
    private static final class Resp {
        private final OutputStream os;

        Resp(OutputStream os) {
            this.os = os;
        }

        Resp begin(int argc) throws IOException {
            os.write(("*" + argc + "\r\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Resp arg(String s) throws IOException {
            return arg(s.getBytes(StandardCharsets.UTF_8));
        }

        Resp arg(byte[] b) throws IOException {
            os.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            os.write(b);
            os.write('\r');
            os.write('\n');
            return this;
        }
    }
}
