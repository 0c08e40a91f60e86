package io.redkit.core.sink;

import io.redkit.core.Bytes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis's KEYS/SCAN MATCH glob semantics. */
class GlobTest {
    private static boolean m(String pattern, String s) {
        return new Glob(Bytes.of(pattern)).matches(Bytes.of(s));
    }

    @Test
    void starQuestionAndClasses() {
        assertTrue(m("*", ""));
        assertTrue(m("user:*", "user:9"));
        assertFalse(m("user:*", "users"));
        assertTrue(m("h?llo", "hello"));
        assertFalse(m("h?llo", "hllo"));
        assertTrue(m("h[ae]llo", "hallo"));
        assertFalse(m("h[ae]llo", "hillo"));
        assertTrue(m("h[^e]llo", "hallo"));
        assertFalse(m("h[^e]llo", "hello"));
        assertTrue(m("h[a-b]llo", "hbllo"));
        assertTrue(m("h[b-a]llo", "hallo"));
        assertTrue(m("a\\*b", "a*b"));
        assertFalse(m("a\\*b", "axb"));
        assertTrue(m("*a*b*c*", "xxaxxbxxcxx"));
    }

    @Test
    void pathologicalPatternsEnd() {
        String s = "a".repeat(60);
        assertFalse(m("*a*a*a*a*a*a*a*a*a*a*b", s));
    }

    @Test
    void binaryKeys() {
        assertTrue(new Glob(new byte[] {'k', '*'}).matches(new byte[] {'k', (byte) 0xFF, 0}));
    }
}
