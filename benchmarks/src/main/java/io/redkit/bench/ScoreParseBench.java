package io.redkit.bench;

import io.redkit.rdb.Numbers;
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

/**
 * Parsing 1024 zset scores as Redis stores them in listpacks: 17 significant digits for
 * non-integral scores ({@code %.17g}); ops/s x 1024 = scores/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScoreParseBench {
    byte[][] scores;

    /** Random scores in [0, 1000) written with 17 significant digits. */
    @Setup
    public void setup() {
        Random rnd = new Random(4);
        scores = new byte[1024][];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = String.format("%.17g", rnd.nextDouble() * 1000).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Numbers.parseDouble: exact, without the JDK's general parser for these. */
    @Benchmark
    public double redkit() {
        double sum = 0;
        for (byte[] s : scores) {
            sum += Numbers.parseDouble(s, 0, s.length);
        }
        return sum;
    }

    /** The JDK's parser on the same text, for comparison. */
    @Benchmark
    public double jdk() {
        double sum = 0;
        for (byte[] s : scores) {
            sum += Double.parseDouble(new String(s, StandardCharsets.US_ASCII));
        }
        return sum;
    }
}
