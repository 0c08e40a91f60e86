package io.redkit.rdb.encoding;

import static io.redkit.rdb.encoding.Blobs.CTX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.RedkitException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LzfProperties {

    /** Bytes from a tiny alphabet with copied runs, so references of every length and distance occur. */
    @Provide
    Arbitrary<byte[]> compressible() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().between((byte) 'a', (byte) 'e').array(byte[].class)
                .ofMaxSize(20_000);
        return Arbitraries.oneOf(noise, Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
                Arbitraries.integers().between(0, 40_000).map(n -> new byte[n]));
    }

    @Property(tries = 300)
    void compressThenDecompress(@ForAll("compressible") byte[] data) throws Exception {
        byte[] out = new byte[data.length + data.length / 16 + 64];
        int n = Lzf.compress(data, 0, data.length, out, 0, out.length);
        if (data.length == 0) {
            return;
        }
        assertTrue(n > 0);
        assertArrayEquals(data, Lzf.decompress(out, 0, n, data.length, CTX));
        assertArrayEquals(data, new LzfInputStream(new ByteArrayInputStream(out, 0, n), n, data.length, CTX)
                .readAllBytes());
    }

    @Property(tries = 300)
    void compressIntoATightBufferFailsOrRoundTrips(@ForAll("compressible") byte[] data,
                                                   @ForAll @IntRange(max = 30_000) int outMax) throws Exception {
        byte[] out = new byte[outMax];
        int n = Lzf.compress(data, 0, data.length, out, 0, outMax);
        if (n > 0) {
            assertTrue(n <= outMax);
            assertArrayEquals(data, Lzf.decompress(out, 0, n, data.length, CTX));
        }
    }

    @Property(tries = 300)
    void streamDecodesTheSameWhereverTheInputIsSplit(@ForAll("compressible") byte[] data, @ForAll long seed)
            throws Exception {
        if (data.length == 0) {
            return;
        }
        byte[] c = new byte[data.length + data.length / 16 + 64];
        int n = Lzf.compress(data, 0, data.length, c, 0, c.length);
        java.util.Random rnd = new java.util.Random(seed);
        java.io.InputStream pieces = new java.io.FilterInputStream(new ByteArrayInputStream(c, 0, n)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 100)));
            }
        };
        LzfInputStream s = new LzfInputStream(pieces, n, data.length, CTX);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[5000];
        int r;
        while ((r = s.read(buf, 0, 1 + rnd.nextInt(buf.length))) >= 0) {
            got.write(buf, 0, r);
        }
        assertArrayEquals(data, got.toByteArray());
    }

    @Property(tries = 2000)
    void arbitraryBytesGiveOnlyRedkitException(@ForAll @Size(max = 300) byte[] in,
                                               @ForAll @IntRange(max = 5000) int ulen) {
        Blobs.onlyRedkit(() -> Lzf.decompress(in, 0, in.length, ulen, CTX));
        Blobs.onlyRedkit(() -> drain(in, in.length, ulen));
    }

    @Property(tries = 2000)
    void mutatedPayloadsGiveOnlyRedkitException(@ForAll("compressible") byte[] data,
                                                @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 1 << 20) Integer> at,
                                                @ForAll @Size(4) List<Byte> to,
                                                @ForAll @IntRange(min = -3, max = 3) int ulenDelta) {
        if (data.length == 0) {
            return;
        }
        byte[] c = new byte[data.length + data.length / 16 + 64];
        int n = Lzf.compress(data, 0, data.length, c, 0, c.length);
        byte[] m = java.util.Arrays.copyOf(c, n);
        for (int i = 0; i < at.size(); i++) {
            m[at.get(i) % n] = to.get(i);
        }
        int ulen = Math.max(0, data.length + ulenDelta);
        Blobs.onlyRedkit(() -> Lzf.decompress(m, 0, m.length, ulen, CTX));
        Blobs.onlyRedkit(() -> drain(m, m.length, ulen));
        // a payload cut short must fail as well, with a typed error
        Blobs.onlyRedkit(() -> drain(m, m.length + 5, ulen));
    }

    private static void drain(byte[] c, long clen, long ulen) throws RedkitException {
        try (LzfInputStream s = new LzfInputStream(new ByteArrayInputStream(c), clen, ulen, CTX)) {
            byte[] buf = new byte[1000];
            while (s.read(buf, 0, buf.length) >= 0) {
                // drain
            }
        } catch (RedkitException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("untyped I/O error", e);
        }
    }
}
