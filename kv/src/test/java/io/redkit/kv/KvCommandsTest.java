package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The engine's replies to commands.txt equal redis-server 7.0.15's, recorded in commands.expected.txt by
 * KvCommandsIT (so this runs without a server).
 */
class KvCommandsTest {
    @Test
    void repliesEqualRecordedRedisReplies() throws Exception {
        Map<Integer, String> golden = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("commands.expected.txt")) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isEmpty() && !l.startsWith("#")) {
                    int tab = l.indexOf('\t');
                    golden.put(Integer.parseInt(l.substring(0, tab)), l.substring(tab + 1));
                }
            }
        }
        KvEngine engine = new KvEngine();
        List<String> diffs = new ArrayList<>();
        List<Script.Line> lines = Script.load("commands.txt");
        for (Script.Line l : lines) {
            String want = golden.get(l.number());
            String got = Script.normalize(l, ReplyText.of(engine.execute(0, l.argv())));
            if (!got.equals(want)) {
                diffs.add("line " + l.number() + ": " + l.text() + "\n  redis:  " + want + "\n  engine: " + got);
            }
        }
        assertEquals(lines.size(), golden.size(), "golden file out of date: rerun KvCommandsIT -Dkv.golden=...");
        assertTrue(diffs.isEmpty(), diffs.size() + " differences:\n" + String.join("\n", diffs));
    }
}
