package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The allocation-free command-name lookup: any ASCII case matches, anything else does not. */
class NameTableTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void matchesAnyAsciiCaseOnly() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            m.put("cmd" + i, i);
        }
        m.put("zrangebyscore", -1);
        NameTable<Integer> t = new NameTable<>(m);
        for (int i = 0; i < 300; i++) {
            assertEquals(i, t.get(b("CmD" + i)));
        }
        assertEquals(-1, t.get(b("ZRANGEBYSCORE")));
        assertNull(t.get(b("zrangebyscor")));
        assertNull(t.get(b("zrangebyscore ")));
        assertNull(t.get(b("cmd1\u00e0")));
        assertNull(t.get(b("cmd[")));
        assertNull(t.get(new byte[0]));
        assertNull(t.get(b("x".repeat(40))));
    }

    @Test
    void enginesTablesUseIt() {
        assertEquals(Propagation.Rule.HSET_RESULT, Propagation.rule(b("HinCrByFloat")));
        assertEquals(Propagation.Rule.AS_IS, Propagation.rule(b("lpush")));
        assertEquals(Propagation.Rule.NONE, Propagation.rule(b("ZCOUNT")));
        KvEngine e = new KvEngine(new ManualClock(0));
        assertEquals("+PONG", Kv.run(e, "pInG"));
        assertEquals("-ERR unknown command 'pingx', with args beginning with: ", Kv.run(e, "pingx"));
    }
}
