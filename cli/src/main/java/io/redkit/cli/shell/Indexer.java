package io.redkit.cli.shell;

import io.redkit.core.event.Begin;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.EventSource;
import io.redkit.formats.memory.MemoryEstimator;

import java.io.IOException;

/**
 * Reads an event stream once and keeps only what the index holds: per key its header fields, the memory
 * estimate (running sums over the value parts as they stream past) and the key's byte offset.
 */
final class Indexer {
    /** What one pass found. */
    static final class Result {
        final KeyIndex index = new KeyIndex();
        Begin begin;
        /** True when the stream carried commands (an AOF, or an RDB preamble followed by commands). */
        boolean commands;
    }

    private Indexer() {
    }

    /**
     * Indexes {@code source} to its end; with {@code stopAtCommand} it returns at the first command (the caller
     * then loads the source into an engine instead).
     */
    static Result run(EventSource source, boolean stopAtCommand) throws IOException {
        Result r = new Result();
        MemoryEstimator est = new MemoryEstimator();
        KeyHeader cur = null;
        Event e;
        while ((e = source.next()) != null) {
            switch (e.kind()) {
                case BEGIN -> {
                    if (r.begin == null) {
                        r.begin = (Begin) e;
                    }
                }
                case KEY_START -> {
                    cur = ((KeyStart) e).header();
                    est.begin(cur);
                }
                case KEY_END -> {
                    if (cur != null) {
                        est.end();
                        r.index.add(cur.db(), cur.key(), cur.type(), cur.expireAtMs(), est.sizeInBytes(), cur.offset());
                        cur = null;
                    }
                }
                case COMMAND -> {
                    r.commands = true;
                    if (stopAtCommand) {
                        return r;
                    }
                }
                default -> {
                    if (cur != null) {
                        est.accept(e);
                    }
                }
            }
        }
        r.index.finish();
        return r;
    }
}
