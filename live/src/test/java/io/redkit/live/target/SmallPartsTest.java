package io.redkit.live.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.Slots;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The writer's small tables: RDB versions by release, scratch keys in the right slot, idempotence, scores. */
class SmallPartsTest {
    private static final TempKeys TEMPS = new TempKeys("test");

    @Test
    void rdbVersionsByRelease() {
        assertEquals(10, RdbVersions.forServer("7.0.15"));
        assertEquals(11, RdbVersions.forServer("7.2.4"));
        assertEquals(12, RdbVersions.forServer("7.4.1"));
        assertEquals(12, RdbVersions.forServer("8.0.0"));
        assertEquals(9, RdbVersions.forServer("6.2.14"));
        assertEquals(8, RdbVersions.forServer("4.0.14"));
        assertEquals(7, RdbVersions.forServer("3.2.13"));
        assertEquals(-1, RdbVersions.forServer("unknown"));
    }

    @Property
    void aScratchKeyHashesToTheSlotOfItsKey(@ForAll byte[] key, @ForAll long n) {
        assertEquals(Slots.slot(key), Slots.slot(TEMPS.forKey(key, n)));
    }

    @Test
    void idempotence() {
        assertTrue(CommandTable.idempotent("SET", argv("SET", "k", "v")));
        assertTrue(CommandTable.idempotent("ZADD", argv("ZADD", "z", "1", "m")));
        assertFalse(CommandTable.idempotent("ZADD", argv("ZADD", "z", "incr", "1", "m")));
        assertFalse(CommandTable.idempotent("INCR", argv("INCR", "n")));
        assertFalse(CommandTable.idempotent("RPUSH", argv("RPUSH", "l", "x")));
        assertTrue(CommandTable.idempotent("RESTORE", argv("RESTORE", "k", "0", "p", "REPLACE")));
        assertFalse(CommandTable.idempotent("RESTORE", argv("RESTORE", "k", "0", "p")));
        assertTrue(CommandTable.everyNode("FLUSHALL"));
        assertFalse(CommandTable.everyNode("SET"));
    }

    @Test
    void scoresReadBackExactly() {
        assertEquals("3", Scores.text(3.0));
        assertEquals("inf", Scores.text(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Scores.text(Double.NEGATIVE_INFINITY));
        assertEquals("-0.0", Scores.text(-0.0));
        assertEquals(0.1, Double.parseDouble(Scores.text(0.1)));
        assertEquals(1e300, Double.parseDouble(Scores.text(1e300)));
    }

    private static List<byte[]> argv(String... a) {
        return java.util.Arrays.stream(a).map(s -> s.getBytes(StandardCharsets.US_ASCII)).toList();
    }
}
