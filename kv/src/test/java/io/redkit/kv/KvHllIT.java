package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PFADD, PFMERGE and PFCOUNT against a real redis-server: after every batch of random elements the HLL strings
 * (sparse, through the promotion to dense, and dense) and the counts are equal byte for byte.
 */
class KvHllIT {
    @Test
    void hllStringsEqualRedis(@TempDir Path dir) throws Exception {
        if (!TestResp.redisAvailable()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("redis-server is required under CI=true");
            }
            assumeTrue(false, "redis-server not installed");
        }
        KvEngine engine = new KvEngine();
        Random rnd = new Random(42);
        try (TestResp.Server server = TestResp.Server.start(dir); TestResp client = new TestResp(server.port)) {
            for (int round = 0; round < 120; round++) {
                String key = "h" + (round % 3);
                List<byte[]> add = new ArrayList<>();
                add.add(b("PFADD"));
                add.add(b(key));
                // small batches first (sparse runs split and merge), then large ones (dense)
                int n = round < 60 ? 1 + rnd.nextInt(8) : 50 + rnd.nextInt(400);
                for (int i = 0; i < n; i++) {
                    byte[] ele = new byte[1 + rnd.nextInt(12)];
                    rnd.nextBytes(ele);
                    add.add(ele);
                }
                same(client, engine, add, round);
                same(client, engine, List.of(b("GET"), b(key)), round);
                if (round % 10 == 9) {
                    same(client, engine, List.of(b("PFCOUNT"), b(key)), round);
                    same(client, engine, List.of(b("GET"), b(key)), round);
                    same(client, engine, List.of(b("PFMERGE"), b("m" + round), b("h0"), b("h1")), round);
                    same(client, engine, List.of(b("GET"), b("m" + round)), round);
                    same(client, engine, List.of(b("PFCOUNT"), b("h0"), b("h1"), b("h2")), round);
                }
            }
        }
    }

    private static void same(TestResp client, KvEngine engine, List<byte[]> argv, int round) throws Exception {
        client.bulkCharset = StandardCharsets.ISO_8859_1;
        String want = client.call(argv);
        Reply r = engine.execute(0, argv);
        String got = r instanceof Reply.Bulk b ? '"' + new String(b.data(), StandardCharsets.ISO_8859_1) + '"'
                : ReplyText.of(r);
        assertEquals(want, got, "round " + round + ": " + new String(argv.get(0), StandardCharsets.US_ASCII));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
