package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * Hostile clients: garbage, oversized lengths, endless lines, a client that never reads its replies and a
 * subscriber that never reads its messages. Each gets a clear error or a disconnect; the server's queued output
 * stays bounded and a well-behaved client keeps getting answers throughout.
 */
class KvServeHostileIT {
    @TempDir
    static Path dir;
    static KvServer server;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        server = TestServers.startKv(dir, null);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String sendRaw(String raw) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.send(raw.getBytes(StandardCharsets.ISO_8859_1));
            String r = c.read();
            assertEquals("EOF", c.read(), "the connection is closed after a protocol error");
            return r;
        }
    }

    @Test
    void protocolErrorsAreClearAndCloseOnlyThatConnection() throws IOException {
        try (RawClient good = new RawClient(port)) {
            assertEquals("-ERR Protocol error: invalid multibulk length", sendRaw("*abc\r\n"));
            assertEquals("-ERR Protocol error: invalid multibulk length", sendRaw("*99999999999\r\n"));
            assertEquals("-ERR Protocol error: expected '$', got 'x'", sendRaw("*1\r\nx3\r\nfoo\r\n"));
            assertEquals("-ERR Protocol error: invalid bulk length", sendRaw("*1\r\n$999999999999\r\n"));
            assertEquals("-ERR Protocol error: invalid bulk length", sendRaw("*1\r\n$-5\r\n"));
            assertEquals("-ERR Protocol error: unbalanced quotes in request", sendRaw("SET \"a b\r\n"));
            assertEquals("-ERR Protocol error: too big inline request", sendRaw("x".repeat(70_000)));
            assertEquals("-ERR Protocol error: too big mbulk count string", sendRaw("*" + "1".repeat(70_000)));
            assertEquals("+PONG", good.call("PING"));
        }
    }

    @Test
    void randomGarbageNeverHurtsTheServer() throws IOException {
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(junk);
            if (i % 3 == 0) {
                junk[0] = (byte) (i % 2 == 0 ? '*' : '$');
            }
            try (RawClient c = new RawClient(port)) {
                c.socket().setSoTimeout(2000);
                c.send(junk);
                c.socket().shutdownOutput();
                // drain whatever comes back until the server closes or the read times out
                InputStream in = c.socket().getInputStream();
                byte[] buf = new byte[4096];
                try {
                    while (in.read(buf) >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // a reset or timeout is fine: the point is the server's health
                }
            }
        }
        try (RawClient good = new RawClient(port)) {
            assertEquals("+PONG", good.call("PING"));
        }
    }

    @Test
    void unauthenticatedClientsGetSmallLimits() throws IOException {
        KvServer locked = TestServers.startKv(dir.resolve("locked"), "s3cret");
        try (RawClient c = new RawClient(locked.port())) {
            assertEquals("-NOAUTH Authentication required.", c.call("GET", "a"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.", c.call("AUTH", "bad"));
            assertEquals("+OK", c.call("AUTH", "s3cret"));
            assertEquals("$-1", c.call("GET", "a"));
        }
        try (RawClient c = new RawClient(locked.port())) {
            c.send("*100\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-ERR Protocol error: invalid multibulk length", c.read());
        }
        try (RawClient c = new RawClient(locked.port())) {
            c.send("*1\r\n$100000\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("-ERR Protocol error: invalid bulk length", c.read());
        } finally {
            locked.close();
        }
        assertTrue(assertRefusesPublicBind());
    }

    private static boolean assertRefusesPublicBind() {
        ServerConfig c = new ServerConfig();
        c.bind = "0.0.0.0";
        try {
            KvServer.checkBind(c);
            return false;
        } catch (IOException e) {
            return e.getMessage().contains("without a password");
        }
    }

    @Test
    void aClientThatNeverReadsIsBoundedAndOthersAreServed() throws Exception {
        try (RawClient setup = new RawClient(port)) {
            String big = "x".repeat(1000);
            for (int i = 0; i < 100; i++) {
                setup.call("RPUSH", "biglist", big);
            }
            assertEquals("+OK", setup.call("CONFIG", "SET", "client-output-buffer-limit", "normal 4mb 0 0"));
        }
        try (RawClient slow = new RawClient(port); RawClient good = new RawClient(port)) {
            slow.socket().setReceiveBufferSize(4096);
            byte[] cmd = RawClient.encode(RawClient.args("LRANGE", "biglist", "0", "-1"));
            // ~100 KB of replies per command: 4000 commands ask for ~400 MB that this client never reads
            boolean cut = false;
            try {
                for (int i = 0; i < 4000; i++) {
                    slow.send(cmd);
                }
            } catch (SocketException e) {
                cut = true;
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("+PONG", good.call("PING"));
            }
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            assertTrue(heap < 300L * 1024 * 1024, "heap " + heap);
            if (!cut) {
                // either reading was paused (the sends above would then block) or the client was disconnected
                slow.socket().setSoTimeout(20_000);
                InputStream in = slow.socket().getInputStream();
                long total = 0;
                byte[] buf = new byte[1 << 16];
                int n;
                try {
                    while ((n = in.read(buf)) >= 0) {
                        total += n;
                    }
                } catch (SocketException e) {
                    // reset by the server: disconnected
                }
                assertTrue(total < 4000L * 100_000, "disconnected before all replies: " + total);
            }
        } finally {
            try (RawClient reset = new RawClient(port)) {
                reset.call("CONFIG", "SET", "client-output-buffer-limit", "normal 256mb 0 0");
            }
        }
    }

    @Test
    void aSubscriberThatNeverReadsIsDisconnected() throws Exception {
        try (RawClient sub = new RawClient(port); RawClient pub = new RawClient(port)) {
            sub.socket().setReceiveBufferSize(4096);
            assertEquals("[\"subscribe\", \"flood\", :1]", sub.call("SUBSCRIBE", "flood"));
            assertEquals("+OK", pub.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0"));
            String msg = "m".repeat(10_000);
            long delivered = 0;
            for (int i = 0; i < 2000; i++) {
                delivered += Long.parseLong(pub.call("PUBLISH", "flood", msg).substring(1));
            }
            assertTrue(delivered < 2000, "the subscriber was dropped: " + delivered + " deliveries");
            assertEquals(":0", pub.call("PUBSUB", "NUMSUB", "flood").replaceAll(".*, ", "").replace("]", ""));
            pub.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 0 0");
        }
    }
}
