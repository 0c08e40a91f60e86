package io.redkit.aof;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AofManifestTest {
    private static AofManifest parse(String s) throws RedkitException {
        return AofManifest.parse(s.getBytes(StandardCharsets.ISO_8859_1), "m.manifest");
    }

    /** Asserts a BAD_MANIFEST error at {@code line} and returns its message. */
    private static String bad(String s, int line) {
        RedkitException e = assertThrows(RedkitException.class, () -> parse(s));
        assertEquals(ErrorKind.BAD_MANIFEST, e.kind(), s);
        assertEquals("m.manifest", e.source());
        assertEquals("manifest line " + line, e.context(), s);
        return e.getMessage();
    }

    @Test
    void readsWhatRedisWrites() throws RedkitException {
        AofManifest m = parse("file appendonly.aof.1.base.rdb seq 1 type h\n"
                + "file appendonly.aof.2.base.rdb seq 2 type b\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n");
        assertEquals("appendonly.aof.2.base.rdb", m.base().fileName());
        assertEquals(2, m.base().seq());
        assertEquals(2, m.base().line());
        assertEquals(2, m.incrs().size());
        assertEquals(4, m.entries().size());
        List<AofManifest.Entry> order = m.loadOrder();
        assertEquals(List.of("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.3.incr.aof"),
                order.stream().map(AofManifest.Entry::fileName).toList());
        assertEquals(AofManifest.Type.HISTORY, m.entries().get(0).type());
    }

    @Test
    void keysAreCaseInsensitiveInAnyOrderAndUnknownKeysIgnored() throws RedkitException {
        AofManifest m = parse("TYPE b SEQ 7 File a.rdb extra 1\n# note\nfile b.aof seq 8 type i\n");
        assertEquals("a.rdb", m.base().fileName());
        assertEquals(7, m.base().seq());
        assertEquals("b.aof", m.incrs().get(0).fileName());
        assertEquals(3, m.incrs().get(0).line());
    }

    @Test
    void typeIsTheFirstCharacterOfItsValue() throws RedkitException {
        assertEquals(AofManifest.Type.INCR, parse("file a seq 1 type incr\n").incrs().get(0).type());
    }

    @Test
    void noBaseIsAllowed() throws RedkitException {
        AofManifest m = parse("file a seq 1 type i\n");
        assertNull(m.base());
        assertEquals(1, m.loadOrder().size());
    }

    @Test
    void quotedFileNamesFollowSdssplitargs() throws RedkitException {
        assertEquals("a b.aof", parse("file \"a b.aof\" seq 1 type i\n").incrs().get(0).fileName());
        assertEquals("it's", parse("file 'it\\'s' seq 1 type i\n").incrs().get(0).fileName());
        assertEquals("t\tx\u0001\"\n", parse("file \"t\\tx\\x01\\\"\\n\" seq 1 type i\n").incrs().get(0).fileName());
        // a quote inside an unquoted token opens a quoted part
        assertEquals("ab c", parse("file ab\"  c\" seq 1 type i\n").incrs().get(0).fileName().replace("  ", " "));
        byte[] utf8 = "é".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(utf8, parse("file \"\\xc3\\xa9\" seq 1 type i\n").incrs().get(0).fileName()
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void tokenisationErrors() {
        bad("file \"a b seq 1 type i\n", 1);
        bad("file 'a b seq 1 type i\n", 1);
        bad("file \"a\"b seq 1 type i\n", 1);
        bad("file 'a'b seq 1 type i\n", 1);
    }

    @Test
    void emptyManifestIsAnError() {
        bad("", 0);
    }

    @Test
    void blankLinesAreFatal() {
        bad("file a seq 1 type b\n\nfile b seq 2 type i\n", 2);
        bad("file a seq 1 type b\n  \t\r\n", 2);
    }

    @Test
    void tooFewOrOddTokens() {
        bad("file a seq 1\n", 1);
        bad("file a seq 1 type\n", 1);
        bad("file a seq 1 type i extra\n", 1);
        bad("file a seq 1 type b\nthis is not a manifest line\n", 2);
    }

    @Test
    void missingKeys() {
        assertTrue(bad("name a seq 1 type i\n", 1).contains("file"));
        assertTrue(bad("file a sq 1 type i\n", 1).contains("seq"));
        assertTrue(bad("file a seq 1 kind i\n", 1).contains("type"));
        assertTrue(bad("file a seq 1 type \"\"\n", 1).contains("type"));
    }

    @Test
    void seqMustBeAPositiveInteger() {
        bad("file a seq 0 type b\n", 1);
        bad("file a seq -1 type b\n", 1);
        bad("file a seq notanumber type b\n", 1);
        bad("file a seq 12x type b\n", 1);
        bad("file a seq 99999999999999999999 type b\n", 1);
    }

    @Test
    void unknownTypeIsAnError() {
        assertTrue(bad("file a seq 1 type b\nfile b seq 2 type x\n", 2).contains("unknown file type"));
    }

    @Test
    void onlyOneBase() {
        assertTrue(bad("file a seq 1 type b\nfile b seq 2 type b\n", 2).contains("second base"));
    }

    @Test
    void incrSeqsIncreaseStrictly() {
        bad("file a seq 2 type i\nfile b seq 2 type i\n", 2);
        bad("file a seq 3 type i\nfile b seq 2 type i\n", 2);
    }

    @Test
    void historySeqsAreNotOrdered() throws RedkitException {
        assertEquals(2, parse("file a seq 3 type h\nfile b seq 2 type h\n").entries().size());
    }

    @Test
    void fileMustBeABaseName() {
        bad("file dir/a seq 1 type b\n", 1);
        bad("file ../a seq 1 type b\n", 1);
        bad("file a\\b seq 1 type b\n", 1);
        bad("file .. seq 1 type b\n", 1);
        bad("file \"\" seq 1 type b\n", 1);
    }

    @Test
    void lineLengthLimit() throws RedkitException {
        // 1023 bytes and the LF: accepted
        String line = "file a seq 1 type b k " + "v".repeat(1023 - 22) + "\n";
        assertEquals(1024, line.length());
        assertEquals("a", parse(line).base().fileName());
        String tooLong = "file a seq 1 type b k " + "v".repeat(1024 - 22) + "\n";
        assertTrue(bad(tooLong, 1).contains("longer"));
    }

    @Test
    void lastLineNeedsItsNewline() {
        bad("file a seq 1 type b", 1);
    }

    @Test
    void nulBytesAreRejected() {
        bad("file a\0b seq 1 type b\n", 1);
    }
}
