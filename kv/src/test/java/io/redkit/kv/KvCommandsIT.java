package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs commands.txt against a real redis-server and against the engine and compares every reply. With
 * {@code -Dkv.golden=FILE} it also writes the server's replies as the golden file KvCommandsTest reads.
 */
class KvCommandsIT {
    @Test
    void engineAnswersLikeRedis(@TempDir Path dir) throws Exception {
        if (!TestResp.redisAvailable()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("redis-server is required under CI=true");
            }
            assumeTrue(false, "redis-server not installed");
        }
        List<Script.Line> lines = Script.load("commands.txt");
        KvEngine engine = new KvEngine();
        List<String> diffs = new ArrayList<>();
        StringBuilder golden = new StringBuilder();
        try (TestResp.Server server = TestResp.Server.start(dir); TestResp client = new TestResp(server.port)) {
            for (Script.Line l : lines) {
                String want = Script.normalize(l, client.call(l.argv()));
                String got = Script.normalize(l, ReplyText.of(engine.execute(0, l.argv())));
                golden.append(l.number()).append('\t').append(want).append('\n');
                if (!want.equals(got)) {
                    diffs.add("line " + l.number() + ": " + l.text() + "\n  redis:  " + want + "\n  engine: " + got);
                }
            }
        }
        String out = System.getProperty("kv.golden");
        if (out != null) {
            Files.writeString(Path.of(out), golden, StandardCharsets.UTF_8);
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " differences:\n" + String.join("\n", diffs));
    }
}
