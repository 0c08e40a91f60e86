package io.redkit.cli.shell;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Quoting keys for output and splitting typed lines back into bytes. */
class TextTest {
    @Property
    void anyKeyQuotedByArgIsReadBackAsTheSameBytes(@ForAll byte[] key) {
        List<byte[]> args = Text.split("get " + Text.arg(key));
        assertEquals(2, args.size(), Text.arg(key));
        assertArrayEquals(key, args.get(1));
    }

    @Property
    void anyTextKeyIsReadBackAsTheSameBytes(@ForAll String s) {
        byte[] key = s.getBytes(StandardCharsets.UTF_8);
        List<byte[]> args = Text.split("type " + Text.arg(key));
        assertArrayEquals(key, args.get(1));
    }

    @Test
    void quotesAndEscapes() {
        List<byte[]> a = Text.split("get \"a b\\x00\\n\" 'it\\'s' c\\ d");
        assertArrayEquals("a b\0\n".getBytes(StandardCharsets.UTF_8), a.get(1));
        assertArrayEquals("it's".getBytes(StandardCharsets.UTF_8), a.get(2));
        assertArrayEquals("c d".getBytes(StandardCharsets.UTF_8), a.get(3));
        assertThrows(IllegalArgumentException.class, () -> Text.split("get \"open"));
        assertThrows(IllegalArgumentException.class, () -> Text.split("get 'open"));
    }

    @Test
    void showEscapesBinaryAndCutsLongValues() {
        assertEquals("ab\\x00\\xff", Text.show(new byte[]{'a', 'b', 0, (byte) 0xFF}, 100));
        assertEquals("héllo", Text.show("héllo".getBytes(StandardCharsets.UTF_8), 100));
        assertEquals("abcdefg...", Text.show("abcdefghijklmnop".getBytes(StandardCharsets.UTF_8), 10));
        byte[] huge = new byte[10_000_000];
        java.util.Arrays.fill(huge, (byte) 'x');
        assertEquals(80, Text.show(huge, 80).length());
    }

    @Test
    void humanSizes() {
        assertEquals("512 B", Text.human(512));
        assertEquals("1.50 KB", Text.human(1536));
        assertEquals("10.0 MB", Text.human(10L << 20));
    }
}
