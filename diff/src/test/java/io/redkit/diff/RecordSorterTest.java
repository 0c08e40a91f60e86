package io.redkit.diff;

import io.redkit.core.event.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordSorterTest {
    @TempDir
    Path tmp;

    private static DigestRecord rec(Random r, int i) {
        byte[] key = ("k" + r.nextInt(1_000_000) + "-" + i).getBytes(StandardCharsets.UTF_8);
        return new DigestRecord(r.nextInt(3), key, DataType.values()[r.nextInt(6)], r.nextBoolean() ? -1 : r.nextLong(),
                r.nextInt(100), r.nextLong(), r.nextLong(), new byte[r.nextInt(DigestRecord.PREVIEW_BYTES + 1)]);
    }

    private List<DigestRecord> sortWith(List<DigestRecord> in, long budget, int[] runs) throws IOException {
        List<DigestRecord> out = new ArrayList<>();
        try (RecordSorter s = new RecordSorter(budget, tmp, "t")) {
            for (DigestRecord d : in) {
                s.add(d);
            }
            try (RecordSorter.RecordIterator it = s.sorted()) {
                DigestRecord d;
                while ((d = it.next()) != null) {
                    out.add(d);
                }
                assertNull(it.next());
            }
            runs[0] = s.spilledRuns();
            assertEquals(in.size(), s.count());
        }
        return out;
    }

    @Test
    void tinyBudgetSpillsManyRunsMergesInSeveralPassesAndLeavesNoFiles() throws IOException {
        Random r = new Random(7);
        List<DigestRecord> in = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            in.add(rec(r, i));
        }
        int[] memRuns = new int[1];
        int[] diskRuns = new int[1];
        List<DigestRecord> mem = sortWith(in, Long.MAX_VALUE, memRuns);
        // about 30 records per run: far more runs than one merge can open
        List<DigestRecord> disk = sortWith(in, 4096, diskRuns);
        assertEquals(0, memRuns[0]);
        assertTrue(diskRuns[0] > RecordSorter.MAX_FAN_IN, "runs: " + diskRuns[0]);
        assertEquals(mem.size(), disk.size());
        for (int i = 0; i < mem.size(); i++) {
            DigestRecord a = mem.get(i);
            DigestRecord b = disk.get(i);
            assertEquals(a.db(), b.db());
            assertArrayEquals(a.key(), b.key());
            assertEquals(a.type(), b.type());
            assertEquals(a.expireMs(), b.expireMs());
            assertEquals(a.size(), b.size());
            assertEquals(a.hi(), b.hi());
            assertEquals(a.lo(), b.lo());
            assertArrayEquals(a.preview(), b.preview());
            if (i > 0) {
                assertTrue(DigestRecord.ORDER.compare(mem.get(i - 1), a) <= 0);
            }
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count());
        }
    }
}
