package io.redkit.live.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StringPart;
import io.redkit.rdb.writer.DumpPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scan source against a scripted server on a loopback socket: what a real server may answer while keys change
 * (a key gone before its DUMP, created after its expiry was asked, moved to another master) and what a broken one
 * may send (a payload with a bad CRC, a newer RDB version than its INFO implies, a connection cut mid-payload).
 */
class ScanSourceTest {
    private FakeServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] stringPayload(String value, int version) throws IOException {
        KeyHeader h = new KeyHeader(0, b("k"), DataType.STRING, null, -1, -1, -1, -1, -1);
        return DumpPayload.build(List.of(new KeyStart(h), new StringPart(b(value), true, -1), new KeyEnd(h, null, -1)),
                version);
    }

    /** Key name to value for every key read; expiries into {@code expiries}. */
    private static Map<String, String> readAll(ScanSource src, Map<String, Long> expiries) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String key = null;
        StringBuilder value = new StringBuilder();
        for (Event e = src.next(); e != null; e = src.next()) {
            if (e instanceof KeyStart ks) {
                key = new String(ks.header().key(), StandardCharsets.UTF_8);
                expiries.put(key, ks.header().expireAtMs());
                value.setLength(0);
            } else if (e instanceof StringPart p) {
                value.append(new String(p.data(), StandardCharsets.UTF_8));
            } else if (e instanceof KeyEnd) {
                out.put(key, value.toString());
            }
        }
        return out;
    }

    @Test
    void keysThatChangeDuringTheScanAreSkippedAndCounted() throws IOException {
        server = new FakeServer();
        server.key("plain", -1, stringPayload("one", 10));
        server.key("ttl", 4_102_444_800_000L, stringPayload("two", 10));
        server.key("gone", -1, null);                       // deleted between SCAN and DUMP
        server.key("late", -2, stringPayload("three", 10)); // created after PEXPIRETIME answered
        server.key("moved", -1, "MOVED 1234 127.0.0.1:7001");
        Map<String, Long> expiries = new LinkedHashMap<>();
        try (ScanSource src = ScanSource.open(server.uri(), ScanOptions.defaults().withBatch(2))) {
            assertEquals(Map.of("plain", "one", "ttl", "two"), readAll(src, expiries));
            assertEquals(2, src.keys());
            assertEquals(2, src.vanished());
            assertEquals(1, src.moved());
        }
        assertEquals(Map.of("plain", -1L, "ttl", 4_102_444_800_000L), expiries);
    }

    @Test
    void copyToWritesAnRdbThatReadsBackTheSameKeys() throws IOException {
        server = new FakeServer();
        server.key("a", -1, stringPayload("x", 10));
        server.key("b", 5_000_000_000_000L, stringPayload("y", 10));
        ByteArrayOutputStream rdb = new ByteArrayOutputStream();
        try (ScanSource src = ScanSource.open(server.uri(), ScanOptions.defaults())) {
            src.copyTo(rdb, null);
        }
        byte[] file = rdb.toByteArray();
        assertArrayEquals(b("REDIS0010"), java.util.Arrays.copyOf(file, 9));
        Map<String, Long> expiries = new LinkedHashMap<>();
        try (io.redkit.rdb.RdbReader r = io.redkit.rdb.RdbReader.open(new java.io.ByteArrayInputStream(file), "copy")) {
            Map<String, String> keys = new LinkedHashMap<>();
            String key = null;
            for (Event e = r.next(); e != null; e = r.next()) {
                if (e instanceof KeyStart ks) {
                    key = new String(ks.header().key(), StandardCharsets.UTF_8);
                    expiries.put(key, ks.header().expireAtMs());
                } else if (e instanceof StringPart p) {
                    keys.put(key, new String(p.data(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(Map.of("a", "x", "b", "y"), keys);
        }
        assertEquals(Map.of("a", -1L, "b", 5_000_000_000_000L), expiries);
    }

    @Test
    void aPayloadWithABadChecksumIsATypedError() throws IOException {
        byte[] p = stringPayload("value", 10);
        p[2] ^= 0x20;
        server = new FakeServer();
        server.key("k", -1, p);
        try (ScanSource src = ScanSource.open(server.uri(), ScanOptions.defaults())) {
            RedkitException e = assertThrows(RedkitException.class, () -> readAll(src, new LinkedHashMap<>()));
            assertEquals(ErrorKind.CHECKSUM, e.kind());
        }
    }

    @Test
    void aPayloadNewerThanTheServersInfoImpliesIsRefused() throws IOException {
        server = new FakeServer();
        server.key("k", -1, stringPayload("value", 12));
        try (ScanSource src = ScanSource.open(server.uri(), ScanOptions.defaults())) {
            RedkitException e = assertThrows(RedkitException.class, () -> readAll(src, new LinkedHashMap<>()));
            assertEquals(ErrorKind.BAD_VERSION, e.kind());
            assertTrue(e.getMessage().contains("found 12"), e.getMessage());
        }
    }

    @Test
    void aBulkLongerThanTheLimitIsRefusedBeforeAnythingIsRead() throws IOException {
        server = new FakeServer();
        server.key("k", -1, stringPayload("x".repeat(5000), 10));
        ScanOptions o = ScanOptions.defaults().withLimits(io.redkit.core.Limits.builder().maxStringBytes(1000).build());
        try (ScanSource src = ScanSource.open(server.uri(), o)) {
            RedkitException e = assertThrows(RedkitException.class, () -> readAll(src, new LinkedHashMap<>()));
            assertEquals(ErrorKind.LIMIT, e.kind());
        }
    }

    @Test
    void aConnectionCutInsideAPayloadIsAnIoErrorNotAHang() throws IOException {
        server = new FakeServer();
        server.key("k", -1, stringPayload("y".repeat(3000), 10));
        server.cutAfterBytesOfDump = 100;
        try (ScanSource src = ScanSource.open(server.uri(), ScanOptions.defaults())) {
            IOException e = assertThrows(IOException.class, () -> readAll(src, new LinkedHashMap<>()));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void malformedAddressesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScanSource.parse("redis-cluster://"));
        assertThrows(IllegalArgumentException.class, () -> ScanSource.parse("redis-cluster://h:1/2"));
        assertThrows(IllegalArgumentException.class, () -> ScanSource.parse("file.rdb"));
        assertEquals(2, ScanSource.parse("redis-cluster://u:p@h1:7000,h2:7001").size());
        assertEquals("p", ScanSource.parse("redis-cluster://u:p@h1:7000,h2:7001").get(1).password());
    }

    @Test
    void rdbVersionsFromInfo() {
        assertEquals(10, ScanSource.rdbVersion(Map.of("redis_version", "7.0.15")));
        assertEquals(11, ScanSource.rdbVersion(Map.of("redis_version", "7.2.4")));
        assertEquals(12, ScanSource.rdbVersion(Map.of("redis_version", "7.4.1")));
        assertEquals(9, ScanSource.rdbVersion(Map.of("redis_version", "6.2.14")));
        assertEquals(80, ScanSource.rdbVersion(Map.of("redis_version", "7.2.4", "server_name", "valkey",
                "valkey_version", "9.0.0")));
        assertEquals(11, ScanSource.rdbVersion(Map.of("redis_version", "7.2.4", "server_name", "valkey",
                "valkey_version", "8.1.0")));
    }

    /**
     * A single-database server answering INFO, SCAN (all keys at once, or in batches of the COUNT asked), PEXPIRETIME
     * and DUMP from a script; any number of sequential connections.
     */
    private static final class FakeServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Map<String, Long> expiry = new LinkedHashMap<>();
        private final Map<String, Object> dumps = new LinkedHashMap<>();
        private final Thread thread;
        volatile int cutAfterBytesOfDump = -1;

        FakeServer() throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "fake-redis");
            thread.setDaemon(true);
            thread.start();
        }

        /** A key: its PEXPIRETIME answer and its DUMP answer (payload, null for nil, or an error text). */
        void key(String name, long pexpiretime, Object dump) {
            expiry.put(name, pexpiretime);
            dumps.put(name, dump);
        }

        String uri() {
            return "redis://127.0.0.1:" + socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    handle(new BufferedInputStream(s.getInputStream()), s.getOutputStream());
                } catch (IOException e) {
                    // the client went away, or the server is closing
                }
            }
        }

        private void handle(InputStream in, OutputStream out) throws IOException {
            List<String> keys = new ArrayList<>(dumps.keySet());
            while (true) {
                List<byte[]> cmd = readCommand(in);
                if (cmd == null) {
                    return;
                }
                String name = new String(cmd.get(0), StandardCharsets.US_ASCII).toUpperCase();
                switch (name) {
                    case "INFO" -> {
                        String section = new String(cmd.get(1), StandardCharsets.US_ASCII);
                        bulk(out, b(section.equals("server") ? "# Server\r\nredis_version:7.0.15\r\n"
                                : "# Keyspace\r\ndb0:keys=" + keys.size() + ",expires=0\r\n"));
                    }
                    case "SCAN" -> {
                        int cursor = Integer.parseInt(new String(cmd.get(1), StandardCharsets.US_ASCII));
                        int count = Integer.parseInt(new String(cmd.get(3), StandardCharsets.US_ASCII));
                        int end = Math.min(keys.size(), cursor + count);
                        out.write(b("*2\r\n"));
                        bulk(out, b(Integer.toString(end == keys.size() ? 0 : end)));
                        out.write(b("*" + (end - cursor) + "\r\n"));
                        for (int i = cursor; i < end; i++) {
                            bulk(out, b(keys.get(i)));
                        }
                    }
                    case "PEXPIRETIME" -> out.write(b(":" + expiry.get(new String(cmd.get(1), StandardCharsets.UTF_8))
                            + "\r\n"));
                    case "DUMP" -> {
                        Object d = dumps.get(new String(cmd.get(1), StandardCharsets.UTF_8));
                        if (d == null) {
                            out.write(b("$-1\r\n"));
                        } else if (d instanceof String err) {
                            out.write(b("-" + err + "\r\n"));
                        } else if (cutAfterBytesOfDump >= 0) {
                            byte[] p = (byte[]) d;
                            out.write(b("$" + p.length + "\r\n"));
                            out.write(p, 0, cutAfterBytesOfDump);
                            out.flush();
                            return;
                        } else {
                            bulk(out, (byte[]) d);
                        }
                    }
                    default -> out.write(b("+OK\r\n"));
                }
                if (in.available() == 0) {
                    out.flush();
                }
            }
        }

        private static void bulk(OutputStream out, byte[] v) throws IOException {
            out.write(b("$" + v.length + "\r\n"));
            out.write(v);
            out.write(b("\r\n"));
        }

        private static List<byte[]> readCommand(InputStream in) throws IOException {
            String header = line(in);
            if (header == null) {
                return null;
            }
            int n = Integer.parseInt(header.substring(1));
            List<byte[]> argv = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = Integer.parseInt(line(in).substring(1));
                argv.add(in.readNBytes(len));
                in.readNBytes(2);
            }
            return argv;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\r'; c = in.read()) {
                if (c < 0) {
                    return null;
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
}
