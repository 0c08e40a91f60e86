package io.redkit.bench;

import io.redkit.rdb.encoding.BlobContext;
import io.redkit.rdb.encoding.ZiplistDecoder;
import java.io.ByteArrayOutputStream;
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

/** Decoding a 4 KiB ziplist of mixed integers and short strings (a Redis 6 hash or list node). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ZiplistBench {
    private static final BlobContext CTX = BlobContext.of("bench");

    byte[] ziplist;

    /** Builds the ziplist by hand (redkit has no ziplist writer: Redis 7 no longer writes them). */
    @Setup
    public void setup() {
        Random rnd = new Random(3);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        int last = 10;
        int count = 0;
        while (body.size() < 4096 - 60) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            e.write(prev); // entries here are < 254 bytes: 1-byte prevlen
            switch (rnd.nextInt(4)) {
                case 0: e.write(0xF1 + rnd.nextInt(13)); break;                 // immediate 0..12
                case 1: e.write(0xC0); le(e, rnd.nextInt(65536) - 32768, 2); break; // int16
                case 2: e.write(0xE0); le(e, rnd.nextLong(), 8); break;         // int64
                default:
                    byte[] s = ("field:" + rnd.nextInt(1000) + ":" + "x".repeat(rnd.nextInt(20))).getBytes();
                    e.write(s.length);
                    e.writeBytes(s);
            }
            last = 10 + body.size();
            prev = e.size();
            body.writeBytes(e.toByteArray());
            count++;
        }
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        le(zl, 10 + body.size() + 1, 4);
        le(zl, last, 4);
        le(zl, count, 2);
        zl.writeBytes(body.toByteArray());
        zl.write(0xFF);
        ziplist = zl.toByteArray();
    }

    private static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) {
            o.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    /** Full validation and visit of every entry; MB/s = ops/s x ziplist size (about 4 KiB). */
    @Benchmark
    public int decode(Blackhole bh) throws Exception {
        return ZiplistDecoder.decode(ziplist, 0, ziplist.length, new ListpackBench.BlackholeVisitor(bh), CTX);
    }
}
