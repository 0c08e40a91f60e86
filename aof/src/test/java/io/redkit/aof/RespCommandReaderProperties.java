package io.redkit.aof;

import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Arbitrary and mutated bytes give only RedkitException; how input is split never changes the result. */
class RespCommandReaderProperties {
    private static final Limits SMALL = Limits.builder().maxStringBytes(1 << 16).maxElements(1 << 10).build();

    /** Hands out at most {@code step} bytes per read, cycling through the given steps. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final int[] steps;
        private int pos;
        private int k;

        Trickle(byte[] data, int[] steps) {
            this.data = data;
            this.steps = steps;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, steps[k++ % steps.length]), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** What a reader made of an input: each command flattened, then the error's kind and offset (or "end"). */
    static List<String> outcome(InputStream in) {
        RespCommandReader r = new RespCommandReader(in, "p", 0, SMALL);
        List<String> out = new ArrayList<>();
        try {
            List<byte[]> argv;
            while ((argv = r.next()) != null) {
                StringBuilder sb = new StringBuilder().append(r.commandOffset()).append(':').append(r.timestampS());
                for (byte[] a : argv) {
                    sb.append('|').append(Arrays.toString(a));
                }
                out.add(sb.toString());
            }
            out.add("end@" + r.offset());
        } catch (RedkitException e) {
            out.add(e.kind() + "@" + e.offset());
        } catch (IOException e) {
            throw new AssertionError("not a RedkitException: " + e, e);
        }
        return out;
    }

    @Provide
    Arbitrary<byte[]> aofs() {
        Arbitrary<String> arg = Arbitraries.strings().withChars("abcSETDEL\r\n\0é").ofMaxLength(12);
        Arbitrary<String> command = arg.list().ofMinSize(1).ofMaxSize(4).map(args -> {
            StringBuilder sb = new StringBuilder("*").append(args.size()).append("\r\n");
            for (String a : args) {
                byte[] v = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(v.length).append("\r\n").append(a).append("\r\n");
            }
            return sb.toString();
        });
        Arbitrary<String> record = Arbitraries.oneOf(command, command, command,
                Arbitraries.longs().between(0, 2_000_000_000L).map(t -> "#TS:" + t + "\r\n"),
                Arbitraries.just("#note\n"));
        return record.list().ofMaxSize(12).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void wellFormedInputReadsTheSameWhateverTheSplit(@ForAll("aofs") byte[] aof,
                                                      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 7) Integer> steps) {
        List<String> whole = outcome(new ByteArrayInputStream(aof));
        assertEquals("end@" + aof.length, whole.get(whole.size() - 1));
        int[] s = steps.stream().mapToInt(Integer::intValue).toArray();
        assertEquals(whole, outcome(new Trickle(aof, s)));
    }

    @Property(tries = 500)
    void mutatedInputGivesOnlyTypedErrorsAndSplitsDoNotMatter(@ForAll("aofs") byte[] aof,
                                                                @ForAll @IntRange(min = 0, max = 10_000) int at,
                                                                @ForAll byte value,
                                                                @ForAll @IntRange(min = 0, max = 10_000) int cut,
                                                                @ForAll @IntRange(min = 1, max = 9) int step) {
        byte[] m = aof.clone();
        if (m.length > 0) {
            m[at % m.length] = value;
            m = Arrays.copyOf(m, cut % (m.length + 1));
        }
        List<String> whole = outcome(new ByteArrayInputStream(m));
        assertEquals(whole, outcome(new Trickle(m, new int[] {step})));
    }

    @Property(tries = 500)
    void arbitraryBytesGiveOnlyTypedErrors(@ForAll @Size(max = 300) byte[] bytes) {
        outcome(new ByteArrayInputStream(bytes));
        byte[] star = new byte[bytes.length + 1];
        star[0] = '*';
        System.arraycopy(bytes, 0, star, 1, bytes.length);
        outcome(new ByteArrayInputStream(star));
    }

    @Property(tries = 200)
    void arbitraryManifestsGiveOnlyBadManifest(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            AofManifest.parse(bytes, "m");
        } catch (RedkitException e) {
            assertEquals(io.redkit.core.ErrorKind.BAD_MANIFEST, e.kind());
        }
    }

    @Provide
    Arbitrary<String> manifestLines() {
        Arbitrary<String> word = Arbitraries.strings().withChars("fileseqtypbhi0123 \"'\\x\t").ofMaxLength(10);
        return Combinators.combine(word, word, word).as((a, b, c) -> "file " + a + " seq " + b + " type " + c + "\n");
    }

    @Property(tries = 300)
    void mangledManifestLinesGiveOnlyBadManifest(@ForAll("manifestLines") String line) {
        try {
            AofManifest m = AofManifest.parse(line.getBytes(StandardCharsets.UTF_8), "m");
            assertEquals(1, m.entries().size());
        } catch (RedkitException e) {
            assertEquals(io.redkit.core.ErrorKind.BAD_MANIFEST, e.kind());
        }
    }

    @Property(tries = 100)
    void argvBytesSurviveExactly(@ForAll @Size(min = 1, max = 4) List<@Size(max = 40) byte[]> args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write(new byte[] {'\r', '\n'});
        }
        List<byte[]> got = new RespCommandReader(new ByteArrayInputStream(out.toByteArray()), "p").next();
        assertEquals(args.size(), got.size());
        for (int i = 0; i < args.size(); i++) {
            assertArrayEquals(args.get(i), got.get(i));
        }
    }

    @Property(tries = 60)
    void mutatedDirectoryGivesOnlyTypedErrors(@ForAll @IntRange(min = 0, max = 100_000) int at, @ForAll byte value)
            throws IOException {
        Path root = io.redkit.rdb.Fixtures.root().resolve("aof/r70-aof-preamble");
        Path dir = Files.createTempDirectory("aofprop");
        try {
            for (String f : new String[] {"appendonly.aof.manifest", "appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof"}) {
                Files.copy(root.resolve(f), dir.resolve(f));
            }
            Path victim = dir.resolve(at % 2 == 0 ? "appendonly.aof.2.base.rdb" : "appendonly.aof.2.incr.aof");
            byte[] b = Files.readAllBytes(victim);
            b[(at / 2) % b.length] = value;
            Files.write(victim, b);
            try (var src = Sources.open(dir.toString(), SourceOptions.defaults())) {
                while (src.next() != null) {
                    // drain
                }
            } catch (RedkitException e) {
                // the only acceptable failure
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
