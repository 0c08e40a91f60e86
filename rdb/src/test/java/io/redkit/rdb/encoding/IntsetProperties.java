package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class IntsetProperties {

    @Provide
    Arbitrary<long[]> members() {
        Arbitrary<Long> values = Arbitraries.oneOf(Arbitraries.longs().between(-40_000, 40_000),
                Arbitraries.longs().between(Integer.MIN_VALUE - 10L, Integer.MAX_VALUE + 10L), Arbitraries.longs());
        return values.set().ofMaxSize(120).map(IntsetProperties::sorted);
    }

    private static long[] sorted(Set<Long> s) {
        long[] a = s.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    @Property(tries = 1000)
    void encodeThenDecode(@ForAll("members") long[] in) throws Exception {
        byte[] blob = IntsetEncoder.encode(in, in.length);
        long[] out = new long[in.length];
        int[] n = {0};
        assertEquals(in.length, IntsetDecoder.decode(blob, 0, blob.length, v -> out[n[0]++] = v, CTX));
        assertArrayEquals(in, out);
        int width = (int) LE.u32(blob, 0);
        long min = in.length == 0 ? 0 : in[0];
        long max = in.length == 0 ? 0 : in[in.length - 1];
        int need = min >= Short.MIN_VALUE && max <= Short.MAX_VALUE ? 2
                : min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE ? 4 : 8;
        assertEquals(need, width);
    }

    @Property(tries = 2000)
    void arbitraryBytesGiveOnlyRedkitException(@ForAll @Size(max = 100) byte[] body, @ForAll boolean fixHeader,
                                               @ForAll @IntRange(max = 3) int widthPick) {
        byte[] b = body;
        if (fixHeader && body.length >= 8) {
            int width = new int[] {2, 4, 8, 2}[widthPick];
            LE.putU32(b, 0, width);
            LE.putU32(b, 4, (b.length - 8) / width);
        }
        Blobs.onlyRedkit(() -> IntsetDecoder.decode(b, 0, b.length, v -> { }, CTX));
    }

    @Property(tries = 2000)
    void mutatedIntsetsGiveOnlyRedkitException(@ForAll("members") long[] in,
                                               @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1 << 20) Integer> at,
                                               @ForAll @Size(3) List<Byte> to) {
        byte[] blob = IntsetEncoder.encode(in, in.length);
        for (int i = 0; i < at.size(); i++) {
            blob[at.get(i) % blob.length] = to.get(i);
        }
        Blobs.onlyRedkit(() -> IntsetDecoder.decode(blob, 0, blob.length, v -> { }, CTX));
    }
}
