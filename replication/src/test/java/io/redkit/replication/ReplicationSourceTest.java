package io.redkit.replication;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyStart;
import io.redkit.rdb.encoding.Crc64;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.redkit.replication.FakeMaster.ascii;
import static io.redkit.replication.FakeMaster.resp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationSourceTest {
    static final String ID1 = "a".repeat(40);
    static final String ID2 = "b".repeat(40);
    static final Duration LIMIT = Duration.ofSeconds(20);

    /** An RDB 11 file: db 0 with the string keys given as k, v, k, v... */
    static byte[] rdb(String... kv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ascii("REDIS0011"));
        b.write(0xFE); // SELECTDB
        b.write(0x00); //   db 0
        for (int i = 0; i < kv.length; i += 2) {
            b.write(0x00); // type string
            b.write(kv[i].length()); // 6-bit length
            b.writeBytes(ascii(kv[i]));
            b.write(kv[i + 1].length());
            b.writeBytes(ascii(kv[i + 1]));
        }
        b.write(0xFF); // EOF
        long crc = Crc64.of(b.toByteArray());
        for (int i = 0; i < 8; i++) {
            b.write((int) (crc >>> (8 * i)) & 0xFF); // little endian
        }
        return b.toByteArray();
    }

    static void fullSync(OutputStream out, String id, long offset, byte[] rdb, boolean diskless) throws IOException {
        out.write(ascii("+FULLRESYNC " + id + " " + offset + "\r\n"));
        out.write(ascii("\n\n")); // keepalives while the BGSAVE runs
        if (diskless) {
            String mark = "0123456789abcdef0123456789abcdef01234567";
            out.write(ascii("$EOF:" + mark + "\r\n"));
            out.write(rdb);
            out.write(ascii(mark));
        } else {
            out.write(ascii("$" + rdb.length + "\r\n"));
            out.write(rdb);
        }
    }

    static ReplicationSource.Builder source(FakeMaster m) {
        return ReplicationSource.builder(m.uri()).readTimeoutMillis(5000).backoffMillis(10, 50);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Events until {@code n} commands arrived, as readable strings. */
    static List<String> take(ReplicationSource s, int commands) throws IOException {
        List<String> r = new ArrayList<>();
        int seen = 0;
        while (seen < commands) {
            Event e = s.next();
            if (e == null) {
                break;
            }
            switch (e.kind()) {
                case KEY_START -> r.add("key " + str(((KeyStart) e).header().key()));
                case COMMAND -> {
                    Command c = (Command) e;
                    StringBuilder sb = new StringBuilder("db" + c.db() + "@" + c.offset());
                    for (byte[] a : c.argv()) {
                        sb.append(' ').append(str(a));
                    }
                    r.add(sb.toString());
                    seen++;
                }
                default -> {
                }
            }
        }
        return r;
    }

    @Test
    void fullSyncThenStreamWithExactOffsets() throws Exception {
        for (boolean diskless : new boolean[] {false, true}) {
            try (FakeMaster m = new FakeMaster(null, (psync, out, sock) -> {
                fullSync(out, ID1, 1000, rdb("k1", "v1", "k2", "v2"), diskless);
                out.write(resp("SELECT", "3"));              // 1000 + 23
                out.write(resp("SET", "a", "1"));            // + 27
                out.write(resp("PING"));                     // + 14
                out.write(resp("REPLCONF", "GETACK", "*"));  // + 37
                out.write(resp("INCR", "a"));                // + 21
                out.flush();
                Thread.sleep(1500);
            }); ReplicationSource s = source(m).build()) {
                List<String> got = assertTimeoutPreemptively(LIMIT, () -> take(s, 2));
                assertEquals(List.of("key k1", "key k2", "db3@1050 SET a 1", "db3@1122 INCR a"), got);
                assertEquals(new ReplicationPosition(ID1, 1122, 3), s.position());
                Thread.sleep(1200);
                List<Long> acks = m.acks();
                // right after the payload, at GETACK (before the later INCR was parsed or after), periodically
                assertEquals(1000L, acks.get(0));
                assertTrue(acks.contains(1122L), acks.toString());
                assertEquals(List.of("PSYNC", "?", "-1"), m.psyncs().get(0));
            }
        }
    }

    @Test
    void snapshotSkipEmitsOnlyCommands() throws Exception {
        try (FakeMaster m = new FakeMaster(null, (psync, out, sock) -> {
            fullSync(out, ID1, 7, rdb("k1", "v1"), true);
            out.write(resp("DEL", "k1"));
            out.flush();
            Thread.sleep(1000);
        }); ReplicationSource s = source(m).snapshot(ReplicationSource.SnapshotMode.SKIP).build()) {
            assertEquals(List.of("db0@28 DEL k1"), assertTimeoutPreemptively(LIMIT, () -> take(s, 1)));
        }
    }

    @Test
    void reconnectResumesWithPsyncAndAdoptsNewReplid() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        try (FakeMaster m = new FakeMaster(null,
                (psync, out, sock) -> {
                    fullSync(out, ID1, 0, rdb(), false);
                    out.write(resp("SELECT", "1"));
                    out.write(resp("SET", "x", "1"));
                    out.write(ascii("*2\r\n$3\r\nDEL")); // cut inside a command: not applied
                    out.flush();
                },
                (psync, out, sock) -> {
                    out.write(ascii("+CONTINUE " + ID2 + "\r\n"));
                    out.write(resp("DEL", "x"));
                    out.flush();
                    Thread.sleep(1000);
                }); ReplicationSource s = source(m).notices(notices::add).build()) {
            List<String> got = assertTimeoutPreemptively(LIMIT, () -> take(s, 2));
            assertEquals(List.of("db1@50 SET x 1", "db1@70 DEL x"), got);
            assertEquals(List.of("PSYNC", ID1, "51"), m.psyncs().get(1));
            assertEquals(new ReplicationPosition(ID2, 70, 1), s.position());
            assertEquals(1, s.partialSyncs());
            assertEquals(1, s.reconnects());
            assertTrue(notices.stream().anyMatch(n -> n.contains("new replication id")), notices.toString());
        }
    }

    @Test
    void startPositionSendsPsyncAndKeepsDb() throws Exception {
        try (FakeMaster m = new FakeMaster(null, (psync, out, sock) -> {
            out.write(ascii("\n+CONTINUE\r\n"));
            out.write(resp("DEL", "x"));
            out.flush();
            Thread.sleep(1000);
        }); ReplicationSource s = source(m).start(new ReplicationPosition(ID1, 41, 5)).build()) {
            assertEquals(List.of("db5@61 DEL x"), assertTimeoutPreemptively(LIMIT, () -> take(s, 1)));
            assertEquals(List.of("PSYNC", ID1, "42"), m.psyncs().get(0));
        }
    }

    @Test
    void fullResyncAfterStreamIsAnnounced() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        try (FakeMaster m = new FakeMaster(null,
                (psync, out, sock) -> {
                    fullSync(out, ID1, 0, rdb(), false);
                    out.write(resp("SET", "x", "1"));
                    out.flush();
                },
                (psync, out, sock) -> {
                    fullSync(out, ID2, 500, rdb("x", "1"), true);
                    out.write(resp("DEL", "x"));
                    out.flush();
                    Thread.sleep(1000);
                }); ReplicationSource s = source(m).notices(notices::add).build()) {
            List<String> got = assertTimeoutPreemptively(LIMIT, () -> take(s, 2));
            assertEquals(List.of("db0@27 SET x 1", "key x", "db0@520 DEL x"), got);
            assertEquals(2, s.fullSyncs());
            assertTrue(notices.stream().anyMatch(n -> n.contains("full resync") && n.contains("starts over")),
                    notices.toString());
        }
    }

    @Test
    void lostBeforeThePayloadRetriesTheFullSync() throws Exception {
        try (FakeMaster m = new FakeMaster(null,
                (psync, out, sock) -> {
                    out.write(ascii("+FULLRESYNC " + ID1 + " 0\r\n\n"));
                    out.flush();
                },
                (psync, out, sock) -> {
                    fullSync(out, ID1, 0, rdb("k", "v"), true);
                    out.write(resp("SET", "y", "2"));
                    out.flush();
                    Thread.sleep(1000);
                }); ReplicationSource s = source(m).build()) {
            assertEquals(List.of("key k", "db0@27 SET y 2"), assertTimeoutPreemptively(LIMIT, () -> take(s, 1)));
            assertEquals(List.of("PSYNC", "?", "-1"), m.psyncs().get(1));
        }
    }

    @Test
    void readTimeoutReconnects() throws Exception {
        try (FakeMaster m = new FakeMaster(null,
                (psync, out, sock) -> {
                    fullSync(out, ID1, 0, rdb(), false);
                    out.flush();
                    Thread.sleep(3000); // silent master
                },
                (psync, out, sock) -> {
                    out.write(ascii("+CONTINUE\r\n"));
                    out.write(resp("SET", "y", "2"));
                    out.flush();
                    Thread.sleep(1000);
                }); ReplicationSource s = source(m).readTimeoutMillis(300).build()) {
            assertEquals(List.of("db0@27 SET y 2"), assertTimeoutPreemptively(LIMIT, () -> take(s, 1)));
            assertEquals(List.of("PSYNC", ID1, "1"), m.psyncs().get(1));
        }
    }

    @Test
    void saveRdbKeepsExactlyThePayload(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] image = rdb("k", "v");
        for (boolean diskless : new boolean[] {false, true}) {
            Path file = dir.resolve("snap-" + diskless + ".rdb");
            try (FakeMaster m = new FakeMaster(null, (psync, out, sock) -> {
                fullSync(out, ID1, 0, image, diskless);
                out.write(resp("SET", "z", "1"));
                out.flush();
                Thread.sleep(1000);
            }); ReplicationSource s = source(m).snapshotOnly(true).saveRdb(file).build()) {
                List<EventKind> kinds = new ArrayList<>();
                assertTimeoutPreemptively(LIMIT, () -> {
                    for (Event e = s.next(); e != null; e = s.next()) {
                        kinds.add(e.kind());
                    }
                });
                assertEquals(EventKind.END, kinds.get(kinds.size() - 1));
                assertArrayEquals(image, Files.readAllBytes(file));
            }
        }
    }

    @Test
    void wrongPasswordIsFatal() throws Exception {
        try (FakeMaster m = new FakeMaster("right", (psync, out, sock) -> { });
             ReplicationSource s = ReplicationSource.builder(ReplicaUri.parse("redis://u:wrong@127.0.0.1:" + m.port()))
                     .build()) {
            s.next(); // Begin
            ReplicationException e = assertThrows(ReplicationException.class,
                    () -> assertTimeoutPreemptively(LIMIT, s::next));
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "the password must not be shown");
        }
    }

    @Test
    void refusedConnectionIsFatal() throws Exception {
        int port;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        try (ReplicationSource s = ReplicationSource.builder(ReplicaUri.parse("redis://127.0.0.1:" + port)).build()) {
            s.next();
            ReplicationException e = assertThrows(ReplicationException.class, s::next);
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
        }
    }

    // ---- hostile masters ----------------------------------------------------------------------

    private static RedkitException hostile(FakeMaster.Session session) throws Exception {
        try (FakeMaster m = new FakeMaster(null, session);
             ReplicationSource s = source(m).queueBytes(64 * 1024).build()) {
            return assertThrows(RedkitException.class, () -> assertTimeoutPreemptively(LIMIT, () -> {
                for (Event e = s.next(); e != null; e = s.next()) {
                    // drain
                }
            }));
        }
    }

    @Test
    void negativeLength() throws Exception {
        RedkitException e = hostile((p, out, s) -> {
            out.write(ascii("+FULLRESYNC " + ID1 + " 0\r\n$-5\r\n"));
            out.flush();
            Thread.sleep(3000);
        });
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().contains("'-5'"), e.getMessage());
    }

    @Test
    void hugeLength() throws Exception {
        RedkitException e = hostile((p, out, s) -> {
            out.write(ascii("+FULLRESYNC " + ID1 + " 0\r\n$99999999999999999999999\r\n"));
            out.flush();
            Thread.sleep(3000);
        });
        assertTrue(e.getMessage().contains("at most 18 digits"), e.getMessage());
    }

    @Test
    void lyingLengthLongerThanTheRdb() throws Exception {
        byte[] image = rdb("k", "v");
        RedkitException e = hostile((p, out, s) -> {
            out.write(ascii("+FULLRESYNC " + ID1 + " 0\r\n$" + (image.length + 1000) + "\r\n"));
            out.write(image);
            out.write(new byte[1000]);
            out.flush();
            Thread.sleep(3000);
        });
        assertTrue(e.getMessage().contains("announced " + (image.length + 1000) + " bytes but the RDB ended after "
                + image.length), e.getMessage());
    }

    @Test
    void lyingLengthShorterThanTheRdb() throws Exception {
        byte[] image = rdb("k", "v");
        RedkitException e = hostile((p, out, s) -> {
            out.write(ascii("+FULLRESYNC " + ID1 + " 0\r\n$" + (image.length - 4) + "\r\n"));
            out.write(image);
            out.flush();
            Thread.sleep(3000);
        });
        assertEquals(ErrorKind.TRUNCATED, e.kind(), e.getMessage());
    }

    @Test
    void wrongEofMark() throws Exception {
        RedkitException e = hostile((p, out, s) -> {
            out.write(ascii("+FULLRESYNC " + ID1 + " 0\r\n$EOF:" + "1".repeat(40) + "\r\n"));
            out.write(rdb());
            out.write(ascii("2".repeat(40)));
            out.flush();
            Thread.sleep(3000);
        });
        assertTrue(e.getMessage().contains("EOF mark"), e.getMessage());
    }

    @Test
    void brokenRespFrame() throws Exception {
        RedkitException e = hostile((p, out, s) -> {
            fullSync(out, ID1, 0, rdb(), false);
            out.write(ascii("*2\r\n$3\r\nSET\r\n$1\r\nxyz\r\n"));
            out.flush();
            Thread.sleep(3000);
        });
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertTrue(e.getMessage().contains("expected CRLF"), e.getMessage());
    }

    @Test
    void neverEndingLines() throws Exception {
        byte[] junk = new byte[1 << 20];
        java.util.Arrays.fill(junk, (byte) '7');
        // in the handshake reply
        RedkitException e1 = hostile((p, out, s) -> {
            out.write(ascii("+FULLRESYNC "));
            out.write(junk);
            out.flush();
            Thread.sleep(3000);
        });
        assertTrue(e1.getMessage().contains("no line end"), e1.getMessage());
        // in a command header of the stream
        RedkitException e2 = hostile((p, out, s) -> {
            fullSync(out, ID1, 0, rdb(), false);
            out.write(ascii("*"));
            out.write(junk);
            out.flush();
            Thread.sleep(3000);
        });
        assertTrue(e2.getMessage().contains("no line end") || e2.getMessage().contains("too long"), e2.getMessage());
    }

    @Test
    void hugeBulkLengthInTheStreamTripsTheLimit() throws Exception {
        RedkitException e = hostile((p, out, s) -> {
            fullSync(out, ID1, 0, rdb(), false);
            out.write(ascii("*1\r\n$999999999999\r\n"));
            out.flush();
            Thread.sleep(3000);
        });
        assertEquals(ErrorKind.LIMIT, e.kind(), e.getMessage());
    }

    @Test
    void uriParsing() {
        ReplicaUri u = ReplicaUri.parse("rediss://alice:s%40cret@example.com:6380/2");
        assertTrue(u.tls());
        assertEquals("alice", u.user());
        assertEquals("s@cret", u.password());
        assertEquals(6380, u.port());
        assertEquals(2, u.db());
        assertFalse(u.toString().contains("cret"));
        assertEquals("redis://[::1]:6379", ReplicaUri.parse("redis://[::1]").toString());
        assertEquals("pw", ReplicaUri.parse("redis://pw@h").password());
        assertThrows(IllegalArgumentException.class, () -> ReplicaUri.parse("redis://h:99999"));
        ReplicaUri s = ReplicaUri.parse("redis-sentinel://u:pw@s1:5000,s2/mymaster/3");
        assertTrue(s.viaSentinel());
        assertEquals(List.of("s1:5000", "s2:26379"), s.sentinels());
        assertEquals("mymaster", s.master());
        assertEquals(3, s.db());
        assertEquals("pw", s.password());
        assertEquals("redis-sentinel://u@s1:5000,s2:26379/mymaster/3", s.toString());
        assertThrows(IllegalArgumentException.class, () -> ReplicaUri.parse("redis-sentinel://s1:5000"));
        assertInstanceOf(ReplicationPosition.class, ReplicationPosition.parse(ID1 + ":12"));
        assertThrows(IllegalArgumentException.class, () -> ReplicationPosition.parse("xyz:12"));
    }
}
