package io.redkit.rdb.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.StreamIdmp;
import io.redkit.core.event.StreamMeta;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The RDB 13 stream trailer: librdb's Redis 8.6 file with idempotent-producer state is rewritten at RDB 13,
 * read back to the same events, and its IDMP state is what the fixture's expected jsonl says.
 */
class StreamIdmpRewriteTest {
    private static final String FIXTURE = "rdb/librdb-stream_v13_idmp";

    @Test
    void idmpFixtureRewrittenAtRdb13ReadsBackTheSame() throws IOException {
        Path f = Fixtures.file(FIXTURE + ".rdb");
        List<Event> original;
        try (InputStream in = Files.newInputStream(f); RdbReader r = RdbReader.open(in, "fixture")) {
            original = readAll(r);
            assertEquals(13, r.version());
        }
        byte[] written = write(original, 13);
        List<Event> back;
        try (RdbReader r = RdbReader.open(new ByteArrayInputStream(written), "rewritten")) {
            back = readAll(r);
            assertEquals(13, r.version());
        }
        assertEquals(RdbWriterRoundTripProperties.canonical(original, 13),
                RdbWriterRoundTripProperties.canonical(back, 13));

        String expected = Files.readString(Fixtures.file(FIXTURE + ".expected.jsonl"), StandardCharsets.UTF_8);
        List<String> got = idmpJson(back);
        assertEquals(2, got.size());
        for (String s : got) {
            assertTrue(expected.contains(s), s + "\nnot in\n" + expected);
        }
    }

    @Test
    void producersAreRefusedBelowRdb13() throws IOException {
        List<Event> original;
        try (InputStream in = Files.newInputStream(Fixtures.file(FIXTURE + ".rdb"));
             RdbReader r = RdbReader.open(in, "fixture")) {
            original = readAll(r);
        }
        RedkitException e = assertThrows(RedkitException.class, () -> write(original, 12));
        assertEquals(ErrorKind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("needs RDB 13"), e.getMessage());
    }

    private static byte[] write(List<Event> events, int version) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (RdbWriter w = new RdbWriter(bo, RdbWriter.Options.builder().version(version).build())) {
            for (Event e : events) {
                if (!(e instanceof End)) {
                    w.accept(e);
                }
            }
            w.accept(new End(0, false, -1));
        }
        return bo.toByteArray();
    }

    /** The key field and the "stream_idmp" object in the expected jsonl's layout, for streams with producers. */
    private static List<String> idmpJson(List<Event> events) {
        List<String> out = new ArrayList<>();
        String key = null;
        for (Event e : events) {
            if (e instanceof KeyStart) {
                key = new String(((KeyStart) e).header().key(), StandardCharsets.UTF_8);
            } else if (e instanceof StreamMeta && ((StreamMeta) e).idmp() != null
                    && !((StreamMeta) e).idmp().producers().isEmpty()) {
                StreamIdmp i = ((StreamMeta) e).idmp();
                StringBuilder sb = new StringBuilder("\"stream_idmp\": {\"duration\": ").append(i.durationSeconds())
                        .append(", \"max_entries\": ").append(i.maxEntries()).append(", \"producers\": [");
                for (int p = 0; p < i.producers().size(); p++) {
                    StreamIdmp.Producer pr = i.producers().get(p);
                    sb.append(p == 0 ? "" : ", ").append("[\"")
                            .append(new String(pr.producerId(), StandardCharsets.UTF_8)).append("\", [");
                    for (int k = 0; k < pr.entries().size(); k++) {
                        StreamIdmp.Recorded rec = pr.entries().get(k);
                        sb.append(k == 0 ? "" : ", ").append("[\"")
                                .append(new String(rec.iid(), StandardCharsets.UTF_8)).append("\", \"")
                                .append(rec.id()).append("\"]");
                    }
                    sb.append("]]");
                }
                out.add("\"key\": \"" + key + "\"");
                out.add(sb.append("]}").toString());
            }
        }
        return out;
    }

    private static List<Event> readAll(RdbReader r) throws IOException {
        List<Event> all = new ArrayList<>();
        Event e;
        while ((e = r.next()) != null) {
            all.add(e);
        }
        return all;
    }
}
