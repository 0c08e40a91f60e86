package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.kv.KvEngine;
import io.redkit.kv.persist.KvStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXEC and scripts reach the append-only log as one MULTI ... EXEC block each (the engine's write groups), as
 * Redis propagates them; the store reopened from that log has their writes.
 */
class KvServeGroupLogIT {
    private static final String MULTI = "*1\r\n$5\r\nMULTI\r\n";
    private static final String EXEC = "*1\r\n$4\r\nEXEC\r\n";

    @TempDir
    Path dir;

    @Test
    void execAndScriptsAreLoggedAsBlocks() throws Exception {
        ServerConfig c = new ServerConfig();
        c.port = 0;
        c.dir = dir;
        c.appendFsync = "always";
        StorePersistence p = new StorePersistence(dir, "always");
        KvServer s = new KvServer(c, p.store().engine(), p, null);
        int port = s.start();
        try (RawClient r = new RawClient(port)) {
            assertEquals("+OK", r.call("SET", "before", "1"));
            assertEquals("+OK", r.call("MULTI"));
            r.call("SET", "a", "1");
            r.call("INCR", "n");
            r.call("GET", "a");
            r.call("RPUSH", "l", "x", "y");
            r.call("EXEC");
            r.call("EVAL", "redis.call('SET', KEYS[1], 'v'); return redis.call('INCR', KEYS[2])", "2", "s", "n");
            assertEquals("+OK", r.call("SET", "after", "1"));
        } finally {
            s.close();
        }
        String log;
        try (var files = Files.list(dir.resolve("appendonlydir"))) {
            Path incr = files.filter(f -> f.getFileName().toString().endsWith(".incr.aof")).findFirst().orElseThrow();
            log = Files.readString(incr, StandardCharsets.ISO_8859_1);
        }
        int m1 = log.indexOf(MULTI);
        int e1 = log.indexOf(EXEC, m1);
        int m2 = log.indexOf(MULTI, e1);
        int e2 = log.indexOf(EXEC, m2);
        assertTrue(m1 > log.indexOf("$6\r\nbefore\r\n") && e1 > m1 && m2 > e1 && e2 > m2, log);
        String tx = log.substring(m1, e1);
        assertTrue(tx.contains("$1\r\na\r\n") && tx.contains("$4\r\nINCR\r\n") && tx.contains("$5\r\nRPUSH\r\n"), tx);
        String script = log.substring(m2, e2);
        assertTrue(script.contains("$1\r\ns\r\n$1\r\nv\r\n") && script.contains("$4\r\nINCR\r\n"), script);
        assertTrue(log.indexOf("$5\r\nafter\r\n") > e2, log);
        assertEquals(-1, log.indexOf(MULTI, e2), log);
        try (KvStore st = KvStore.open(dir, KvStore.Options.defaults())) {
            KvEngine e = st.engine();
            assertEquals(0, st.recovery().commandErrors());
            assertEquals(2L, Long.parseLong(new String(((io.redkit.kv.Reply.Bulk) e.execute(0,
                    RawClient.args("GET", "n"))).data(), StandardCharsets.US_ASCII)));
        }
    }
}
