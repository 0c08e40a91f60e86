package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ZiplistProperties {

    @Provide
    Arbitrary<List<Object>> entries() {
        Arbitrary<Object> longs = Arbitraries.oneOf(Arbitraries.longs().between(-20, 20),
                Arbitraries.longs().between(-10_000_000, 10_000_000), Arbitraries.longs()).map(v -> v);
        Arbitrary<Object> shortStr = Arbitraries.bytes().array(byte[].class).ofMaxSize(70).map(b -> b);
        Arbitrary<Object> longStr = Arbitraries.integers().between(60, 17_000).map(n -> {
            byte[] b = new byte[n];
            Arrays.fill(b, (byte) 'z');
            return b;
        });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, longs), net.jqwik.api.Tuple.of(5, shortStr),
                net.jqwik.api.Tuple.of(1, longStr)).list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void builtThenDecoded(@ForAll("entries") List<Object> in) throws Exception {
        byte[] zl = Blobs.ziplist(in);
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(in.size(), ZiplistDecoder.decode(zl, 0, zl.length, c, CTX));
        List<String> expected = new ArrayList<>();
        for (Object o : in) {
            expected.add(ListpackProperties.text(o));
        }
        assertEquals(expected, c.texts());
    }

    @Property(tries = 2000)
    void arbitraryBytesGiveOnlyRedkitException(@ForAll @Size(max = 200) byte[] body, @ForAll boolean fixHeader,
                                               @ForAll @IntRange(max = 250) int tail) {
        byte[] zl = body;
        if (fixHeader) {
            zl = new byte[body.length + 11];
            System.arraycopy(body, 0, zl, 10, body.length);
            LE.putU32(zl, 0, zl.length);
            LE.putU32(zl, 4, tail);
            LE.putU16(zl, 8, 0xFFFF);
            zl[zl.length - 1] = (byte) 0xFF;
        }
        byte[] b = zl;
        Blobs.onlyRedkit(() -> ZiplistDecoder.decode(b, 0, b.length, Blobs.IGNORE, CTX));
    }

    @Property(tries = 2000)
    void mutatedZiplistsGiveOnlyRedkitException(@ForAll("entries") List<Object> in,
                                                @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1 << 20) Integer> at,
                                                @ForAll @Size(3) List<Byte> to) {
        byte[] zl = Blobs.ziplist(in);
        for (int i = 0; i < at.size(); i++) {
            zl[at.get(i) % zl.length] = to.get(i);
        }
        Blobs.onlyRedkit(() -> ZiplistDecoder.decode(zl, 0, zl.length, Blobs.IGNORE, CTX));
    }
}
