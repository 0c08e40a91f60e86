package io.redkit.rdb.writer;

import io.redkit.core.event.Event;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleValue;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module payloads: the opcode-stream check and the pre-release hellotype conversion. */
class ModulePayloadTest {

    private static ModuleValue module(String fixture, String key) throws Exception {
        Path p = Fixtures.file(fixture);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
            RdbReader r = RdbReader.builder(in, fixture).build();
            boolean wanted = false;
            for (Event e = r.next(); e != null; e = r.next()) {
                if (e instanceof KeyStart s) {
                    wanted = new String(s.header().key(), StandardCharsets.UTF_8).equals(key);
                } else if (wanted && e instanceof ModuleValue m) {
                    return m;
                }
            }
        }
        throw new AssertionError("no module value for " + key + " in " + fixture);
    }

    @Test
    void aPreReleaseHellotypeValueBecomesTheBytesRedis70WritesForTheSameValue() throws Exception {
        // both hold [12123123112]: the first as a type 6 value, the second saved by redis-server 7.0 with hellotype
        ModuleValue preGa = module("rdb/replicator-module.rdb", "key");
        ModuleValue saved = module("rdb/r70-modules.rdb", "ht:one");
        assertFalse(ModulePayload.isOpcodeStream(preGa.payload()));
        assertTrue(ModulePayload.isOpcodeStream(saved.payload()));
        assertArrayEquals(saved.payload(), ModulePayload.opcodeStream(preGa));
        assertArrayEquals(saved.payload(), ModulePayload.opcodeStream(saved), "an opcode stream is kept as it is");
    }

    @Test
    void unknownOrDamagedPreReleaseValuesAreRefused() {
        byte[] twoInts = {2, 5, 6};
        assertNotNull(ModulePayload.opcodeStream(new ModuleValue("hellotype", 1, twoInts, 0)));
        assertNull(ModulePayload.opcodeStream(new ModuleValue("othertype", 1, twoInts, 0)));
        assertNull(ModulePayload.opcodeStream(new ModuleValue("hellotype", 1, new byte[] {3, 5, 6}, 0)), "short");
        assertNull(ModulePayload.opcodeStream(new ModuleValue("hellotype", 1, new byte[] {1, 5, 6}, 0)), "long");
        assertNull(ModulePayload.opcodeStream(new ModuleValue("hellotype", 1, new byte[0], 0)), "empty");
    }
}
