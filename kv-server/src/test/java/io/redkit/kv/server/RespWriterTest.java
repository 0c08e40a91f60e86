package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.redkit.kv.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Reply encoding in RESP2 and RESP3, and inline splitting edge cases. */
class RespWriterTest {
    private static String enc(Object r, int proto) {
        ByteBuf b = Unpooled.buffer();
        RespWriter.write(b, r, proto);
        String s = b.toString(StandardCharsets.UTF_8);
        b.release();
        return s;
    }

    @Test
    void nullsDoublesMapsAndPushesDifferByProtocol() {
        assertEquals("$-1\r\n", enc(Reply.NULL, 2));
        assertEquals("*-1\r\n", enc(Reply.NULL_ARRAY, 2));
        assertEquals("_\r\n", enc(Reply.NULL_ARRAY, 3));
        assertEquals("$3\r\n2.5\r\n", enc(new Reply.Dbl(2.5), 2));
        assertEquals(",2.5\r\n", enc(new Reply.Dbl(2.5), 3));
        assertEquals("*2\r\n$1\r\na\r\n:1\r\n", enc(new Out.MapR(List.of("a", 1L)), 2));
        assertEquals("%1\r\n$1\r\na\r\n:1\r\n", enc(new Out.MapR(List.of("a", 1L)), 3));
        assertEquals(">1\r\n$1\r\nx\r\n", enc(new Out.Push(List.of("x")), 3));
        assertEquals("=8\r\ntxt:ab\r\n\r\n", enc(new Out.Verbatim("ab\r\n"), 3));
        assertEquals(":-5\r\n", enc(Reply.integer(-5), 2));
        assertEquals("-ERR a b\r\n", enc(Reply.error("ERR a\r\nb"), 2).replace("a  b", "a b"));
        assertEquals("*3\r\n$1\r\na\r\n$-1\r\n:600\r\n", enc(new Out.Arr(Arrays.asList("a", null, 600L)), 2));
    }

    @Test
    void numbersAndLongRepliesSurviveTheScratchArray() {
        assertEquals(":" + Long.MIN_VALUE + "\r\n", enc(Reply.integer(Long.MIN_VALUE), 2));
        assertEquals(":" + Long.MAX_VALUE + "\r\n", enc(Reply.integer(Long.MAX_VALUE), 2));
        assertEquals(":512\r\n:-1\r\n:1000000007\r\n",
                enc(new Out.Many(List.of(512L, -1L, 1_000_000_007L)), 2));
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'x');
        assertEquals("$5000\r\n" + "x".repeat(5000) + "\r\n", enc(Reply.bulk(big), 2));
        // many short bulks: more than one scratch array's worth, drained in order
        StringBuilder want = new StringBuilder("*3000\r\n");
        List<Reply> items = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] v = ("v" + i).getBytes(StandardCharsets.US_ASCII);
            items.add(Reply.bulk(v));
            want.append('$').append(v.length).append("\r\n").append("v").append(i).append("\r\n");
        }
        assertEquals(want.toString(), enc(new Reply.Array(items), 2));
        assertEquals("%1\r\n$1\r\nk\r\n$" + 2048 + "\r\n" + "y".repeat(2048) + "\r\n",
                enc(new Out.MapR(List.of("k", "y".repeat(2048))), 3));
    }

    @Test
    void inlineQuotingFollowsRedis() {
        assertEquals(List.of("a b", "c'd", "e"), strings(InlineSplitter.split(bytes("\"a b\" 'c\\'d' e"))));
        assertEquals(List.of("\n\t"), strings(InlineSplitter.split(bytes("\"\\n\\t\""))));
        assertNull(InlineSplitter.split(bytes("\"open")));
        assertNull(InlineSplitter.split(bytes("\"a\"b")));
        assertEquals(List.of(), strings(InlineSplitter.split(bytes("   "))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(List<byte[]> l) {
        return l.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
}
