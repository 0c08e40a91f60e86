package io.redkit.kv.server;

import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Persistence by the KV store's append-only log ({@link KvStore}: a Redis 7 {@code appendonlydir} with an RDB base
 * and logged increments). The engine waits for the log before a write's reply, so with {@code --fsync always} an
 * acknowledged write is on disk. SAVE, BGSAVE and BGREWRITEAOF rewrite the base; shutdown closes the log, which
 * writes and fsyncs everything appended.
 */
public final class StorePersistence implements Persistence {
    private final KvStore store;
    private volatile long lastSave = System.currentTimeMillis() / 1000;

    /** Opens (creating when missing) the store in {@code dir} with the fsync policy. */
    public StorePersistence(Path dir, String fsync) throws IOException {
        AofLog.Fsync f = AofLog.Fsync.valueOf(fsync.toUpperCase(Locale.ROOT));
        this.store = KvStore.open(dir, KvStore.Options.defaults().withFsync(f));
    }

    /** The store (its engine holds the data). */
    public KvStore store() {
        return store;
    }

    @Override
    public synchronized long save() throws IOException {
        KvStore.RewriteStats s = store.rewrite();
        if (!s.ok()) {
            throw new IOException(s.error());
        }
        lastSave = System.currentTimeMillis() / 1000;
        return lastSave;
    }

    @Override
    public boolean rewrite() throws IOException {
        Thread t = new Thread(() -> {
            try {
                save();
            } catch (IOException | RuntimeException e) {
                // the failure shows in INFO persistence (aof_last_bgrewrite_status)
            }
        }, "kv-bgrewriteaof");
        t.setDaemon(true);
        t.start();
        return true;
    }

    @Override
    public long lastSave() {
        return lastSave;
    }

    @Override
    public void shutdown() {
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("redkit kv serve: closing the log failed: " + e.getMessage());
        }
    }

    @Override
    public List<String> info() {
        List<String> l = new ArrayList<>();
        KvStore.Recovery r = store.recovery();
        KvStore.RewriteStats w = store.lastRewrite();
        l.add("aof_enabled:1");
        l.add("aof_rewrite_in_progress:0");
        l.add("aof_last_bgrewrite_status:" + (w == null || w.ok() ? "ok" : "err"));
        l.add("rdb_last_save_time:" + lastSave);
        AofLog log = store.log();
        l.add("aof_last_write_status:" + (log == null || log.failure() == null ? "ok" : "err"));
        if (r != null) {
            l.add("redkit_recovery_keys_loaded:" + r.keysLoaded());
            l.add("redkit_recovery_commands:" + r.commands());
            l.add("redkit_recovery_truncated_bytes:" + r.truncatedBytes());
        }
        l.add("redkit_aof_files:" + String.join(",", store.files()));
        return l;
    }
}
