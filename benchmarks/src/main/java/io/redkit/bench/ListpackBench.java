package io.redkit.bench;

import io.redkit.rdb.encoding.BlobContext;
import io.redkit.rdb.encoding.EntryVisitor;
import io.redkit.rdb.encoding.ListpackDecoder;
import io.redkit.rdb.encoding.ListpackEncoder;
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
import org.openjdk.jmh.infra.Blackhole;

/** Decoding a 4 KiB listpack of mixed integers and short strings, as in a hash or a quicklist node. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ListpackBench {
    private static final BlobContext CTX = BlobContext.of("bench");

    byte[] listpack;
    int entries;
    ListpackEncoder encoder;
    byte[][] strings;

    /** About 4 KiB of entries: small and medium integers, 64-bit integers and short field names. */
    @Setup
    public void setup() {
        Random rnd = new Random(2);
        encoder = new ListpackEncoder();
        java.util.List<byte[]> all = new java.util.ArrayList<>();
        while (encoder.byteSize() < 4096 - 40) {
            byte[] s;
            switch (rnd.nextInt(4)) {
                case 0: s = Integer.toString(rnd.nextInt(128)).getBytes(StandardCharsets.US_ASCII); break;
                case 1: s = Integer.toString(rnd.nextInt(1_000_000) - 500_000).getBytes(StandardCharsets.US_ASCII);
                    break;
                case 2: s = Long.toString(rnd.nextLong()).getBytes(StandardCharsets.US_ASCII); break;
                default: s = ("field:" + rnd.nextInt(1000) + ":" + "x".repeat(rnd.nextInt(20)))
                        .getBytes(StandardCharsets.US_ASCII);
            }
            encoder.addString(s);
            all.add(s);
        }
        strings = all.toArray(new byte[0][]);
        entries = strings.length;
        listpack = encoder.toByteArray();
    }

    /** Full validation and visit of every entry; MB/s = ops/s x listpack size (about 4 KiB). */
    @Benchmark
    public int decode(Blackhole bh) throws Exception {
        return ListpackDecoder.decode(listpack, 0, listpack.length, new BlackholeVisitor(bh), CTX);
    }

    /** Re-encoding the same entries from their text, as the RDB writer does. */
    @Benchmark
    public int encode() {
        ListpackEncoder e = encoder.reset();
        for (int i = 0; i < entries; i++) {
            e.addString(strings[i]);
        }
        return e.byteSize();
    }

    /** Hands entries to JMH so the decode loop is not optimised away. */
    static final class BlackholeVisitor implements EntryVisitor {
        private final Blackhole bh;

        BlackholeVisitor(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void string(byte[] buf, int off, int len) {
            bh.consume(len);
        }

        @Override
        public void integer(long value) {
            bh.consume(value);
        }
    }
}
