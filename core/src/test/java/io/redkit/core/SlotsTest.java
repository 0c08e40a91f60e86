package io.redkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Slots against values Redis's CLUSTER KEYSLOT gives. */
class SlotsTest {
    private static int slot(String k) {
        return Slots.slot(k.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void matchesRedis() {
        // CRC16("123456789") = 0x31C3, the XMODEM check value of the Redis Cluster spec
        assertEquals(0x31C3, Slots.crc16("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(slot("user1000"), slot("{user1000}.following"));
        assertEquals(slot("user1000"), slot("foo{user1000}{x}"));
        assertEquals(slot("foo{}{bar}"), Slots.crc16("foo{}{bar}".getBytes(StandardCharsets.US_ASCII), 0, 10) & 16383);
        assertEquals(slot("bar"), slot("{bar"  + "}zap"));
        assertEquals(0, slot(""));
    }
}
