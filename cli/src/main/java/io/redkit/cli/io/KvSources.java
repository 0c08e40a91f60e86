package io.redkit.cli.io;

import io.redkit.core.event.Event;
import io.redkit.core.sink.EventSource;
import io.redkit.kv.persist.KvStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code kv:DIR} as a source: the KV engine's data directory opened read-only (base and increments replayed into
 * a private engine, nothing written), read as a snapshot of that engine.
 */
public final class KvSources {
    /** The scheme prefix of a KV data directory. */
    public static final String PREFIX = "kv:";

    private KvSources() {
    }

    /** True for {@code kv:DIR}. */
    public static boolean isKv(String source) {
        return source != null && source.startsWith(PREFIX) && source.length() > PREFIX.length();
    }

    /** The directory of {@code kv:DIR}. */
    public static Path dir(String source) {
        return Path.of(source.substring(PREFIX.length()));
    }

    /** Opens the store read-only; a torn tail (left as it is) is reported on {@code err}. */
    public static KvStore openReadOnly(String source, PrintStream err) throws IOException {
        KvStore s = KvStore.open(dir(source), KvStore.Options.defaults().withReadOnly(true));
        KvStore.Recovery r = s.recovery();
        if (r.truncatedFile() != null && err != null) {
            err.println("redkit: warning: " + r.truncatedFile() + " ends with " + r.truncatedBytes()
                    + " byte(s) of an incomplete command (ignored; opening the store read-write cuts them)");
        }
        return s;
    }

    /** The data of {@code kv:DIR} as events (Begin, per database its keys, End); closing it closes the store. */
    public static EventSource open(String source, PrintStream err) throws IOException {
        KvStore store = openReadOnly(source, err);
        EventSource snap = store.engine().snapshot();
        return new EventSource() {
            @Override
            public Event next() throws IOException {
                return snap.next();
            }

            @Override
            public void skipValue() throws IOException {
                snap.skipValue();
            }

            @Override
            public void close() throws IOException {
                try {
                    snap.close();
                } finally {
                    store.close();
                }
            }
        };
    }
}
