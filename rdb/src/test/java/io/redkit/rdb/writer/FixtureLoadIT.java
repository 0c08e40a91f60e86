package io.redkit.rdb.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.DataType;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyStart;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fixture RDB that RDB 10 can hold is rewritten by {@link RdbWriter} as RDB 10 and loaded by
 * the real redis-server (7.0): it must load, and hold as many keys as the fixture has live,
 * non-empty keys. Module keys are left out (the server has no modules). Where the server also
 * loads the original file (RDB 10 or older, no modules), DEBUG DIGEST of both must be equal: the
 * server itself says the data, TTLs included, is the same.
 */
class FixtureLoadIT {
    /**
     * Files whose digest differs for a reason in Redis, not in the writer. A -0 score loaded from a
     * type 3 (text) zset becomes 0 when Redis 7.0 converts it to a listpack (its d2string prints
     * integers first), while a -0 already in a ziplist is kept; the writer keeps -0 as "-0" text,
     * which matches the second case, so the first one differs.
     */
    private static final java.util.Map<String, String> KNOWN_DIGEST_DIFFERENCES = java.util.Map.of(
            "librdb-plain_zset_v6.rdb", "Redis 7.0 loads the file's -0 scores (type 3 text) as 0; redkit keeps -0");

    @TempDir
    Path tmp;

    @Test
    void redisLoadsEveryRewrittenFixture() throws Exception {
        TestRedis.require(TestRedis.which("redis-server") != null, "redis-server not on PATH");
        Path dir = Fixtures.root().resolve("rdb");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".rdb")).sorted().toList();
        }
        int loaded = 0;
        int digests = 0;
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            List<Event> events = new ArrayList<>();
            boolean hasModules = false;
            int srcVersion;
            io.redkit.core.event.Dialect dialect;
            try (InputStream in = Files.newInputStream(f); RdbReader r = RdbReader.open(in, f.getFileName().toString())) {
                Event e;
                boolean skipping = false;
                while ((e = r.next()) != null) {
                    // leave module keys out: a server without the module refuses the file
                    if (e.kind() == EventKind.KEY_START && ((KeyStart) e).header().type() == DataType.MODULE) {
                        skipping = true;
                        hasModules = true;
                    }
                    if (e.kind() == EventKind.MODULE_AUX) {
                        hasModules = true;
                        continue;
                    }
                    if (!skipping) {
                        events.add(e);
                    }
                    if (e.kind() == EventKind.KEY_END) {
                        skipping = false;
                    }
                }
                srcVersion = r.version();
                dialect = r.dialect();
            } catch (RedkitException e) {
                continue;
            }
            String name = f.getFileName().toString().replace(".rdb", "") + ".v10.rdb";
            long now = System.currentTimeMillis();
            long expectedKeys = 0;
            try (AtomicFileOutput out = AtomicFileOutput.open(tmp.resolve(name), false);
                 RdbWriter w = new RdbWriter(out, RdbWriter.Options.builder().version(10).build())) {
                for (Event e : events) {
                    if (e instanceof End) {
                        continue;
                    }
                    w.accept(e);
                }
                w.accept(new End(0, false, -1));
                out.commit();
            } catch (RedkitException e) {
                assertEquals(ErrorKind.UNSUPPORTED, e.kind(), f + ": " + e.getMessage());
                continue;
            }
            // what the server keeps: keys not yet expired that are not empty collections
            String canon = RdbWriterRoundTripProperties.canonical(events, 10);
            for (String line : canon.split("\n")) {
                int exp = line.indexOf(" exp=");
                if (exp < 0) {
                    continue;
                }
                long at = Long.parseLong(line.substring(exp + 5, line.indexOf(' ', exp + 5)));
                if (at < 0 || at > now + 60_000) {
                    expectedKeys++;
                }
            }
            String originalDigest = null;
            if (!hasModules && dialect == io.redkit.core.event.Dialect.REDIS && srcVersion <= 10) {
                Path copy = tmp.resolve(f.getFileName());
                Files.copy(f, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (TestRedis redis = TestRedis.start(tmp, copy.getFileName().toString(), "--enable-debug-command", "yes")) {
                    originalDigest = redis.run("debug", "digest");
                } catch (Throwable t) {
                    originalDigest = null; // the server refuses the original too (e.g. empty keys): count only
                }
            }
            try (TestRedis redis = TestRedis.start(tmp, name, "--enable-debug-command", "yes")) {
                if (originalDigest != null) {
                    digests++;
                    String d = redis.run("debug", "digest");
                    if (!d.equals(originalDigest) && !KNOWN_DIGEST_DIFFERENCES.containsKey(f.getFileName().toString())) {
                        problems.add(f.getFileName() + ": DEBUG DIGEST " + d + " (original " + originalDigest + ")");
                    }
                }
                long keys = 0;
                for (String l : redis.run("info", "keyspace").split("\n")) {
                    int k = l.indexOf("keys=");
                    if (k >= 0) {
                        keys += Long.parseLong(l.substring(k + 5, l.indexOf(',', k)));
                    }
                }
                if (keys != expectedKeys) {
                    problems.add(f.getFileName() + ": server has " + keys + " keys, expected " + expectedKeys);
                }
                loaded++;
            } catch (Throwable t) {
                problems.add(f.getFileName() + ": " + t.getMessage());
            }
        }
        System.out.println("FixtureLoadIT: " + loaded + " of " + files.size() + " fixture files rewritten as RDB 10 and loaded, "
                + digests + " DEBUG DIGESTs compared with the original");
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(loaded > 50, "only " + loaded + " fixtures loaded");
    }
}
