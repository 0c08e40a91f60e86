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
 * Every fixture RDB is rewritten by {@link RdbWriter} as RDB 10, 9 and 7 (where the version can hold it) and loaded by
 * the real redis-server (7.0): it must load, and hold as many keys as the fixture has live,
 * non-empty keys. Module keys are left out (the server has no modules). Where the server also
 * loads the original file (RDB 10 or older, no modules), DEBUG DIGEST of both must be equal: the
 * server itself says the data, TTLs included, is the same.
 */
class FixtureLoadIT {
    /**
     * Rewrites whose digest differs for a reason in Redis, not in the writer: Redis 7.0 keeps a -0
     * score that sits in a ziplist/listpack as "-0", but turns a -0 it loads from a type 3/5 zset into 0
     * when it converts the zset to a listpack (its d2string prints integers first). The writer keeps
     * -0 ("-0" text in listpacks, -0.0 in type 5), so whichever form the original had, one side differs.
     */
    private static final java.util.Set<String> KNOWN_DIGEST_DIFFERENCES = java.util.Set.of(
            "librdb-plain_zset_v6.rdb@10", "librdb-zset_zl_v6.rdb@9", "librdb-zset_zl_v6.rdb@7");

    /** RDB 10 (listpack types), 9 (plain types, streams v1, IDLE/FREQ), 7 (text zset scores, no streams). */
    private static final int[] TARGETS = {10, 9, 7};

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
            long now = System.currentTimeMillis();
            // what the server keeps: keys not yet expired that are not empty collections
            long expectedKeys = 0;
            for (String line : RdbWriterRoundTripProperties.canonical(events, 10).split("\n")) {
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
            for (int target : TARGETS) {
                String name = f.getFileName().toString().replace(".rdb", "") + ".v" + target + ".rdb";
                try (AtomicFileOutput out = AtomicFileOutput.open(tmp.resolve(name), false);
                     RdbWriter w = new RdbWriter(out, RdbWriter.Options.builder().version(target).build())) {
                    for (Event e : events) {
                        if (!(e instanceof End)) {
                            w.accept(e);
                        }
                    }
                    w.accept(new End(0, false, -1));
                    out.commit();
                } catch (RedkitException e) {
                    assertEquals(ErrorKind.UNSUPPORTED, e.kind(), f + ": " + e.getMessage());
                    continue;
                }
                String what = f.getFileName() + " as RDB " + target;
                try (TestRedis redis = TestRedis.start(tmp, name, "--enable-debug-command", "yes")) {
                    if (originalDigest != null) {
                        digests++;
                        String d = redis.run("debug", "digest");
                        if (!d.equals(originalDigest) && !KNOWN_DIGEST_DIFFERENCES.contains(f.getFileName() + "@" + target)) {
                            problems.add(what + ": DEBUG DIGEST " + d + " (original " + originalDigest + ")");
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
                        problems.add(what + ": server has " + keys + " keys, expected " + expectedKeys);
                    }
                    loaded++;
                } catch (Throwable t) {
                    problems.add(what + ": " + t.getMessage());
                }
                Files.delete(tmp.resolve(name));
            }
        }
        System.out.println("FixtureLoadIT: " + loaded + " rewrites of " + files.size() + " fixture files (as RDB 10, 9, 7) loaded, "
                + digests + " DEBUG DIGESTs compared with the original");
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(loaded > 150, "only " + loaded + " rewritten fixtures loaded");
    }

    /**
     * Every key of every fixture the server loads itself (RDB 10 or older, no modules) is turned into
     * a {@link DumpPayload} and RESTOREd (with its absolute TTL) into an empty server: DEBUG DIGEST
     * must equal the one of the original file.
     */
    @Test
    void restoredDumpPayloadsEqualTheOriginal() throws Exception {
        TestRedis.require(TestRedis.which("redis-server") != null, "redis-server not on PATH");
        Path dir = Fixtures.root().resolve("rdb");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".rdb")).sorted().toList();
        }
        int compared = 0;
        long restored = 0;
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            List<Event> events = new ArrayList<>();
            try (InputStream in = Files.newInputStream(f); RdbReader r = RdbReader.open(in, f.getFileName().toString())) {
                Event e;
                while ((e = r.next()) != null) {
                    events.add(e);
                }
                if (r.dialect() != io.redkit.core.event.Dialect.REDIS || r.version() > 10) {
                    continue;
                }
            } catch (RedkitException e) {
                continue;
            }
            if (events.stream().anyMatch(e -> e.kind() == EventKind.MODULE_AUX || e.kind() == EventKind.MODULE_VALUE)) {
                continue;
            }
            Path copy = tmp.resolve(f.getFileName());
            Files.copy(f, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String originalDigest;
            try (TestRedis redis = TestRedis.start(tmp, copy.getFileName().toString(), "--enable-debug-command", "yes")) {
                originalDigest = redis.run("debug", "digest");
            } catch (Throwable t) {
                continue; // the server refuses the original (e.g. empty keys)
            }
            Files.delete(copy);
            long now = System.currentTimeMillis();
            try (TestRedis redis = TestRedis.start(tmp, "empty-" + f.getFileName(), "--enable-debug-command", "yes");
                 TestRedis.Resp c = redis.connect()) {
                int db = 0;
                int sent = 0;
                for (int i = 0; i < events.size(); i++) {
                    if (events.get(i).kind() != EventKind.KEY_START) {
                        continue;
                    }
                    int j = i;
                    while (events.get(j).kind() != EventKind.KEY_END) {
                        j++;
                    }
                    io.redkit.core.event.KeyHeader h = ((KeyStart) events.get(i)).header();
                    if (h.expireAtMs() >= 0 && h.expireAtMs() <= now + 60_000) {
                        continue; // expired on load: not in the original's digest
                    }
                    byte[] payload;
                    try {
                        payload = DumpPayload.build(events.subList(i, j + 1), 10);
                    } catch (IllegalArgumentException empty) {
                        continue; // an empty collection: Redis skips it on load as well
                    }
                    if (h.db() != db) {
                        c.send(bytes("SELECT"), bytes(Integer.toString(h.db())));
                        db = h.db();
                        sent++;
                    }
                    if (h.expireAtMs() >= 0) {
                        c.send(bytes("RESTORE"), h.key(), bytes(Long.toString(h.expireAtMs())), payload, bytes("ABSTTL"));
                    } else {
                        c.send(bytes("RESTORE"), h.key(), bytes("0"), payload);
                    }
                    sent++;
                    restored++;
                }
                for (int k = 0; k < sent; k++) {
                    Object reply = c.reply();
                    if (!"OK".equals(reply)) {
                        problems.add(f.getFileName() + ": " + (reply instanceof Exception ex ? ex.getMessage() : reply));
                        break;
                    }
                }
                String d = redis.run("debug", "digest");
                if (!d.equals(originalDigest) && !KNOWN_DIGEST_DIFFERENCES.contains(f.getFileName() + "@10")) {
                    problems.add(f.getFileName() + ": DEBUG DIGEST after RESTORE " + d + " (original " + originalDigest + ")");
                }
                compared++;
            }
        }
        System.out.println("FixtureLoadIT: " + restored + " keys of " + compared + " fixtures RESTOREd from DumpPayload");
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
        assertTrue(compared > 50, "only " + compared + " fixtures compared");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
