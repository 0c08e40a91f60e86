package io.redkit.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * Before-images of keys, so a group of writes can be undone (a Lua script that fails leaves no partial writes).
 * {@link #save} copies a key's value and TTL the first time the key is named; {@link #rollback} puts every saved
 * key back, latest first. The caller keeps other writers out meanwhile (the server's script lock); each save and
 * restore still takes the key's shard lock so readers and snapshots stay consistent.
 */
public final class UndoLog {
    private record Saved(int db, byte[] key, Object value, long expireAt) {
    }

    private final KvEngine engine;
    private final List<Saved> saved = new ArrayList<>();
    private final java.util.Set<String> seen = new java.util.HashSet<>();

    /** An empty log for the engine. */
    public UndoLog(KvEngine engine) {
        this.engine = engine;
    }

    /** Records the key's current state unless it was already recorded (collections are copied, O(size)). */
    public void save(int db, byte[] key) {
        if (!seen.add(db + ":" + java.util.Base64.getEncoder().encodeToString(key))) {
            return;
        }
        Shard sh = engine.shard(db, key);
        Lock l = sh.lock.readLock();
        l.lock();
        try {
            long now = engine.now();
            Object v = sh.main.get(key);
            long exp = v == null ? -1 : sh.expireOf(key);
            if (exp >= 0 && exp <= now) {
                v = null;
                exp = -1;
            }
            Object copy = v instanceof KvValue kv ? kv.copy() : v;
            saved.add(new Saved(db, key.clone(), copy, exp));
        } finally {
            l.unlock();
        }
    }

    /** Restores every saved key, latest save first, and empties the log. */
    public void rollback() {
        for (int i = saved.size() - 1; i >= 0; i--) {
            Saved s = saved.get(i);
            Shard sh = engine.shard(s.db, s.key);
            Lock l = sh.lock.writeLock();
            l.lock();
            try {
                engine.beforeWrite(sh);
                KeyRef r = new KeyRef(sh, s.key, engine.now(), engine.runningGen());
                r.delete();
                if (s.value != null) {
                    r.setClearTtl(s.value);
                    if (s.expireAt >= 0) {
                        r.expireAt(s.expireAt);
                    }
                }
                r.touched();
            } finally {
                l.unlock();
            }
        }
        clear();
    }

    /** Forgets the saved state (the writes are kept). */
    public void clear() {
        saved.clear();
        seen.clear();
    }

    /** Number of keys saved. */
    public int size() {
        return saved.size();
    }
}
