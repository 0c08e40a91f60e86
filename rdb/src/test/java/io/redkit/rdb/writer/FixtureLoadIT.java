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
 * non-empty keys. Module keys are left out (the server has no modules).
 */
class FixtureLoadIT {
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
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            List<Event> events = new ArrayList<>();
            try (InputStream in = Files.newInputStream(f); RdbReader r = RdbReader.open(in, f.getFileName().toString())) {
                Event e;
                boolean skipping = false;
                while ((e = r.next()) != null) {
                    // leave module keys out: a server without the module refuses the file
                    if (e.kind() == EventKind.KEY_START && ((KeyStart) e).header().type() == DataType.MODULE) {
                        skipping = true;
                    }
                    if (e.kind() == EventKind.MODULE_AUX) {
                        continue;
                    }
                    if (!skipping) {
                        events.add(e);
                    }
                    if (e.kind() == EventKind.KEY_END) {
                        skipping = false;
                    }
                }
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
            try (TestRedis redis = TestRedis.start(tmp, name)) {
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
        System.out.println("FixtureLoadIT: " + loaded + " of " + files.size() + " fixture files rewritten as RDB 10 and loaded");
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(loaded > 50, "only " + loaded + " fixtures loaded");
    }
}
