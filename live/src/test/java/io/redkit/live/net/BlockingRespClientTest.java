package io.redkit.live.net;

import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking client against a scripted server: replies decoded, hostile lengths refused before allocating. */
class BlockingRespClientTest {
    /** Bulks up to 64 MB and arrays up to 16M elements, as the shell reads them. */
    private static final Limits LIMITS = Limits.builder().maxStringBytes(64 << 20).maxElements(1 << 24).build();

    /** Accepts one connection, reads the command, answers {@code reply} and closes. */
    private static Reply exchange(String reply) throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[256]);
                    OutputStream out = s.getOutputStream();
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    s.shutdownOutput();
                    in.read(new byte[256]);
                } catch (IOException e) {
                    // the client gave up on a bad reply: fine
                }
            });
            try (BlockingRespClient c = BlockingRespClient.connect("127.0.0.1", ss.getLocalPort(), 10_000, 10_000,
                    null, LIMITS)) {
                return c.call("PING");
            } finally {
                server.join();
            }
        }
    }

    @Test
    void repliesOfEveryKind() throws IOException {
        Reply pong = exchange("+PONG\r\n");
        assertEquals(Reply.Type.STATUS, pong.type());
        assertEquals("PONG", pong.text());
        assertEquals(42, exchange(":42\r\n").asLong());
        assertTrue(exchange("$-1\r\n").isNull());
        assertTrue(exchange("*-1\r\n").isNull());
        Reply bulk = exchange("$3\r\nabc\r\n");
        assertEquals(Reply.Type.BULK, bulk.type());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), bulk.bytes());
        Reply a = exchange("*2\r\n$1\r\nx\r\n*1\r\n:7\r\n");
        assertEquals(2, a.items().size(), a.toString());
        assertEquals(7, a.items().get(1).items().get(0).asLong());
        Reply err = exchange("-ERR nope\r\n");
        assertTrue(err.isError() && err.text().equals("ERR nope"), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$999999999999\r\n", "$67108865\r\n", "*99999999999\r\n", "*-5\r\n", "$-2\r\n", "?x\r\n",
            ":12a\r\n", ":-\r\n", "$5\r\nab", "$2\r\nabXY", "+no end", "+a\rb\r\n"})
    void hostileRepliesAreTypedErrors(String reply) {
        IOException e = assertThrows(IOException.class, () -> exchange(reply));
        assertTrue(e instanceof RedkitException || e instanceof EOFException, e.toString());
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "*1\r\n".repeat(10_000) + ":1\r\n";
        assertThrows(RedkitException.class, () -> exchange(deep));
    }

    @Test
    void nestingUpToTheBoundIsRead() throws IOException {
        String deep = "*1\r\n".repeat(BlockingRespClient.MAX_DEPTH) + ":1\r\n";
        Reply r = exchange(deep);
        for (int i = 0; i < BlockingRespClient.MAX_DEPTH; i++) {
            r = r.items().get(0);
        }
        assertEquals(1, r.asLong());
    }
}
