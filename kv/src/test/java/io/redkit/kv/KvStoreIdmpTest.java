package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.event.Event;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StreamIdmp;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.sink.EventSource;
import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream idempotent-producer state in the store: kept by the loader, in the snapshot, and in a base written as
 * RDB 13 only while some stream has it (else the base stays at the version redis-server 7.0 loads).
 */
class KvStoreIdmpTest {
    private static final String FIXTURE = "rdb/librdb-stream_v13_idmp.rdb";

    @TempDir
    Path dir;

    @Test
    void idmpStateSurvivesARewriteAsRdb13AndTheBaseGoesBackWithoutIt() throws Exception {
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        KvStore.Options opts = KvStore.Options.defaults().withFsync(AofLog.Fsync.ALWAYS).withClock(clock);
        TreeMap<String, String> want = idmpOf(fixture());
        assertFalse(want.isEmpty(), "the fixture has producers");
        try (KvStore s = KvStore.open(dir, opts)) {
            KvLoader loader = new KvLoader(s.engine(), KvLoader.OnExisting.REPLACE, true, "fixture");
            s.unlogged(() -> {
                try (EventSource src = fixture()) {
                    Event e;
                    while ((e = src.next()) != null) {
                        loader.accept(e);
                    }
                }
                return null;
            });
            KvStore.RewriteStats st = s.lastRewrite();
            assertNotNull(st);
            assertTrue(st.ok(), st.error());
            assertEquals(13, st.rdbVersion());
            assertEquals(want, idmpOf(s.engine().snapshot()));
        }
        try (KvStore s = KvStore.open(dir, opts)) {
            assertEquals(want, idmpOf(s.engine().snapshot()), "read back from the RDB 13 base");
            assertEquals(13, s.rewrite().rdbVersion(), "a reopened store finds RDB 13 again");
            for (String key : want.keySet()) {
                Kv.run(s.engine(), 0, "DEL " + key);
            }
            assertEquals(13, s.rewrite().rdbVersion(), "the next rewrite still starts at RDB 13");
            assertEquals(10, s.rewrite().rdbVersion(), "no IDMP state left: back to RDB 10");
        }
        try (KvStore s = KvStore.open(dir, opts)) {
            assertTrue(idmpOf(s.engine().snapshot()).isEmpty());
            assertEquals(10, s.rewrite().rdbVersion());
        }
    }

    private static EventSource fixture() throws Exception {
        InputStream in = new BufferedInputStream(Files.newInputStream(Fixtures.file(FIXTURE)));
        return RdbReader.open(in, "fixture");
    }

    /** Key to its IDMP state, for streams with producers. */
    private static TreeMap<String, String> idmpOf(EventSource src) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        try (src) {
            String key = null;
            Event e;
            while ((e = src.next()) != null) {
                if (e instanceof KeyStart) {
                    key = new String(((KeyStart) e).header().key(), StandardCharsets.UTF_8);
                } else if (e instanceof StreamMeta && ((StreamMeta) e).idmp() != null
                        && !((StreamMeta) e).idmp().producers().isEmpty()) {
                    StreamIdmp i = ((StreamMeta) e).idmp();
                    StringBuilder sb = new StringBuilder().append(i.durationSeconds()).append('/')
                            .append(i.maxEntries()).append(' ').append(i.iidsAdded()).append('/')
                            .append(i.iidsDuplicates());
                    for (StreamIdmp.Producer p : i.producers()) {
                        sb.append(" producer ").append(new String(p.producerId(), StandardCharsets.UTF_8));
                        for (StreamIdmp.Recorded r : p.entries()) {
                            sb.append(' ').append(new String(r.iid(), StandardCharsets.UTF_8)).append('=')
                                    .append(r.id());
                        }
                    }
                    out.put(key, sb.toString());
                }
            }
        }
        return out;
    }
}
