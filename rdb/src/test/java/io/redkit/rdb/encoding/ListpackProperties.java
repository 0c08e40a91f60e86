package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
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

class ListpackProperties {

    /** Entries: Long values of every width, integer-looking text, and strings across the length encodings. */
    @Provide
    Arbitrary<List<Object>> entries() {
        Arbitrary<Object> longs = Arbitraries.oneOf(Arbitraries.longs().between(-200, 200),
                Arbitraries.longs().between(-10_000_000, 10_000_000), Arbitraries.longs()).map(v -> v);
        Arbitrary<Object> numericText = Arbitraries.longs().map(v -> ascii(Long.toString(v)));
        Arbitrary<Object> shortStr = Arbitraries.bytes().array(byte[].class).ofMaxSize(70).map(b -> b);
        Arbitrary<Object> longStr = Arbitraries.integers().between(60, 5000).map(n -> {
            byte[] b = new byte[n];
            Arrays.fill(b, (byte) 'q');
            return b;
        });
        Arbitrary<Object> odd = Arbitraries.of("007", "-0", "+1", "", "-", "9223372036854775808",
                "-9223372036854775808").map(ListpackProperties::ascii);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, longs), net.jqwik.api.Tuple.of(2, numericText),
                net.jqwik.api.Tuple.of(4, shortStr), net.jqwik.api.Tuple.of(1, longStr),
                net.jqwik.api.Tuple.of(1, odd)).list().ofMaxSize(60);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(Object o) {
        return o instanceof byte[] ? new String((byte[]) o, StandardCharsets.ISO_8859_1) : o.toString();
    }

    static byte[] encode(List<Object> in) {
        ListpackEncoder enc = new ListpackEncoder(16);
        for (Object o : in) {
            if (o instanceof Long) {
                enc.addInteger((Long) o);
            } else {
                enc.addString((byte[]) o);
            }
        }
        return enc.toByteArray();
    }

    @Property(tries = 1000)
    void encodeThenDecode(@ForAll("entries") List<Object> in) throws Exception {
        byte[] lp = encode(in);
        Blobs.Collect c = new Blobs.Collect();
        assertEquals(in.size(), ListpackDecoder.decode(lp, 0, lp.length, c, CTX));
        List<String> expected = new ArrayList<>();
        for (Object o : in) {
            expected.add(text(o));
        }
        assertEquals(expected, c.texts());
    }

    @Property(tries = 2000)
    void arbitraryBytesGiveOnlyRedkitException(@ForAll @Size(max = 200) byte[] body, @ForAll boolean fixHeader) {
        byte[] lp = body;
        if (fixHeader) {
            // a plausible header and terminator lead the walk into the entries
            lp = new byte[body.length + 7];
            System.arraycopy(body, 0, lp, 6, body.length);
            LE.putU32(lp, 0, lp.length);
            LE.putU16(lp, 4, 0xFFFF);
            lp[lp.length - 1] = (byte) 0xFF;
        }
        byte[] b = lp;
        Blobs.onlyRedkit(() -> ListpackDecoder.decode(b, 0, b.length, Blobs.IGNORE, CTX));
    }

    @Property(tries = 2000)
    void mutatedListpacksGiveOnlyRedkitException(@ForAll("entries") List<Object> in,
                                                 @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 1 << 20) Integer> at,
                                                 @ForAll @Size(3) List<Byte> to) {
        byte[] lp = encode(in);
        for (int i = 0; i < at.size(); i++) {
            lp[at.get(i) % lp.length] = to.get(i);
        }
        Blobs.onlyRedkit(() -> ListpackDecoder.decode(lp, 0, lp.length, Blobs.IGNORE, CTX));
    }
}
