package io.redkit.kv.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A kv server and a real redis-server started side by side for one test class, for tests that send both the same
 * commands and compare the replies; registered with {@code @RegisterExtension static final SideBySide servers}.
 */
final class SideBySide implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    /** The kv server, in-process, with snapshot persistence. */
    KvServer kv;
    /** The redis-server process. */
    Process redis;
    /** The redis-server's port. */
    int redisPort;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("kv-side-by-side");
        Path r = dir.resolve("redis");
        Files.createDirectories(r);
        redisPort = TestServers.freePort();
        redis = TestServers.startRedis(r, redisPort);
        kv = TestServers.startKv(dir.resolve("kv"), null);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        if (kv != null) {
            kv.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
