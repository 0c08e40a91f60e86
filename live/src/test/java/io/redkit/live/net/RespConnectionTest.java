package io.redkit.live.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The connection against a scripted server: replies matched in order, hostile lengths refused before allocation. */
class RespConnectionTest {
    private static NioEventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A one-connection server that answers every command it reads with the next canned reply. */
    private static int serve(ServerSocket ss, String... replies) {
        CompletableFuture.runAsync(() -> {
            try (Socket s = ss.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (String r : replies) {
                    // a command: *N then N bulk strings; count lines to find its end
                    int lines = 0;
                    int expected = -1;
                    StringBuilder line = new StringBuilder();
                    while (expected < 0 || lines < expected) {
                        int c = in.read();
                        if (c < 0) {
                            return;
                        }
                        if (c == '\n') {
                            lines++;
                            if (expected < 0) {
                                expected = 1 + 2 * Integer.parseInt(line.toString().trim().substring(1));
                            }
                            line.setLength(0);
                        } else {
                            line.append((char) c);
                        }
                    }
                    out.write(r.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                in.read();
            } catch (IOException e) {
                // the client went away
            }
        });
        return ss.getLocalPort();
    }

    @Test
    void repliesComeBackInOrderWithTheirTags() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = serve(ss, "+OK\r\n", ":42\r\n", "$3\r\nabc\r\n", "*2\r\n$1\r\nx\r\n:7\r\n", "-ERR no\r\n",
                    "$-1\r\n");
            try (RespConnection c = RespConnection.connect(group, new HostPort("127.0.0.1", port), null, 5000, 5000,
                    null, null)) {
                List<String> got = new ArrayList<>();
                CompletableFuture<Void> done = new CompletableFuture<>();
                c.listener(new RespConnection.Listener() {
                    @Override
                    public void onReply(Object tag, Reply reply) {
                        got.add(tag + "=" + reply);
                        if (got.size() == 5) {
                            done.complete(null);
                        }
                    }

                    @Override
                    public void onClosed(Throwable cause) {
                        done.completeExceptionally(cause == null ? new IOException("closed") : cause);
                    }
                });
                for (int i = 0; i < 5; i++) {
                    c.append(List.of("PING".getBytes(StandardCharsets.US_ASCII)), "t" + i);
                }
                c.flush();
                done.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(List.of("t0=+OK", "t1=:42", "t2=\"abc\"", "t3=[\"x\", :7]", "t4=-ERR no"), got);
                assertTrue(c.call("GET", "k").isNull());
            }
        }
    }

    @Test
    void aHugeAnnouncedArrayClosesTheConnectionInsteadOfAllocating() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = serve(ss, "*2147483647\r\n");
            try (RespConnection c = RespConnection.connect(group, new HostPort("127.0.0.1", port), null, 5000, 5000,
                    null, null)) {
                IOException e = assertThrows(IOException.class, () -> c.call("CLUSTER", "SHARDS"));
                assertTrue(String.valueOf(e.getMessage()).contains("lost"), e.getMessage());
                assertTrue(String.valueOf(c.failure()).contains("2147483647"), String.valueOf(c.failure()));
            }
        }
    }
}
