package io.redkit.bench;

import io.redkit.rdb.encoding.Crc64;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The RDB checksum over one 256 KiB read-ahead block: MB/s = ops/s x 256 KiB. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Crc64Bench {
    byte[] block;

    /** Random bytes: the table walk does not care about the content. */
    @Setup
    public void setup() {
        block = new byte[256 * 1024];
        new Random(3).nextBytes(block);
    }

    /** CRC64 of the whole block. */
    @Benchmark
    public long update() {
        return Crc64.update(0, block, 0, block.length);
    }
}
