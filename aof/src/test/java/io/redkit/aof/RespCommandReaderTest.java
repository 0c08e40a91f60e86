package io.redkit.aof;

import io.redkit.core.ErrorKind;
import io.redkit.core.LimitExceededException;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RespCommandReaderTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static RespCommandReader reader(String s) {
        return new RespCommandReader(new ByteArrayInputStream(b(s)), "t.aof");
    }

    static RedkitException fail(String s) {
        RespCommandReader r = reader(s);
        return assertThrows(RedkitException.class, () -> {
            while (r.next() != null) {
                // drain
            }
        });
    }

    static String str(byte[] v) {
        return new String(v, StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsCommandsWithOffsets() throws IOException {
        String set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n";   // 29 bytes
        String del = "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n";                // 22 bytes
        RespCommandReader r = reader(set + del);
        List<byte[]> a = r.next();
        assertEquals(3, a.size());
        assertEquals("SET", str(a.get(0)));
        assertEquals("v1", str(a.get(2)));
        assertEquals(0, r.commandOffset());
        assertEquals(set.length(), r.offset());
        List<byte[]> d = r.next();
        assertEquals("DEL", str(d.get(0)));
        assertEquals(set.length(), r.commandOffset());
        assertNull(r.next());
        assertEquals(2, r.commandCount());
        assertEquals(set.length() + del.length(), r.offset());
    }

    @Test
    void binarySafeValuesAndEmptyStrings() throws IOException {
        byte[] in = b("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$4\r\n\r\n\0\u00ff\r\n");
        List<byte[]> a = new RespCommandReader(new ByteArrayInputStream(in), "t").next();
        assertEquals(0, a.get(1).length);
        assertArrayEquals(new byte[] {'\r', '\n', 0, (byte) 0xFF}, a.get(2));
    }

    @Test
    void startOffsetIsAddedAfterAPreamble() throws IOException {
        RespCommandReader r = new RespCommandReader(new ByteArrayInputStream(b("*1\r\n$4\r\nPING\r\n")), "t", 1000,
                Limits.defaults());
        r.next();
        assertEquals(1000, r.commandOffset());
        assertEquals(1014, r.offset());
    }

    @Test
    void timestampAnnotationsApplyToFollowingCommands() throws IOException {
        RespCommandReader r = reader("#TS:1700000000\r\n*1\r\n$4\r\nPING\r\n#other note\n*1\r\n$4\r\nPING\r\n"
                + "#TS:1700000001\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(-1, r.timestampS());
        r.next();
        assertEquals(1700000000L, r.timestampS());
        assertEquals(16, r.commandOffset());
        r.next();
        assertEquals(1700000000L, r.timestampS());
        r.next();
        assertEquals(1700000001L, r.timestampS());
        assertNull(r.next());
    }

    @Test
    void annotationOnlyFileHasNoCommands() throws IOException {
        assertNull(reader("#TS:1\r\n").next());
        assertNull(reader("").next());
    }

    @Test
    void badFirstByteIsBadFormatAtTheLine() {
        RedkitException e = fail("*1\r\n$4\r\nPING\r\nGARBAGE\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertEquals(14, e.offset());
        assertEquals("t.aof", e.source());
    }

    @Test
    void inlineCommandsAreRejected() {
        assertEquals(ErrorKind.BAD_FORMAT, fail("PING\r\n").kind());
    }

    @Test
    void argumentLineMustStartWithDollar() {
        RedkitException e = fail("*2\r\n$3\r\nGET\r\n:1\r\n");
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertEquals(13, e.offset());
    }

    @Test
    void crlfAfterEachBulkIsChecked() {
        // *1 \r\n $4 \r\n PING then "X\n": the byte after the 4 bytes is at offset 12
        RedkitException e = fail("*1\r\n$4\r\nPINGX\n");
        assertEquals(ErrorKind.BAD_FORMAT, e.kind());
        assertEquals(12, e.offset());
        RedkitException lf = fail("*1\r\n$4\r\nPING\rX");
        assertEquals(ErrorKind.BAD_FORMAT, lf.kind());
        assertEquals(13, lf.offset());
    }

    @Test
    void malformedNumbersAreBadFormat() {
        for (String s : new String[] {"*\r\n", "*x\r\n", "*-1\r\n", "*0\r\n", "*1\n", "*1\r\n$\r\n", "*1\r\n$-1\r\n",
                "*1\r\n$1x\r\n", "*1 \r\n", "*+1\r\n", "*1\r\n$99999999999999999999\r\n"}) {
            RedkitException e = fail(s);
            assertEquals(ErrorKind.BAD_FORMAT, e.kind(), s);
        }
    }

    @Test
    void headerLinesAreAtMost1024Bytes() {
        String zeros = "0".repeat(1100);
        assertEquals(ErrorKind.BAD_FORMAT, fail("*" + zeros + "1\r\n").kind());
        assertEquals(ErrorKind.BAD_FORMAT, fail("#" + "x".repeat(1100) + "\n").kind());
        // 1024 bytes with the LF is still a line
        assertEquals(ErrorKind.BAD_FORMAT, fail("#" + "x".repeat(1022) + "\nQ").kind());
        RedkitException atLimit = fail("#" + "x".repeat(1022) + "\nQ");
        assertEquals(1024, atLimit.offset());
    }

    @Test
    void limitsAreCheckedBeforeAllocation() {
        Limits small = Limits.builder().maxStringBytes(10).maxElements(3).build();
        RespCommandReader big = new RespCommandReader(new ByteArrayInputStream(b("*1\r\n$2000000000\r\n")), "t", 0, small);
        LimitExceededException e = assertThrows(LimitExceededException.class, big::next);
        assertEquals(ErrorKind.LIMIT, e.kind());
        assertEquals(4, e.offset());
        RespCommandReader many = new RespCommandReader(new ByteArrayInputStream(b("*4\r\n")), "t", 0, small);
        assertEquals(ErrorKind.LIMIT, assertThrows(LimitExceededException.class, many::next).kind());
        // a hostile length under the limit with no bytes behind it is a truncation, not an allocation
        RespCommandReader lying = reader("*1\r\n$500000000\r\nabc");
        assertEquals(ErrorKind.TRUNCATED, assertThrows(RedkitException.class, lying::next).kind());
    }

    @Test
    void truncationAtEveryOffsetIsReportedAtTheCommandStart() throws IOException {
        String[] cmds = {
                "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n",
                "#TS:1700000000\r\n",
                "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
                "*1\r\n$5\r\nMULTI\r\n",
                "*3\r\n$4\r\nSADD\r\n$1\r\ns\r\n$0\r\n\r\n",
                "*1\r\n$4\r\nEXEC\r\n",
        };
        StringBuilder all = new StringBuilder();
        List<Integer> starts = new ArrayList<>();
        for (String c : cmds) {
            starts.add(all.length());
            all.append(c);
        }
        String full = all.toString();
        for (int cut = 0; cut <= full.length(); cut++) {
            String head = full.substring(0, cut);
            int cmd = -1;
            for (int i = 0; i < starts.size(); i++) {
                if (starts.get(i) < cut) {
                    cmd = i;
                }
            }
            boolean atBoundary = starts.contains(cut) || cut == full.length();
            RespCommandReader r = reader(head);
            if (atBoundary) {
                int n = 0;
                while (r.next() != null) {
                    n++;
                }
                assertTrue(n <= 5);
            } else {
                RedkitException e = assertThrows(RedkitException.class, () -> {
                    while (r.next() != null) {
                        // drain
                    }
                }, "cut " + cut);
                assertEquals(ErrorKind.TRUNCATED, e.kind(), "cut " + cut);
                assertEquals((long) starts.get(cmd), e.offset(), "cut " + cut);
            }
        }
    }

    @Test
    void failedReaderStaysFailed() {
        RespCommandReader r = reader("?");
        RedkitException first = assertThrows(RedkitException.class, r::next);
        assertSame(first, assertThrows(RedkitException.class, r::next));
    }

    @Test
    void valuesLargerThanTheBufferAreRead() throws IOException {
        int n = 3 * 256 * 1024 + 17;
        String v = "x".repeat(n);
        RespCommandReader r = reader("*2\r\n$4\r\nECHO\r\n$" + n + "\r\n" + v + "\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(n, r.next().get(1).length);
        assertEquals("PING", str(r.next().get(0)));
        assertNull(r.next());
    }
}
