package io.redkit.kv;

import static io.redkit.kv.Kv.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.event.Event;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Module values held as their modules serialised them: TYPE names the module type, type-specific commands get
 * WRONGTYPE, and the key survives RENAME, EXPIRE, DUMP/RESTORE and snapshots byte for byte.
 */
class KvModuleTest {
    private static KvEngine load(String fixture) throws Exception {
        Path p = Fixtures.file(fixture);
        KvEngine e = new KvEngine();
        KvLoader l = new KvLoader(e, KvLoader.OnExisting.ERROR, true, fixture);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
            EventSource src = RdbReader.open(in, fixture);
            for (Event ev = src.next(); ev != null; ev = src.next()) {
                l.accept(ev);
            }
        }
        return e;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ModuleValue> modules(KvEngine e) throws Exception {
        List<ModuleValue> out = new ArrayList<>();
        try (EventSource s = e.snapshot()) {
            for (Event ev = s.next(); ev != null; ev = s.next()) {
                if (ev instanceof ModuleValue m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    @Test
    void moduleKeysAreKeptAndRefuseOtherTypesCommands() throws Exception {
        KvEngine e = load("rdb/r70-modules.rdb");
        assertEquals(":5", run(e, "DBSIZE"));
        assertEquals("+hellotype", run(e, "TYPE ht:many"));
        assertEquals("+test__rdb", run(e, "TYPE trdb:key"));
        assertEquals("\"raw\"", run(e, "OBJECT ENCODING ht:one"));
        assertTrue(run(e, "PTTL ht:one").startsWith(":"), "ht:one keeps its expiry");
        String wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value";
        for (String c : List.of("GET ht:many", "HGET ht:many f", "LLEN ht:many", "SADD ht:many x", "ZCARD ht:many",
                "XLEN ht:many", "APPEND ht:many x", "PFCOUNT ht:many")) {
            assertEquals(wrongType, run(e, c), c);
        }
        assertEquals(":1", run(e, "EXISTS ht:many"));
        String scan = run(e, "SCAN 0 TYPE hellotype COUNT 100");
        assertTrue(scan.contains("ht:many") && scan.contains("ht:one") && !scan.contains("trdb"), scan);
        assertEquals("+OK", run(e, "RENAME ht:many moved"));
        assertEquals(":1", run(e, "EXPIRE moved 100"));
        assertEquals("+hellotype", run(e, "TYPE moved"));
    }

    @Test
    void dumpRestoreAndSnapshotsKeepTheBytes() throws Exception {
        KvEngine e = load("rdb/r70-modules.rdb");
        List<ModuleValue> before = modules(e);
        assertEquals(4, before.size());
        Reply dump = e.execute(0, List.of(b("DUMP"), b("trdb:key")));
        byte[] payload = ((Reply.Bulk) dump).data();
        assertEquals("+OK", ReplyText.of(e.execute(0, List.of(b("RESTORE"), b("copy"), b("0"), payload))));
        assertEquals("+test__rdb", run(e, "TYPE copy"));
        assertArrayEquals(payload, ((Reply.Bulk) e.execute(0, List.of(b("DUMP"), b("copy")))).data());
        assertEquals(5, modules(e).size());
    }

    @Test
    void aPreReleaseValueIsHeldAsRedisSavesItAgain() throws Exception {
        KvEngine old = load("rdb/replicator-module.rdb");
        KvEngine saved = load("rdb/r70-modules.rdb");
        assertEquals("+hellotype", run(old, "TYPE key"));
        // both hold [12123123112]; the second was saved by redis-server 7.0 with the module loaded
        assertArrayEquals(((Reply.Bulk) saved.execute(0, List.of(b("DUMP"), b("ht:one")))).data(),
                ((Reply.Bulk) old.execute(0, List.of(b("DUMP"), b("key")))).data());
    }

    @Test
    void hellotypeCommandsWriteTheBytesOfTheModule() throws Exception {
        KvEngine saved = load("rdb/r70-modules.rdb");
        KvEngine e = new KvEngine();
        // out of order and through RANGE/LEN: the module keeps them ascending
        for (String v : List.of("7", "1099511627776", "-1025", "0", "-4611686018427387904")) {
            run(e, "HELLOTYPE.INSERT h " + v);
        }
        assertEquals(":6", run(e, "HELLOTYPE.INSERT h -1024"));
        assertEquals(":6", run(e, "HELLOTYPE.LEN h"));
        assertEquals("[:-4611686018427387904, :-1025, :-1024, :0, :7, :1099511627776]",
                run(e, "HELLOTYPE.RANGE h 0 100"));
        assertEquals("[:-1024, :0]", run(e, "HELLOTYPE.RANGE h 2 2"));
        assertEquals("+hellotype", run(e, "TYPE h"));
        assertArrayEquals(((Reply.Bulk) saved.execute(0, List.of(b("DUMP"), b("ht:many")))).data(),
                ((Reply.Bulk) e.execute(0, List.of(b("DUMP"), b("h")))).data(), "redis-server 7.0's bytes");
        assertEquals(":0", run(e, "HELLOTYPE.LEN none"));
        assertEquals("[]", run(e, "HELLOTYPE.RANGE none 0 10"));
        assertEquals("-ERR invalid value: must be a signed 64 bit integer", run(e, "HELLOTYPE.INSERT h x"));
        assertEquals("-ERR invalid first or count parameters", run(e, "HELLOTYPE.RANGE h -1 2"));
        run(e, "SET s x");
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value",
                run(e, "HELLOTYPE.INSERT s 1"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value",
                run(saved, "HELLOTYPE.LEN trdb:key"));
    }
}
