package io.redkit.kv.server;

import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.kv.KvEngine;
import io.redkit.kv.KvLoader;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.writer.RdbWriter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Snapshot-only persistence: {@code DIR/dump.rdb} is loaded at start and written (to a temp file, fsynced, then
 * renamed) by SAVE, BGSAVE and at shutdown. Writes between snapshots are lost on a crash; it is the fallback when
 * no write log is configured.
 */
public final class SnapshotPersistence implements Persistence {
    private final KvEngine engine;
    private final Path file;
    private volatile long lastSave = System.currentTimeMillis() / 1000;
    private volatile String lastStatus = "ok";

    /** Persistence of the engine in {@code dir/dump.rdb}. */
    public SnapshotPersistence(KvEngine engine, Path dir) {
        this.engine = engine;
        this.file = dir.resolve("dump.rdb");
    }

    /** Loads {@code dump.rdb} into the engine when it exists; returns the number of keys after loading. */
    public long load() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            EventSource src = RdbReader.open(in, file.toString());
            Pipeline.run(src, KeyFilter.all(), new KvLoader(engine, KvLoader.OnExisting.REPLACE, true,
                    file.toString()));
        }
        long n = 0;
        for (int db = 0; db < KvEngine.DATABASES; db++) {
            n += engine.dbSize(db);
        }
        return n;
    }

    @Override
    public synchronized long save() throws IOException {
        Path tmp = file.resolveSibling("temp-" + ProcessHandle.current().pid() + ".rdb");
        try {
            try (FileChannel fc = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(fc), 1 << 16)) {
                EventSource snap = engine.snapshot();
                try {
                    RdbWriter w = new RdbWriter(out, RdbWriter.Options.defaults());
                    Pipeline.run(snap, KeyFilter.all(), w);
                    w.close();
                } finally {
                    snap.close();
                }
                out.flush();
                fc.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lastStatus = "ok";
            lastSave = System.currentTimeMillis() / 1000;
            return lastSave;
        } catch (IOException | RuntimeException e) {
            lastStatus = "err";
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    @Override
    public long lastSave() {
        return lastSave;
    }

    @Override
    public void shutdown() {
        try {
            save();
        } catch (IOException | RuntimeException e) {
            System.err.println("redkit kv serve: snapshot at shutdown failed: " + e.getMessage());
        }
    }

    @Override
    public List<String> info() {
        return List.of("rdb_last_save_time:" + lastSave, "rdb_last_bgsave_status:" + lastStatus,
                "aof_enabled:0", "redkit_persistence:snapshot");
    }
}
