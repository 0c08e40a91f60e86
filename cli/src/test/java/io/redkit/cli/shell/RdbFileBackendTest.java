package io.redkit.cli.shell;

import io.redkit.aof.SourceOptions;
import io.redkit.aof.Sources;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a value by seeking to the key's offset gives exactly what a pass over the whole file gives. */
class RdbFileBackendTest {
    @Test
    void aPassFindsAKeyNearTheEndOfAFile() throws IOException {
        String small = Fixtures.file("rdb/r70-small.rdb").toString();
        try (Backend b = Backends.open(small, SourceOptions.defaults(), false, new PrintStream(PrintStream.nullOutputStream()))) {
            RdbFileBackend rb = (RdbFileBackend) b;
            assertEquals("field  value\nf1     v1\nf2     v2\n", render(v -> rb.readByPass(0, "zeta".getBytes(), v)));
            assertEquals("(none)", rb.readByPass(0, "nope".getBytes(), new ValueView(new PrintWriter(new StringWriter()),
                    new Style(false), 1, 1)) ? "found" : "(none)");
        }
    }

    @Test
    void seekingToEveryKeyOfEveryFixtureEqualsAPassOverTheFile() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Fixtures.root().resolve("rdb"), "*.rdb")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        long keys = 0;
        long seeks = 0;
        int opened = 0;
        for (Path f : files) {
            Backend b;
            try {
                if (Sources.detect(f.toString()) != Sources.Kind.RDB) {
                    continue;
                }
                b = Backends.open(f.toString(), SourceOptions.defaults(), false, new PrintStream(PrintStream.nullOutputStream()));
            } catch (IOException e) {
                // files the reader rejects (RDB versions it does not read without --allow-future-version...)
                continue;
            }
            try (b) {
                if (!(b instanceof RdbFileBackend rb)) {
                    continue;
                }
                opened++;
                KeyIndex ix = rb.index;
                // every value as one pass over the file renders it, then each one read by seeking to its key
                Map<String, String> byPass = new HashMap<>();
                try (EventSource src = Sources.open(f.toString(), SourceOptions.defaults())) {
                    Event e;
                    StringWriter sw = null;
                    ValueView view = null;
                    EventValues values = null;
                    KeyHeader h = null;
                    while ((e = src.next()) != null) {
                        if (e.kind() == EventKind.KEY_START) {
                            h = ((KeyStart) e).header();
                            sw = new StringWriter();
                            view = new ValueView(new PrintWriter(sw), new Style(false), Long.MAX_VALUE, Long.MAX_VALUE);
                            values = new EventValues(view, h.type());
                        } else if (e.kind() == EventKind.KEY_END) {
                            view.finish();
                            byPass.put(h.db() + "/" + Text.arg(h.key()), sw.toString());
                            h = null;
                        } else if (h != null) {
                            values.accept(e);
                        }
                    }
                }
                for (int i = 0; i < ix.size(); i++) {
                    final int idx = i;
                    byte[] key = ix.key(i);
                    String bySeek = render(v -> rb.value(ix.db(idx), key, v, true), f.getFileName() + " " + Text.arg(key));
                    assertEquals(byPass.get(ix.db(i) + "/" + Text.arg(key)), bySeek, f.getFileName() + " key " + Text.arg(key));
                    keys++;
                }
                seeks += rb.reads()[0];
            }
        }
        assertTrue(opened > 40, "fixture RDB files opened: " + opened);
        assertTrue(keys > 3000, "keys compared: " + keys);
        // nearly all values must come from the seek, not from the fallback
        assertTrue(seeks > keys * 9 / 10, seeks + " of " + keys + " values read by seeking");
    }

    @FunctionalInterface
    interface Fill {
        boolean fill(ValueView v) throws IOException;
    }

    private static String render(Fill f) throws IOException {
        return render(f, "");
    }

    private static String render(Fill f, String what) throws IOException {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        ValueView v = new ValueView(pw, new Style(false), Long.MAX_VALUE, Long.MAX_VALUE);
        assertTrue(f.fill(v), "not found: " + what);
        v.finish();
        return sw.toString();
    }
}
