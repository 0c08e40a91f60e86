package io.redkit.cli.shell;

import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.SourceKind;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The saved key index: read back only for the same file, and a damaged one is never trusted nor thrown at the user. */
class IndexFileTest {
    @Property(tries = 100)
    void aDamagedOrTruncatedIndexIsRejected(@ForAll @IntRange(min = 0, max = 10_000) int where,
                                            @ForAll @IntRange(min = 1, max = 255) int flip,
                                            @ForAll boolean truncate) throws IOException {
        Path dir = Files.createTempDirectory("rkidx");
        try {
            Path src = dir.resolve("f.rdb");
            Files.write(src, new byte[]{'R', 'E', 'D', 'I', 'S', '0', '0', '1', '0', (byte) 0xFF});
            KeyIndex ix = new KeyIndex();
            for (int i = 0; i < 300; i++) {
                ix.add(i % 3, ("user:" + i).getBytes(), DataType.HASH, i % 2 == 0 ? -1 : 1000L * i, 100 + i, 9 + i);
            }
            ix.finish();
            Path idx = IndexFile.pathFor(src);
            IndexFile.Fingerprint fp = IndexFile.fingerprint(src);
            IndexFile.save(idx, fp, new Begin(SourceKind.RDB, "f", Dialect.REDIS, 10, 0), ix);
            IndexFile.Loaded ok = IndexFile.load(idx, fp);
            assertNotNull(ok);
            assertEquals(300, ok.index().size());
            assertArrayEquals(ix.key(123), ok.index().key(123));
            assertEquals(10, ok.begin().rdbVersion());

            byte[] b = Files.readAllBytes(idx);
            int at = where % b.length;
            if (truncate) {
                Files.write(idx, java.util.Arrays.copyOf(b, at));
            } else {
                b[at] ^= (byte) flip;
                Files.write(idx, b);
            }
            assertNull(IndexFile.load(idx, fp));
            assertNull(IndexFile.load(dir.resolve("missing.rkidx"), fp));
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
