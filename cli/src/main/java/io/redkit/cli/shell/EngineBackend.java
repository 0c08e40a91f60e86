package io.redkit.cli.shell;

import io.redkit.kv.KvEngine;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset held by the KV engine: a {@code kv:DIR} opened read-only, or an AOF replayed into a private engine
 * (an AOF is a log of commands, so its keys exist only once they are applied). Values come from the engine by
 * commands; the key index is built from the engine's snapshot.
 */
final class EngineBackend extends IndexedBackend {
    private final KvEngine engine;
    private final Closeable owner;
    private final String name;
    private final List<String[]> sourceInfo;
    private final CommandValues values;

    EngineBackend(KvEngine engine, Closeable owner, KeyIndex index, String name, List<String[]> sourceInfo) {
        super(index);
        this.engine = engine;
        this.owner = owner;
        this.name = name;
        this.sourceInfo = new ArrayList<>(sourceInfo);
        this.values = new CommandValues((db, argv) -> engine.execute(db, argv), false, name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    List<String[]> sourceInfo() {
        return sourceInfo;
    }

    @Override
    public boolean value(int db, byte[] key, ValueView view, boolean all) throws IOException {
        if (index.find(db, key) < 0) {
            return false;
        }
        return values.value(db, key, view, all);
    }

    @Override
    public void close() throws IOException {
        // a store closes its engine itself
        if (owner != null) {
            owner.close();
        } else {
            engine.close();
        }
    }
}
