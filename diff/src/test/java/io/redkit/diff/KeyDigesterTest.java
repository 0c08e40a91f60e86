package io.redkit.diff;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyDigesterTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static KeyHeader header(DataType t, long expire) {
        return new KeyHeader(0, b("k"), t, "x", expire, -1, -1, -1, 0);
    }

    private static DigestRecord digest(DataType t, List<? extends Event> parts) {
        KeyDigester d = new KeyDigester();
        d.start(header(t, -1));
        parts.forEach(d::accept);
        return d.finish();
    }

    /** Splits items into chunks at the given cut points (as a reader does for big values). */
    private static <T> List<List<T>> chunks(List<T> items, int chunk) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += chunk) {
            out.add(items.subList(i, Math.min(items.size(), i + chunk)));
        }
        return out;
    }

    @Property(tries = 200)
    void setDigestIgnoresOrderAndChunking(@ForAll @Size(max = 60) List<@Size(max = 12) String> members,
                                          @ForAll @IntRange(min = 1, max = 7) int chunk, @ForAll long seed) {
        List<byte[]> items = members.stream().distinct().map(KeyDigesterTest::b).toList();
        List<byte[]> shuffled = new ArrayList<>(items);
        Collections.shuffle(shuffled, new Random(seed));
        DigestRecord whole = digest(DataType.SET, List.of(new Elements(items, 0)));
        DigestRecord parts = digest(DataType.SET, chunks(shuffled, chunk).stream().map(c -> new Elements(c, 0)).toList());
        assertTrue(whole.sameValue(parts));
        assertEquals(items.size(), parts.size());
    }

    @Property(tries = 200)
    void stringDigestIgnoresChunking(@ForAll byte[] value, @ForAll @IntRange(min = 1, max = 9) int chunk) {
        List<StringPart> parts = new ArrayList<>();
        for (int i = 0; i < value.length; i += chunk) {
            int end = Math.min(value.length, i + chunk);
            parts.add(new StringPart(Arrays.copyOfRange(value, i, end), end == value.length, 0));
        }
        if (parts.isEmpty()) {
            parts.add(new StringPart(new byte[0], true, 0));
        }
        DigestRecord whole = digest(DataType.STRING, List.of(new StringPart(value, true, 0)));
        DigestRecord split = digest(DataType.STRING, parts);
        assertTrue(whole.sameValue(split));
        assertArrayEquals(Arrays.copyOf(value, Math.min(value.length, DigestRecord.PREVIEW_BYTES)), split.preview());
    }

    @Test
    void listOrderMattersAndFramingSeparatesItems() {
        DigestRecord ab = digest(DataType.LIST, List.of(new Elements(List.of(b("a"), b("b")), 0)));
        DigestRecord ba = digest(DataType.LIST, List.of(new Elements(List.of(b("b"), b("a")), 0)));
        DigestRecord joined = digest(DataType.LIST, List.of(new Elements(List.of(b("ab")), 0)));
        DigestRecord chunked = digest(DataType.LIST, List.of(new Elements(List.of(b("a")), 0),
                new Elements(List.of(b("b")), 0)));
        assertFalse(ab.sameValue(ba));
        assertFalse(ab.sameValue(joined));
        assertTrue(ab.sameValue(chunked));
    }

    @Test
    void hashFieldsIgnoreOrderButNotValuesOrFieldTtls() {
        HashField f1 = new HashField(b("f1"), b("v1"), -1);
        HashField f2 = new HashField(b("f2"), b("v2"), -1);
        DigestRecord x = digest(DataType.HASH, List.of(new HashFields(List.of(f1, f2), 0)));
        DigestRecord y = digest(DataType.HASH, List.of(new HashFields(List.of(f2), 0), new HashFields(List.of(f1), 0)));
        DigestRecord value = digest(DataType.HASH, List.of(new HashFields(List.of(f1,
                new HashField(b("f2"), b("v3"), -1)), 0)));
        DigestRecord ttl = digest(DataType.HASH, List.of(new HashFields(List.of(f1,
                new HashField(b("f2"), b("v2"), 1234)), 0)));
        // field and value swapped between elements must not cancel out
        DigestRecord swapped = digest(DataType.HASH, List.of(new HashFields(List.of(
                new HashField(b("f1"), b("v2"), -1), new HashField(b("f2"), b("v1"), -1)), 0)));
        assertTrue(x.sameValue(y));
        assertFalse(x.sameValue(value));
        assertFalse(x.sameValue(ttl));
        assertFalse(x.sameValue(swapped));
    }

    @Test
    void zsetScoresCountAndNegativeZeroIsZero() {
        DigestRecord x = digest(DataType.ZSET, List.of(new ZSetMembers(List.of(
                new ScoredMember(b("a"), 1.5), new ScoredMember(b("b"), 0.0)), 0)));
        DigestRecord y = digest(DataType.ZSET, List.of(new ZSetMembers(List.of(
                new ScoredMember(b("b"), -0.0), new ScoredMember(b("a"), 1.5)), 0)));
        DigestRecord z = digest(DataType.ZSET, List.of(new ZSetMembers(List.of(
                new ScoredMember(b("a"), 2.5), new ScoredMember(b("b"), 0.0)), 0)));
        assertTrue(x.sameValue(y));
        assertFalse(x.sameValue(z));
    }

    @Test
    void typesAndExpiryAreKeptApartFromTheDigest() {
        DigestRecord set = digest(DataType.SET, List.of(new Elements(List.of(b("a")), 0)));
        DigestRecord list = digest(DataType.LIST, List.of(new Elements(List.of(b("a")), 0)));
        assertNotEquals(set.hi(), list.hi());
        KeyDigester d = new KeyDigester();
        d.start(header(DataType.SET, 99));
        d.accept(new Elements(List.of(b("a")), 0));
        DigestRecord withTtl = d.finish();
        assertEquals(99, withTtl.expireMs());
        assertTrue(withTtl.sameValue(set));
    }
}
