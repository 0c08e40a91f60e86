package io.redkit.kv.server;

import java.io.IOException;
import java.util.List;

/** What the server needs from the persistence layer: SAVE, shutdown, INFO figures, and waiting for durability. */
public interface Persistence {
    /** Writes a snapshot now (SAVE / BGSAVE); returns the time it completed in unix seconds. */
    long save() throws IOException;

    /** Unix seconds of the last successful save, or the start time. */
    long lastSave();

    /** Called once at shutdown: flushes and fsyncs everything written. */
    void shutdown();

    /** Lines (key:value) of INFO's persistence section. */
    List<String> info();

    /** Rewrites the log compactly (BGREWRITEAOF); false when there is no log. */
    default boolean rewrite() throws IOException {
        return false;
    }
}
