package io.redkit.cli.shell;

import io.redkit.core.RedkitException;
import io.redkit.kv.Reply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell's RESP client against a scripted server: replies decoded, hostile lengths refused before allocating. */
class RespConnectionTest {
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
            try (RespConnection c = RespConnection.connect("127.0.0.1", ss.getLocalPort(), 10_000)) {
                return c.call(CommandValues.argv("PING"));
            } finally {
                server.join();
            }
        }
    }

    @Test
    void repliesOfEveryKind() throws IOException {
        assertEquals(new Reply.Simple("PONG"), exchange("+PONG\r\n"));
        assertEquals(Reply.integer(42), exchange(":42\r\n"));
        assertEquals(Reply.NULL, exchange("$-1\r\n"));
        assertEquals(Reply.bulk("abc".getBytes()), exchange("$3\r\nabc\r\n"));
        Reply a = exchange("*2\r\n$1\r\nx\r\n*1\r\n:7\r\n");
        assertTrue(a instanceof Reply.Array arr && arr.items().size() == 2, a.toString());
        assertTrue(exchange("-ERR nope\r\n") instanceof Reply.Error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$999999999999\r\n", "$67108865\r\n", "*99999999999\r\n", "*-5\r\n", "?x\r\n",
            ":12a\r\n", "$5\r\nab", "+no end"})
    void hostileRepliesAreTypedErrors(String reply) {
        IOException e = assertThrows(IOException.class, () -> exchange(reply));
        assertTrue(e instanceof RedkitException || e instanceof java.io.EOFException, e.toString());
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "*1\r\n".repeat(10_000) + ":1\r\n";
        assertThrows(RedkitException.class, () -> exchange(deep));
    }

    @Test
    void argvEncodesTextAndBytes() {
        List<byte[]> a = CommandValues.argv("GET", new byte[]{1, 2}, 5);
        assertEquals("GET", new String(a.get(0), StandardCharsets.UTF_8));
        assertEquals(2, a.get(1).length);
        assertEquals("5", new String(a.get(2), StandardCharsets.UTF_8));
    }
}
