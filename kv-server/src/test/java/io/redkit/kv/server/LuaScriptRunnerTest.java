package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redkit.core.event.Command;
import io.redkit.kv.KvEngine;
import io.redkit.kv.KvLoader;
import io.redkit.kv.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Scripts in a replayed stream (as Redis before 5.0 logged them) run through the loader's script runner. */
class LuaScriptRunnerTest {
    private static Command cmd(int db, String... words) {
        List<byte[]> argv = new ArrayList<>();
        for (String w : words) {
            argv.add(w.getBytes(StandardCharsets.UTF_8));
        }
        return new Command(db, argv, -1, 0);
    }

    private static String get(KvEngine e, int db, String key) {
        Reply r = e.execute(db, List.of("GET".getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8)));
        return r instanceof Reply.Bulk b ? new String(b.data(), StandardCharsets.UTF_8) : "(nil)";
    }

    @Test
    void evalEvalshaAndScriptLoadReplayIntoTheEngine() throws Exception {
        KvEngine e = new KvEngine();
        KvLoader l = new KvLoader(e, KvLoader.OnExisting.REPLACE, false, "test");
        String set = "return redis.call('set', KEYS[1], ARGV[1])";
        l.accept(cmd(2, "EVAL", set, "1", "k", "v1"));
        l.accept(cmd(0, "SCRIPT", "LOAD", "return redis.call('incrby', KEYS[1], ARGV[1])"));
        String sha = LuaScriptRunnerTest.sha1("return redis.call('incrby', KEYS[1], ARGV[1])");
        l.accept(cmd(0, "EVALSHA", sha, "1", "n", "5"));
        l.accept(cmd(0, "EVALSHA", sha, "1", "n", "2"));
        // a failing script's writes are undone and counted as an error
        l.accept(cmd(0, "EVAL", "redis.call('set', 'x', '1'); error('no')", "0"));
        assertEquals("v1", get(e, 2, "k"));
        assertEquals("7", get(e, 0, "n"));
        assertEquals("(nil)", get(e, 0, "x"));
        assertEquals(4, l.commandsApplied());
        assertEquals(1, l.commandErrors());
    }

    private static String sha1(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte x : d) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }
}
