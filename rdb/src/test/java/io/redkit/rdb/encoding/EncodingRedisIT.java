package io.redkit.rdb.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.redkit.core.RedkitException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Has a real redis-server (with sanitize-dump-payload yes, so it runs its deep integrity checks) RESTORE
 * payloads built with {@link ListpackEncoder}, {@link IntsetEncoder} and {@link Lzf#compress}, and decodes
 * DUMP payloads it produces. Skips locally without redis-server; fails under CI=true.
 */
class EncodingRedisIT {
    /** RDB version written into the DUMP trailers: 10 is what redis 7.0 reads and writes. */
    private static final int DUMP_RDB_VERSION = 10;
    private static Process server;
    private static Socket socket;
    private static InputStream in;
    private static OutputStream out;

    @BeforeAll
    static void start() throws Exception {
        Path exe = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                exe = p;
                break;
            }
        }
        if (exe == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("redis-server not on PATH");
            }
            assumeTrue(false, "redis-server not on PATH");
        }
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        server = new ProcessBuilder(exe.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--sanitize-dump-payload", "yes", "--rdbcompression", "yes",
                "--hash-max-listpack-entries", "100000", "--hash-max-listpack-value", "100000",
                "--set-max-intset-entries", "100000")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                socket = new Socket("127.0.0.1", port);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        assertEquals("PONG", text(call("PING")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void redisRestoresListpackHashesBuiltByTheEncoder() throws Exception {
        Random rnd = new Random(11);
        for (int round = 0; round < 40; round++) {
            ListpackEncoder enc = new ListpackEncoder();
            TreeSet<String> seen = new TreeSet<>();
            List<String> flat = new ArrayList<>();
            int n = 1 + rnd.nextInt(round < 30 ? 50 : 2000);
            while (seen.size() < n) {
                String f = randomValue(rnd);
                if (seen.add(f)) {
                    String v = randomValue(rnd);
                    enc.addString(bytes(f)).addString(bytes(v));
                    flat.add(f);
                    flat.add(v);
                }
            }
            byte[] lp = enc.toByteArray();
            String key = "h" + round;
            restore(key, 16, lp, round % 2 == 0); // type 16 = hash in a listpack
            List<byte[]> got = callList("HGETALL", key);
            List<String> gotText = new ArrayList<>();
            for (byte[] b : got) {
                gotText.add(text(b));
            }
            assertEquals(flat, gotText);
            assertEquals("listpack", text(call("OBJECT", "ENCODING", key)));
        }
    }

    @Test
    void redisRestoresListsAndIntsets() throws Exception {
        ListpackEncoder enc = new ListpackEncoder();
        List<String> items = new ArrayList<>();
        Random rnd = new Random(12);
        for (int i = 0; i < 300; i++) {
            String v = randomValue(rnd);
            items.add(v);
            enc.addString(bytes(v));
        }
        // type 18 = quicklist 2: one node, container 2 (packed), the listpack as a string
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        rdbLen(v, 1);
        rdbLen(v, 2);
        rdbString(v, enc.toByteArray(), true);
        restoreRaw("list", 18, v.toByteArray());
        List<String> got = new ArrayList<>();
        for (byte[] b : callList("LRANGE", "list", "0", "-1")) {
            got.add(text(b));
        }
        assertEquals(items, got);

        long[] members = {-70000, -3, 0, 5, 1L << 33};
        for (int n : new int[] {2, 4, 5}) {
            byte[] is = IntsetEncoder.encode(members, n);
            String key = "set" + n;
            restore(key, 11, is, false);
            assertEquals("intset", text(call("OBJECT", "ENCODING", key)));
            TreeSet<Long> gotSet = new TreeSet<>();
            for (byte[] b : callList("SMEMBERS", key)) {
                gotSet.add(Long.parseLong(text(b)));
            }
            TreeSet<Long> want = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                want.add(members[i]);
            }
            assertEquals(want, gotSet);
        }
    }

    @Test
    void redisReadsStringsCompressedByTheCompressor() throws Exception {
        Random rnd = new Random(13);
        for (int round = 0; round < 60; round++) {
            int len = 21 + rnd.nextInt(round < 50 ? 3000 : 200_000);
            byte[] s = new byte[len];
            int alphabet = 1 + rnd.nextInt(round % 3 == 0 ? 255 : 8);
            for (int i = 0; i < len; i++) {
                s[i] = (byte) ('a' + rnd.nextInt(alphabet));
            }
            byte[] c = new byte[len];
            int n = Lzf.compress(s, 0, len, c, 0, len - 4);
            if (n == 0) {
                continue;
            }
            ByteArrayOutputStream v = new ByteArrayOutputStream();
            v.write(0xC3);
            rdbLen(v, n);
            rdbLen(v, len);
            v.write(c, 0, n);
            restoreRaw("s" + round, 0, v.toByteArray());
            assertArrayEquals(s, call("GET", "s" + round), "round " + round);
        }
    }

    @Test
    void decodesWhatRedisDumps() throws Exception {
        // strings of 100+ bytes make Redis LZF-compress the listpack in the DUMP payload
        List<String> flat = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("HSET", "dumped"));
        for (int i = 0; i < 200; i++) {
            flat.add("field-" + i);
            flat.add(i % 3 == 0 ? Integer.toString(i * 1000 - 7) : "value-" + "x".repeat(i % 90) + i);
        }
        args.addAll(flat);
        call(args.toArray(new String[0]));
        byte[] dump = call("DUMP", "dumped");
        assertEquals(16, dump[0]);
        int[] p = {1};
        byte[] lp = readRdbString(dump, p);
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(400, ListpackDecoder.decode(lp, 0, lp.length, c, Blobs.CTX));
        assertEquals(flat, c.texts());
        // the same entries through the encoder give Redis's bytes exactly
        ListpackEncoder enc = new ListpackEncoder();
        for (String s : flat) {
            enc.addString(bytes(s));
        }
        assertArrayEquals(lp, enc.toByteArray());
    }

    private static byte[] readRdbString(byte[] b, int[] p) throws RedkitException {
        int b0 = b[p[0]] & 0xFF;
        if (b0 == 0xC3) {
            p[0]++;
            int clen = (int) readLen(b, p);
            int ulen = (int) readLen(b, p);
            byte[] r = Lzf.decompress(b, p[0], clen, ulen, Blobs.CTX);
            p[0] += clen;
            return r;
        }
        int n = (int) readLen(b, p);
        byte[] r = Arrays.copyOfRange(b, p[0], p[0] + n);
        p[0] += n;
        return r;
    }

    private static long readLen(byte[] b, int[] p) {
        int b0 = b[p[0]++] & 0xFF;
        if (b0 < 0x40) {
            return b0;
        }
        if (b0 < 0x80) {
            return (b0 & 0x3F) << 8 | (b[p[0]++] & 0xFF);
        }
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (b[p[0]++] & 0xFF);
        }
        return v;
    }

    private static String randomValue(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0: return Integer.toString(rnd.nextInt(200) - 100);
            case 1: return Long.toString(rnd.nextLong() >> rnd.nextInt(64));
            case 2: return "0" + rnd.nextInt(100);
            case 3: return "v".repeat(rnd.nextInt(5000));
            default: return "k" + rnd.nextInt(100_000) + "x".repeat(rnd.nextInt(70));
        }
    }

    /** RESTORE key 0 payload REPLACE with the blob as the value (plain or LZF-compressed string). */
    private static void restore(String key, int type, byte[] blob, boolean compress) throws IOException {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        rdbString(v, blob, compress);
        restoreRaw(key, type, v.toByteArray());
    }

    private static void restoreRaw(String key, int type, byte[] value) throws IOException {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        d.write(type);
        d.writeBytes(value);
        d.write(DUMP_RDB_VERSION);
        d.write(0);
        byte[] body = d.toByteArray();
        long crc = Crc64.update(0, body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            d.write((int) (crc >>> (8 * i)) & 0xFF);
        }
        assertEquals("OK", text(callBytes(bytes("RESTORE"), bytes(key), bytes("0"), d.toByteArray(),
                bytes("REPLACE"))));
    }

    private static void rdbString(ByteArrayOutputStream o, byte[] blob, boolean compress) {
        if (compress && blob.length > 20) {
            byte[] c = new byte[blob.length];
            int n = Lzf.compress(blob, 0, blob.length, c, 0, blob.length - 4);
            if (n > 0) {
                o.write(0xC3);
                rdbLen(o, n);
                rdbLen(o, blob.length);
                o.write(c, 0, n);
                return;
            }
        }
        rdbLen(o, blob.length);
        o.writeBytes(blob);
    }

    private static void rdbLen(ByteArrayOutputStream o, long n) {
        if (n < 64) {
            o.write((int) n);
        } else if (n < 16384) {
            o.write(0x40 | (int) (n >>> 8));
            o.write((int) n & 0xFF);
        } else {
            o.write(0x80);
            for (int i = 3; i >= 0; i--) {
                o.write((int) (n >>> (8 * i)) & 0xFF);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(Object o) {
        return new String((byte[]) o, StandardCharsets.ISO_8859_1);
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> list(Object o) {
        return (List<byte[]>) o;
    }

    private static byte[] call(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = bytes(args[i]);
        }
        Object r = callBytes(b);
        return r instanceof byte[] ? (byte[]) r : null;
    }

    private static List<byte[]> callList(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = bytes(args[i]);
        }
        return list(callBytes(b));
    }

    private static Object callBytes(byte[]... args) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(bytes("*" + args.length + "\r\n"));
        for (byte[] a : args) {
            o.writeBytes(bytes("$" + a.length + "\r\n"));
            o.writeBytes(a);
            o.writeBytes(bytes("\r\n"));
        }
        out.write(o.toByteArray());
        out.flush();
        return reply();
    }

    private static Object reply() throws IOException {
        int t = in.read();
        String line = readLine();
        switch (t) {
            case '+':
            case ':':
                return bytes(line);
            case '-':
                throw new AssertionError("redis error: " + line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<byte[]> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add((byte[]) reply());
                }
                return l;
            }
            default:
                throw new AssertionError("unexpected reply type " + t);
        }
    }

    private static String readLine() throws IOException {
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
}
