package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.kv.KvIntrospect;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The server's command table covers every engine command: one missing from it would bypass the server's handling
 * of the client's database, WATCH, blocked clients and the memory limit.
 */
class CommandTableTest {
    @Test
    void everyEngineCommandIsInTheServersTable() {
        CommandTable t = new CommandTable();
        Set<String> missing = new TreeSet<>();
        for (String name : KvIntrospect.commandNames()) {
            if (t.get(name) == null) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "engine commands the server does not know: " + missing);
        assertEquals("bitmap", t.get("setbit").group());
        assertTrue(t.get("pfadd").write() && t.get("pfadd").denyOom());
    }
}
