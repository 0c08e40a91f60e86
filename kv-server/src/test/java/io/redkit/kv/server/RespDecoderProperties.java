package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The request decoder: any split of the input gives the same commands; arbitrary bytes give commands or one error. */
class RespDecoderProperties {
    private static EmbeddedChannel channel() {
        ServerConfig c = new ServerConfig();
        ClientState s = new ClientState();
        s.authenticated = true;
        return new EmbeddedChannel(new RespDecoder(c, s));
    }

    @Provide
    Arbitrary<List<List<byte[]>>> commands() {
        Arbitrary<byte[]> arg = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return arg.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(20);
    }

    @Property(tries = 300)
    void anySplitDecodesTheSameCommands(@ForAll("commands") List<List<byte[]>> cmds,
                                        @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 2000) Integer> cuts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (List<byte[]> c : cmds) {
            all.writeBytes(RawClient.encode(c));
        }
        byte[] bytes = all.toByteArray();
        List<Integer> points = new ArrayList<>();
        for (int c : cuts) {
            points.add(Math.min(c, bytes.length));
        }
        points.add(bytes.length);
        points.sort(Integer::compare);
        EmbeddedChannel ch = channel();
        int from = 0;
        for (int p : points) {
            if (p > from) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, p - from));
                from = p;
            }
        }
        for (List<byte[]> expected : cmds) {
            @SuppressWarnings("unchecked")
            List<byte[]> got = (List<byte[]>) ch.readInbound();
            assertEquals(expected.size(), got.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i));
            }
        }
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    /** The header line's number: LF alone ends it, a CR elsewhere, a sign not first, or 20 characters refuse it. */
    @net.jqwik.api.Example
    void headerNumbersAreReadAsRedisReadsThem() {
        assertEquals("[foo]", decoded("*1\n$3\nfoo\r\n"));
        assertEquals("[foo]", decoded("*01\r\n$003\r\nfoo\r\n"));
        assertEquals("", decoded("*-1\r\n*0\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", decoded("*1\r\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", decoded("*\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", decoded("*-\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", decoded("*1-\r\n"));
        assertEquals("ERR Protocol error: invalid multibulk length", decoded("*1\r2\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", decoded("*1\r\n$-1\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length", decoded("*1\r\n$00000000000000000003\r\nfoo\r\n"));
        assertEquals("[foo]", decoded("*1\r\n$0000000000000000003\r\nfoo\r\n"));
        assertEquals("ERR Protocol error: expected '$', got '3'", decoded("*1\r\n3\r\n"));
    }

    private static String decoded(String input) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(input.getBytes(StandardCharsets.ISO_8859_1)));
        StringBuilder sb = new StringBuilder();
        Object m;
        while ((m = ch.readInbound()) != null) {
            if (m instanceof RespDecoder.ProtocolError e) {
                sb.append(e.message());
            } else {
                @SuppressWarnings("unchecked")
                List<byte[]> argv = (List<byte[]>) m;
                sb.append(argv.stream().map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList());
            }
        }
        ch.finishAndReleaseAll();
        return sb.toString();
    }

    @Property(tries = 300)
    void arbitraryBytesGiveCommandsOrOneProtocolError(@ForAll @Size(max = 300) byte[] junk) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(junk));
        Object m;
        int errors = 0;
        while ((m = ch.readInbound()) != null) {
            if (m instanceof RespDecoder.ProtocolError e) {
                errors++;
                assertTrue(e.message().startsWith("ERR Protocol error: "), e.message());
            } else {
                assertTrue(m instanceof List<?>);
                assertEquals(0, errors, "nothing after the error");
            }
        }
        assertTrue(errors <= 1);
        ch.finishAndReleaseAll();
    }

    @Property(tries = 100)
    void inlineWordsRoundTripThroughQuoting(@ForAll @Size(min = 1, max = 5) List<@Size(max = 12) String> words) {
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            StringBuilder q = new StringBuilder("\"");
            for (byte b : w.getBytes(StandardCharsets.UTF_8)) {
                q.append(String.format("\\x%02x", b & 0xFF));
            }
            line.append(q).append("\" ");
        }
        List<byte[]> got = InlineSplitter.split(line.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(words.size(), got.size());
        for (int i = 0; i < words.size(); i++) {
            assertArrayEquals(words.get(i).getBytes(StandardCharsets.UTF_8), got.get(i));
        }
    }
}
