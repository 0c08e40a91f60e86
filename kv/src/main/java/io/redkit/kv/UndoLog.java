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

    /**
     * Restores every saved key, latest save first, and empties the log. Strings, lists, sets, hashes (with field
     * TTLs) and sorted sets are restored by commands ({@code DEL}, then {@code SET}/{@code RPUSH}/{@code SADD}/
     * {@code HSET}+{@code HPEXPIREAT}/{@code ZADD}, then {@code PEXPIREAT}) run through
     * {@link KvEngine#executeDeferred}, so an attached write log records the undo as well (the caller awaits it
     * with {@link KvEngine#awaitDurable()}); a stream is put back directly, which a write log does not see.
     */
    public void rollback() {
        for (int i = saved.size() - 1; i >= 0; i--) {
            Saved s = saved.get(i);
            if (s.value instanceof KvStream) {
                restoreDirectly(s);
                continue;
            }
            run(s.db, List.of(DEL, s.key));
            if (s.value == null) {
                continue;
            }
            for (List<byte[]> cmd : recreate(s.key, s.value)) {
                run(s.db, cmd);
            }
            if (s.expireAt >= 0) {
                run(s.db, List.of(PEXPIREAT, s.key, Propagation.num(s.expireAt)));
            }
        }
        clear();
    }

    private static final byte[] DEL = Propagation.bytes("DEL");
    private static final byte[] PEXPIREAT = Propagation.bytes("PEXPIREAT");
    private static final int CHUNK = 256;

    private void run(int db, List<byte[]> argv) {
        Reply r = engine.executeDeferred(db, argv);
        if (r instanceof Reply.Error e) {
            throw new IllegalStateException("undo failed: " + e.text());
        }
    }

    /** Commands that rebuild the value under the key (which does not exist when they run). */
    private static List<List<byte[]>> recreate(byte[] key, Object value) {
        List<List<byte[]>> out = new ArrayList<>();
        if (value instanceof byte[] b) {
            out.add(List.of(Propagation.bytes("SET"), key, b));
        } else if (value instanceof KvList l) {
            List<byte[]> cmd = null;
            for (int i = 0; i < l.size(); i++) {
                if (cmd == null || cmd.size() >= CHUNK + 2) {
                    cmd = start(out, "RPUSH", key);
                }
                cmd.add(l.get(i));
            }
        } else if (value instanceof KvSet set) {
            List<byte[]> cmd = null;
            for (int i = set.members.nextSlot(0); i >= 0; i = set.members.nextSlot(i + 1)) {
                if (cmd == null || cmd.size() >= CHUNK + 2) {
                    cmd = start(out, "SADD", key);
                }
                cmd.add(set.members.keyAt(i));
            }
        } else if (value instanceof KvHash h) {
            List<byte[]> cmd = null;
            for (int i = h.fields.nextSlot(0); i >= 0; i = h.fields.nextSlot(i + 1)) {
                if (cmd == null || cmd.size() >= 2 * CHUNK + 2) {
                    cmd = start(out, "HSET", key);
                }
                cmd.add(h.fields.keyAt(i));
                cmd.add((byte[]) h.fields.valAt(i));
            }
            if (h.ttl != null) {
                for (int i = h.ttl.nextSlot(0); i >= 0; i = h.ttl.nextSlot(i + 1)) {
                    out.add(List.of(Propagation.bytes("HPEXPIREAT"), key, Propagation.num(h.ttl.valAt(i)),
                            Propagation.bytes("FIELDS"), Propagation.bytes("1"), h.ttl.keyAt(i)));
                }
            }
        } else if (value instanceof KvZSet z) {
            List<byte[]> cmd = null;
            for (KvZSet.Entry e : z.order) {
                if (cmd == null || cmd.size() >= 2 * CHUNK + 2) {
                    cmd = start(out, "ZADD", key);
                }
                cmd.add(Propagation.bytes(Floats.format(e.score)));
                cmd.add(e.member);
            }
        }
        return out;
    }

    private static List<byte[]> start(List<List<byte[]>> out, String name, byte[] key) {
        List<byte[]> cmd = new ArrayList<>();
        cmd.add(Propagation.bytes(name));
        cmd.add(key);
        out.add(cmd);
        return cmd;
    }

    private void restoreDirectly(Saved s) {
        Shard sh = engine.shard(s.db, s.key);
        Lock l = sh.lock.writeLock();
        l.lock();
        long before = sh.usedBytes();
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
            engine.memoryChanged(sh, before);
            l.unlock();
        }
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
