package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ZipmapProperties {

    @Provide
    Arbitrary<List<byte[]>> pairs() {
        Arbitrary<byte[]> s = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(20),
                Arbitraries.integers().between(250, 600).map(n -> {
                    byte[] b = new byte[n];
                    java.util.Arrays.fill(b, (byte) 'v');
                    return b;
                }));
        return s.list().ofMaxSize(30).map(l -> l.size() % 2 == 0 ? l : l.subList(0, l.size() - 1));
    }

    @Property(tries = 500)
    void builtThenDecoded(@ForAll("pairs") List<byte[]> kv, @ForAll @IntRange(max = 5) int free) throws Exception {
        byte[] zm = Blobs.zipmap(kv, free);
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(kv.size() / 2, ZipmapDecoder.decode(zm, 0, zm.length, c, CTX));
        List<String> expected = new ArrayList<>();
        for (byte[] b : kv) {
            expected.add(ListpackProperties.text(b));
        }
        assertEquals(expected, c.texts());
    }

    @Property(tries = 2000)
    void arbitraryBytesGiveOnlyRedkitException(@ForAll @Size(max = 200) byte[] body, @ForAll boolean fixEnd) {
        if (fixEnd && body.length > 0) {
            body[body.length - 1] = (byte) 0xFF;
        }
        Blobs.onlyRedkit(() -> ZipmapDecoder.decode(body, 0, body.length, Blobs.IGNORE, CTX));
    }

    @Property(tries = 2000)
    void mutatedZipmapsGiveOnlyRedkitException(@ForAll("pairs") List<byte[]> kv,
                                               @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1 << 20) Integer> at,
                                               @ForAll @Size(3) List<Byte> to) {
        byte[] zm = Blobs.zipmap(kv, 1);
        for (int i = 0; i < at.size(); i++) {
            zm[at.get(i) % zm.length] = to.get(i);
        }
        Blobs.onlyRedkit(() -> ZipmapDecoder.decode(zm, 0, zm.length, Blobs.IGNORE, CTX));
    }
}
