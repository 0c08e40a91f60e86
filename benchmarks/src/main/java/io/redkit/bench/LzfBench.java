package io.redkit.bench;

import io.redkit.rdb.encoding.BlobContext;
import io.redkit.rdb.encoding.Lzf;
import io.redkit.rdb.encoding.LzfInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** LZF decompression (and compression) of 64 KiB of text-like data: MB/s = ops/s x 64 KiB. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LzfBench {
    static final int SIZE = 64 * 1024;
    private static final BlobContext CTX = BlobContext.of("bench");

    byte[] plain;
    byte[] compressed;
    int clen;
    byte[] out;

    /** Words drawn from a small vocabulary with numbers: compresses about like JSON or log values. */
    @Setup
    public void setup() {
        String[] words = {"user", "session", "id", "name", "email", "created_at", "status", "active", "the",
            "order", "total", "items", "price", "quantity", "redis", "cache", "value", "key", "\"", ":", ",", " "};
        Random rnd = new Random(1);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < SIZE) {
            sb.append(words[rnd.nextInt(words.length)]);
            if (rnd.nextInt(4) == 0) {
                sb.append(rnd.nextInt(100_000));
            }
            sb.append(' ');
        }
        plain = sb.substring(0, SIZE).getBytes(StandardCharsets.US_ASCII);
        compressed = new byte[SIZE + SIZE / 16 + 64];
        clen = Lzf.compress(plain, 0, SIZE, compressed, 0, compressed.length);
        out = new byte[SIZE];
    }

    /** Decompress 64 KiB into a reused buffer. */
    @Benchmark
    public int decompress() throws Exception {
        return Lzf.decompress(compressed, 0, clen, out, 0, SIZE, CTX);
    }

    /** The same payload through {@link LzfInputStream}, as the reader streams big strings. */
    @Benchmark
    public long decompressStream() throws Exception {
        long sum = 0;
        try (LzfInputStream s = new LzfInputStream(new ByteArrayInputStream(compressed, 0, clen), clen, SIZE, CTX)) {
            int n;
            while ((n = s.read(out, 0, out.length)) > 0) {
                sum += n;
            }
        }
        return sum;
    }

    /** Compress 64 KiB (what the RDB writer does for every string above 20 bytes). */
    @Benchmark
    public int compress() {
        return Lzf.compress(plain, 0, SIZE, out, 0, out.length);
    }
}
