package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static io.redkit.rdb.encoding.Blobs.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redkit.core.RedkitException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntsetDecoderTest {
    /** DUMP of {@code SADD s 1 5 100000 -3} from redis-server 7.0.15: the intset string. */
    static final String REDIS_INTSET = "04000000 04000000 fdffffff 01000000 05000000 a0860100";

    static List<Long> decode(byte[] b) throws RedkitException {
        List<Long> out = new ArrayList<>();
        int n = IntsetDecoder.decode(b, 0, b.length, out::add, CTX);
        assertEquals(n, out.size());
        return out;
    }

    @Test
    void decodesWhatRedisWrote() throws Exception {
        assertEquals(List.of(-3L, 1L, 5L, 100000L), decode(hex(REDIS_INTSET)));
        assertArrayEquals(hex(REDIS_INTSET), IntsetEncoder.encode(new long[] {-3, 1, 5, 100000}, 4));
    }

    @Test
    void everyWidth() throws Exception {
        byte[] w2 = new Blobs.B().le32(2).le32(2).le16(-5).le16(7).build();        // encoding 2, length 2, -5, 7
        byte[] w8 = new Blobs.B().le32(8).le32(2).le64(-1).le64(Long.MAX_VALUE).build();
        assertEquals(List.of(-5L, 7L), decode(w2));
        assertEquals(List.of(-1L, Long.MAX_VALUE), decode(w8));
        assertArrayEquals(w2, IntsetEncoder.encode(new long[] {-5, 7, 99}, 2));
        assertArrayEquals(w8, IntsetEncoder.encode(new long[] {-1, Long.MAX_VALUE}, 2));
        assertEquals(List.of(), decode(new Blobs.B().le32(2).le32(0).build()));
    }

    @Test
    void errors() {
        assertEquals("at blob offset 0: encoding: found 3 (expected 2, 4 or 8)",
                error(new Blobs.B().le32(3).le32(1).u8(1, 2, 3).build()));
        assertEquals("at blob offset 4: length: found 5 (expected 4, the 16 content bytes / width 4)",
                error(new Blobs.B().le32(4).le32(5).le32(1).le32(2).le32(3).le32(4).build()));
        assertEquals("at blob offset 4: length: found 4294967295 (expected 0, the 0 content bytes / width 8)",
                error(new Blobs.B().le32(8).le32(0xFFFFFFFFL).build()));
        assertEquals("at blob offset 12: member 1: found 1 (expected more than 1, members are strictly ascending)",
                error(new Blobs.B().le32(4).le32(2).le32(1).le32(1).build()));
        assertEquals("at blob offset 0: intset size: found 7 bytes (expected at least 8)", error(new byte[7]));
    }

    private static String error(byte[] b) {
        return assertThrows(RedkitException.class, () -> IntsetDecoder.decode(b, 0, b.length, v -> { }, CTX))
                .detail();
    }
}
