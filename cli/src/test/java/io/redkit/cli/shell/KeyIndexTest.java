package io.redkit.cli.shell;

import io.redkit.core.event.DataType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact key index: sorted by (db, key bytes), found by binary search, written and read back. */
class KeyIndexTest {
    @Property(tries = 200)
    void sortsLikeATreeMapAndFindsEveryKey(@ForAll @Size(max = 300) List<@Size(max = 1500) byte[]> keys,
                                          @ForAll @IntRange(max = 3) int dbs) throws IOException {
        KeyIndex ix = new KeyIndex();
        TreeMap<String, Integer> expected = new TreeMap<>();
        int n = 0;
        for (byte[] k : keys) {
            int db = dbs == 0 ? 0 : Math.floorMod(Arrays.hashCode(k), dbs + 1);
            String id = db + "/" + hex(k);
            if (expected.containsKey(id)) {
                continue;
            }
            expected.put(id, n++);
            ix.add(db, k, DataType.STRING, -1, k.length, n);
        }
        ix.finish();
        assertEquals(expected.size(), ix.size());
        for (int i = 1; i < ix.size(); i++) {
            int c = ix.db(i - 1) != ix.db(i) ? Integer.compare(ix.db(i - 1), ix.db(i))
                    : Arrays.compareUnsigned(ix.key(i - 1), ix.key(i));
            assertTrue(c < 0, "order at " + i);
        }
        for (int i = 0; i < ix.size(); i++) {
            assertEquals(i, ix.find(ix.db(i), ix.key(i)));
        }
        KeyIndex back = roundTrip(ix);
        assertEquals(ix.size(), back.size());
        for (int i = 0; i < ix.size(); i++) {
            assertArrayEquals(ix.key(i), back.key(i));
            assertEquals(ix.offset(i), back.offset(i));
            assertEquals(ix.memory(i), back.memory(i));
        }
    }

    @Test
    void prefixRangesAndMissingKeys() throws IOException {
        KeyIndex ix = new KeyIndex();
        for (String k : new String[]{"user:2", "user:10", "order:1", "user:1", "zz"}) {
            ix.add(0, k.getBytes(), DataType.HASH, 123, 10, -1);
        }
        ix.add(1, "user:1".getBytes(), DataType.SET, -1, 5, -1);
        ix.finish();
        assertEquals(-1, ix.find(0, "user:3".getBytes()));
        int i = ix.lowerBound(0, "user:".getBytes());
        assertEquals("user:1", new String(ix.key(i)));
        assertTrue(ix.startsWith(i + 2, 0, "user:".getBytes()));
        assertTrue(!ix.startsWith(i + 3, 0, "user:".getBytes()));
        assertEquals(DataType.SET, ix.type(ix.find(1, "user:1".getBytes())));
        assertEquals(123, ix.expireAt(ix.find(0, "zz".getBytes())));
    }

    @Test
    void aHostileCountIsRejectedBeforeAllocating() {
        byte[] data = {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThrows(io.redkit.core.RedkitException.class,
                () -> KeyIndex.read(new DataInputStream(new ByteArrayInputStream(data)), "x", data.length));
    }

    private static KeyIndex roundTrip(KeyIndex ix) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        ix.write(new DataOutputStream(bo));
        byte[] b = bo.toByteArray();
        return KeyIndex.read(new DataInputStream(new ByteArrayInputStream(b)), "test", b.length);
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
