package io.redkit.rdb;

import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The whole reader on hostile input: arbitrary bytes after a valid header, and real fixture files
 * with flipped, truncated or inserted bytes, yield only {@link RedkitException} (never another
 * exception, a hang or an allocation beyond the limits), and the exception is never the safety
 * net's wrapper of an unexpected runtime error.
 */
class RdbReaderProperties {
    private static final Limits TIGHT = Limits.builder().maxStringBytes(1 << 20).maxElements(100_000).build();
    private static final List<String> SEEDS = List.of("r70-small.rdb", "r74-hfe.rdb", "r70-streams.rdb",
            "rdbtools-ziplist_with_integers.rdb", "redis-hash-zipmap.rdb", "rdbtools-intset_64.rdb", "librdb-stream_v13_idmp.rdb",
            "r70-lists.rdb", "r70-zsets.rdb", "r70-modules.rdb");

    static void readExpectingOnlyTypedErrors(byte[] data) {
        RdbReader r = RdbReader.builder(new ByteArrayInputStream(data), "fuzz").limits(TIGHT).captureRawPayload(true).build();
        try {
            int events = 0;
            while (r.next() != null) {
                if (++events > 10_000_000) {
                    throw new AssertionError("no end after 10M events: a loop that does not consume input");
                }
            }
        } catch (RedkitException e) {
            // the reader wraps a RuntimeException as a last resort; that would be a bug to fix
            assertNull(e.getCause(), () -> "unexpected runtime error: " + e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> seeds() {
        return Arbitraries.of(SEEDS).map(name -> {
            try {
                return Files.readAllBytes(Fixtures.root().resolve("rdb").resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Property(tries = 3000)
    void flippedBytesGiveOnlyTypedErrors(@ForAll("seeds") byte[] seed, @ForAll("positions") List<Integer> positions,
                                         @ForAll byte value) {
        byte[] d = seed.clone();
        for (int p : positions) {
            d[Math.floorMod(p, d.length)] ^= (byte) (value == 0 ? 1 : value);
        }
        readExpectingOnlyTypedErrors(d);
    }

    @Property(tries = 1000)
    void truncatedFilesGiveOnlyTypedErrors(@ForAll("seeds") byte[] seed, @ForAll int cut) {
        int n = Math.floorMod(cut, seed.length);
        readExpectingOnlyTypedErrors(java.util.Arrays.copyOf(seed, n));
    }

    @Property(tries = 2000)
    void arbitraryBytesAfterAHeaderGiveOnlyTypedErrors(@ForAll("headers") String header, @ForAll byte[] body) {
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] d = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, d, h.length, body.length);
        readExpectingOnlyTypedErrors(d);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> headers() {
        return Arbitraries.of("REDIS0003", "REDIS0006", "REDIS0009", "REDIS0010", "REDIS0011", "REDIS0012",
                "REDIS0013", "REDIS0014", "REDIS0015", "VALKEY080");
    }

    /** Keeps the seed list honest: every seed is a real fixture. */
    static boolean seedsExist(Path root) {
        return SEEDS.stream().allMatch(s -> Files.exists(root.resolve("rdb").resolve(s)));
    }
}
