package io.redkit.kv;

import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.Glob;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;

/**
 * The bundled KV engine: 16 databases of Redis-typed values in memory, each database split into shards with their
 * own read-write lock (key hash to shard; no global lock on the command path). Commands run through
 * {@link #execute(int, List)} with Redis's reply semantics; the engine keeps the argument arrays it stores, so a
 * caller must not modify them afterwards. Keys expire lazily (reads see an expired key as absent, the next write
 * deletes it) and by a sampled active cycle ({@link #activeExpireCycle(long)} or {@link #startActiveExpiry(long)}).
 */
public final class KvEngine implements AutoCloseable {
    /** Number of databases, as Redis's default. */
    public static final int DATABASES = 16;
    /** Shards per database by default. */
    public static final int DEFAULT_SHARDS = 64;

    final Clock clock;
    final Shard[][] dbs;
    final int shardBits;
    private final AtomicLong snapshotGen = new AtomicLong();
    volatile SnapshotState snapshot;
    private volatile Thread expiryThread;
    private volatile WriteLog writeLog;
    /** The per-key access clocks' mode (LRU or LFU reading), shared by every shard's keyspace. */
    final AccessClock access;
    /** {@link #usedMemory()} kept up to date by every change (the shards' differences), readable without a lock. */
    private final LongAdder memory = new LongAdder();
    private final Evictor evictor = new Evictor(this);
    private volatile long maxMemory;
    private volatile EvictionPolicy maxMemoryPolicy = EvictionPolicy.NOEVICTION;
    private volatile int maxMemorySamples = 5;
    /** The command being executed on this thread while a write log is attached. */
    private final ThreadLocal<LogContext> logContext = ThreadLocal.withInitial(LogContext::new);

    /** What {@link #execute} tells the write paths about the running command. */
    private static final class LogContext {
        List<byte[]> argv;
        Propagation.Rule rule;
        boolean logged;
        long ticket;
        /** The highest ticket of this thread's deferred commands not yet awaited. */
        long deferred;
        /** Depth of this thread's open write group (0: none) and the changes it logged so far. */
        int groupDepth;
        List<WriteLog.Entry> group;
    }

    /**
     * Open write groups hold the read side; what must not run inside a group of another thread (the start of a
     * snapshot, active expiry, eviction, whose changes would otherwise land before the group's in the log) takes
     * the write side. Only those paths touch it, never a plain command.
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock groupGate =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    /** An engine on the system clock with {@link #DEFAULT_SHARDS} shards per database. */
    public KvEngine() {
        this(Clock.SYSTEM, DEFAULT_SHARDS);
    }

    /** An engine on the given clock with {@link #DEFAULT_SHARDS} shards per database. */
    public KvEngine(Clock clock) {
        this(clock, DEFAULT_SHARDS);
    }

    /** An engine on the given clock with {@code shardsPerDb} shards (a power of two, 1..4096) per database. */
    public KvEngine(Clock clock, int shardsPerDb) {
        if (shardsPerDb < 1 || shardsPerDb > 4096 || Integer.bitCount(shardsPerDb) != 1) {
            throw new IllegalArgumentException("shardsPerDb must be a power of two in 1..4096: " + shardsPerDb);
        }
        this.clock = clock;
        this.access = new AccessClock(clock);
        this.shardBits = Integer.numberOfTrailingZeros(shardsPerDb);
        this.dbs = new Shard[DATABASES][shardsPerDb];
        for (int d = 0; d < DATABASES; d++) {
            for (int s = 0; s < shardsPerDb; s++) {
                dbs[d][s] = new Shard(d, s, access);
                memory.add(dbs[d][s].usedBytes());
            }
        }
    }

    /**
     * Runs one command (name and arguments, as a client sends them) against database {@code db} and returns Redis's
     * reply; errors are {@link Reply.Error} replies, never exceptions.
     */
    public Reply execute(int db, List<byte[]> argv) {
        return execute(db, argv, false);
    }

    /**
     * Like {@link #execute(int, List)} but returns without waiting for the write log: the caller must call
     * {@link #awaitDurable()} on the same thread before it acknowledges the reply (a server does so once per batch
     * of pipelined commands, so their log writes are grouped).
     */
    public Reply executeDeferred(int db, List<byte[]> argv) {
        return execute(db, argv, true);
    }

    /**
     * Waits until every change made by this thread's {@link #executeDeferred} calls so far was taken by the write
     * log (handed to the OS, fsynced if so configured); false when the log failed. True at once without a log.
     */
    public boolean awaitDurable() {
        WriteLog wl = writeLog;
        LogContext c = logContext.get();
        long t = c.deferred;
        c.deferred = 0;
        return wl == null || t == 0 || wl.await(t);
    }

    private Reply execute(int db, List<byte[]> argv, boolean defer) {
        if (db < 0 || db >= DATABASES) {
            return Reply.error("ERR DB index is out of range");
        }
        WriteLog wl = writeLog;
        if (wl == null || argv.isEmpty()) {
            return Commands.execute(this, db, argv);
        }
        LogContext c = logContext.get();
        c.argv = argv;
        c.rule = Propagation.rule(argv.get(0));
        c.logged = false;
        c.ticket = 0;
        Reply r;
        try {
            r = Commands.execute(this, db, argv);
        } finally {
            c.argv = null;
        }
        if (defer) {
            c.deferred = Math.max(c.deferred, c.ticket);
            return r;
        }
        // acknowledge only once the change is handed to the OS (and fsynced, if so configured)
        if (c.ticket != 0 && !wl.await(c.ticket)) {
            return Reply.error("MISCONF Errors writing to the append only file; the change was applied in memory"
                    + " but may not be persisted");
        }
        return r;
    }

    /**
     * Attaches a write log (null detaches it): from now on every change made through {@link #execute}, active
     * expiry and flushes is appended to it under the changed keys' locks, and {@link #execute} returns only after
     * the log took the change. Values installed by a loader are not logged (persist them with a snapshot).
     */
    public void writeLog(WriteLog log) {
        this.writeLog = log;
    }

    /**
     * Opens a write group on this thread (MULTI/EXEC, a script): the changes it makes until {@link #endGroup()}
     * reach the write log together, as one MULTI ... EXEC block when there are several (as Redis propagates a
     * transaction), so a crash never keeps a part of them. The caller keeps other writers of the group's keys out
     * until then (a server's exclusive lock does); the engine holds back its own active expiry, eviction by other
     * threads and the start of a snapshot. Groups nest: only the outermost end hands the changes over.
     */
    public void beginGroup() {
        LogContext c = logContext.get();
        if (c.groupDepth++ == 0) {
            groupGate.readLock().lock();
            c.group = new ArrayList<>();
        }
    }

    /**
     * Closes the group opened by {@link #beginGroup()} on this thread and hands its changes to the write log; as
     * after {@link #executeDeferred}, call {@link #awaitDurable()} before acknowledging them.
     */
    public void endGroup() {
        LogContext c = logContext.get();
        if (c.groupDepth == 0) {
            throw new IllegalStateException("no write group is open on this thread");
        }
        if (--c.groupDepth > 0) {
            return;
        }
        List<WriteLog.Entry> g = c.group;
        c.group = null;
        try {
            WriteLog wl = writeLog;
            if (wl != null && !g.isEmpty()) {
                long t = g.size() == 1 ? wl.append(g.get(0).db(), g.get(0).nowMs(), g.get(0).cutGen(), g.get(0).argv())
                        : wl.appendGroup(g);
                c.deferred = Math.max(c.deferred, t);
            }
        } finally {
            groupGate.readLock().unlock();
        }
    }

    /**
     * Forgets the changes the open write group on this thread logged so far, for a script whose writes were undone:
     * the undo restored the keys in memory, so neither the script's writes nor the undo's commands belong in the log
     * (the undo of a stream is not even expressible as commands).
     */
    public void discardGroupChanges() {
        LogContext c = logContext.get();
        if (c.groupDepth == 0) {
            throw new IllegalStateException("no write group is open on this thread");
        }
        c.group.clear();
    }

    /** Runs {@code action} while no write group is open (a log switch starting a snapshot uses it). */
    public <T> T outsideGroups(java.util.concurrent.Callable<T> action) throws Exception {
        boolean gate = lockGate(true);
        try {
            return action.call();
        } finally {
            unlockGate(gate);
        }
    }

    /**
     * Locks the write side of the group gate, so no other thread's group is open, and says so; a thread inside its
     * own group (a SAVE in MULTI) cannot wait for itself and locks nothing.
     */
    private boolean lockGate(boolean bounded) {
        if (logContext.get().groupDepth > 0) {
            return false;
        }
        if (!bounded) {
            groupGate.writeLock().lock();
            return true;
        }
        // a snapshot start may hold monitors a group's thread wants (a SAVE queued in MULTI while a background
        // rewrite starts): give up after a while instead of waiting for each other forever
        try {
            if (groupGate.writeLock().tryLock(GATE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("a transaction or script stayed open for " + GATE_WAIT_SECONDS
                + " s: the snapshot was not started");
    }

    private static final long GATE_WAIT_SECONDS = 10;

    /** True while a thread waits for the open write groups to end (for tests). */
    boolean waitingForGroups() {
        return groupGate.hasQueuedThreads();
    }

    private void unlockGate(boolean locked) {
        if (locked) {
            groupGate.writeLock().unlock();
        }
    }

    /** The generation of the latest snapshot started (0 before the first); see {@link WriteLog#append}. */
    public long lastSnapshotGeneration() {
        return snapshotGen.get();
    }

    /** Logs one command of the running {@link #execute}; called under the locks of the changed keys. */
    private void log(int db, long now, long cutGen, List<byte[]> argv) {
        WriteLog wl = writeLog;
        if (wl == null || argv == null) {
            return;
        }
        LogContext c = logContext.get();
        if (c.groupDepth > 0) {
            c.group.add(new WriteLog.Entry(db, now, cutGen, argv));
            return;
        }
        long t = wl.append(db, now, cutGen, argv);
        if (c.argv != null) {
            c.ticket = t;
        }
    }

    /** Logs a single-key write according to the running command's propagation rule. */
    private void logWrite(int db, Shard sh, KeyRef ref, Reply reply) {
        LogContext c = logContext.get();
        if (ref.expiredOnOpen) {
            log(db, ref.now, sh.copiedGen, Propagation.del(ref.key));
        }
        if (c.argv == null || reply instanceof Reply.Error) {
            return;
        }
        List<byte[]> out;
        switch (c.rule) {
            case STRING_STATE:
                out = Propagation.stringState(ref);
                break;
            case TTL_STATE:
                out = Propagation.ttlState(ref);
                break;
            case DEL_EACH:
                out = reply == Reply.integer(1) ? Propagation.del(ref.key) : null;
                break;
            case SPOP:
                out = Propagation.spop(ref.key, reply);
                break;
            case XADD:
                out = c.logged ? null : Propagation.xadd(c.argv, reply);
                break;
            case RESTORE:
                out = Propagation.restore(ref, c.argv);
                break;
            case XCLAIM:
                out = Propagation.xclaim(ref, c.argv, reply);
                break;
            case HSET_RESULT:
                out = Propagation.hsetResult(c.argv, reply);
                break;
            case NONE:
                out = null;
                break;
            default:
                out = c.logged ? null : c.argv;
                break;
        }
        if (out != null) {
            c.logged = true;
            log(db, ref.now, sh.copiedGen, out);
        }
    }

    /** Number of keys in the database, counting expired keys not yet removed (as Redis's DBSIZE). */
    public long dbSize(int db) {
        long n = 0;
        for (Shard sh : dbs[db]) {
            sh.lock.readLock().lock();
            try {
                n += sh.main.size();
            } finally {
                sh.lock.readLock().unlock();
            }
        }
        return n;
    }

    /**
     * Estimated heap bytes held by the data: per shard the hash-table arrays at their real capacity, plus for each
     * key its byte array, its value (strings: the array; collections: their tables, nodes and element arrays, kept
     * as running totals by each collection) and its expiry slot. Object sizes assume a 64-bit JVM with compressed
     * oops (12-byte headers, 8-byte alignment); JVM and GC overhead (free heap, card tables) is not included.
     */
    public long usedMemory() {
        long n = 0;
        for (Shard[] db : dbs) {
            for (Shard sh : db) {
                sh.lock.readLock().lock();
                try {
                    n += sh.usedBytes();
                } finally {
                    sh.lock.readLock().unlock();
                }
            }
        }
        return n;
    }

    /** Redis's reply to a command that may grow memory when the limit is reached and nothing can be evicted. */
    public static final Reply OOM = Reply.error("OOM command not allowed when used memory > 'maxmemory'.");

    /**
     * The estimate of {@link #usedMemory()} kept by every change, read without taking any lock (so it may miss
     * changes in flight on other threads); what the maxmemory limit is checked against.
     */
    public long usedMemoryEstimate() {
        return memory.sum();
    }

    /** Sets the memory limit in bytes of {@link #usedMemoryEstimate()}; 0 for none. */
    public void maxMemory(long bytes) {
        this.maxMemory = Math.max(0, bytes);
    }

    /** The memory limit in bytes, 0 when none. */
    public long maxMemory() {
        return maxMemory;
    }

    /**
     * Sets what happens at the limit; switching between an LFU and a non-LFU policy also switches the per-key access
     * clocks between counting and time, every key starting afresh (Redis reinterprets the old values instead).
     */
    public void maxMemoryPolicy(EvictionPolicy policy) {
        this.maxMemoryPolicy = java.util.Objects.requireNonNull(policy);
        if (access.lfu != policy.lfu()) {
            access.lfu = policy.lfu();
            // the clocks hold the other reading: start every key afresh rather than read one as the other
            resetAccessClocks();
        }
    }

    /** The policy at the memory limit. */
    public EvictionPolicy maxMemoryPolicy() {
        return maxMemoryPolicy;
    }

    /** Keys sampled per database per eviction round (Redis's maxmemory-samples, default 5; 1..64). */
    public void maxMemorySamples(int samples) {
        if (samples < 1 || samples > 64) {
            throw new IllegalArgumentException("maxmemory-samples must be in 1..64: " + samples);
        }
        this.maxMemorySamples = samples;
    }

    /** Keys sampled per database per eviction round. */
    public int maxMemorySamples() {
        return maxMemorySamples;
    }

    /** Told of each key eviction deleted (after its shard's lock is released). */
    @FunctionalInterface
    public interface EvictionListener {
        /** The key was evicted from the database. */
        void evicted(int db, byte[] key);
    }

    /**
     * Called before a command that may grow memory (Redis's denyoom commands): while {@link #usedMemoryEstimate()}
     * is over {@link #maxMemory()}, evicts one key at a time by the policy (each logged as a DEL, as Redis
     * propagates evictions). True when the command may run: no limit, under it, or brought under it; false when the
     * caller must refuse with {@link #OOM} (noeviction, or nothing left to evict). Lock-free when under the limit.
     */
    public boolean evictIfNeeded(EvictionListener listener) {
        long max = maxMemory;
        if (max <= 0 || memory.sum() <= max) {
            return true;
        }
        // in this thread's own group its evictions join the group
        boolean gate = lockGate(false);
        try {
            return evictor.evict(max, maxMemoryPolicy, maxMemorySamples, listener);
        } finally {
            unlockGate(gate);
        }
    }

    /**
     * Deletes a key chosen by eviction, if it is still there (and for a volatile policy still has a TTL): true when
     * it was deleted (or found expired, which frees it as well).
     */
    boolean evictKey(int db, byte[] key, boolean volatileOnly) {
        Shard sh = shard(db, key);
        Lock l = sh.lock.writeLock();
        l.lock();
        long before = sh.usedBytes();
        try {
            if (sh.main.find(key) < 0 || (volatileOnly && sh.expireOf(key) < 0)) {
                return false;
            }
            beforeWrite(sh);
            KeyRef ref = new KeyRef(sh, key, now(), runningGen());
            ref.delete();
            if (writeLog != null) {
                log(db, ref.now, sh.copiedGen, Propagation.del(key));
            }
            return true;
        } finally {
            memoryChanged(sh, before);
            l.unlock();
        }
    }

    /**
     * OBJECT IDLETIME ({@code freq} false: seconds since the last access, by the LRU clock) or OBJECT FREQ (the
     * decayed LFU counter) of a key, not counted as an access; -1 when the key does not exist.
     */
    long objectAccess(int db, byte[] key, boolean freq) {
        Shard sh = shard(db, key);
        Lock l = sh.lock.readLock();
        l.lock();
        try {
            long now = now();
            int slot = sh.main.find(key);
            if (slot < 0) {
                return -1;
            }
            long exp = sh.expireOf(key);
            if (exp >= 0 && exp <= now) {
                return -1;
            }
            int a = sh.main.access[slot];
            return freq ? AccessClock.decayed(a, now) : AccessClock.idleMs(a, now) / 1000;
        } finally {
            l.unlock();
        }
    }

    /**
     * Sets every key's access clock to now (LRU: accessed now; LFU: the initial count), as Redis gives the keys it
     * loads at start; a store calls it after recovery, whose replay ran on the logged clock.
     */
    public void resetAccessClocks() {
        for (Shard[] db : dbs) {
            for (Shard sh : db) {
                sh.lock.writeLock().lock();
                try {
                    int fresh = access.fresh(now());
                    KeyMap m = sh.main;
                    for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
                        m.access[i] = fresh;
                    }
                } finally {
                    sh.lock.writeLock().unlock();
                }
            }
        }
    }

    long now() {
        return clock.nowMs();
    }

    Shard shard(int db, byte[] key) {
        Shard[] s = dbs[db];
        return shardBits == 0 ? s[0] : s[OpenTable.hash(key) >>> (32 - shardBits)];
    }

    /** A read of one key's live value (null when absent or expired), under the shard's read lock. */
    interface ReadFn<R> {
        R apply(Object value, long expireAt, long now);
    }

    /** Reads the key as Redis's lookupKeyRead does: an access for eviction (LRU time, LFU counter). */
    <R> R read(int db, byte[] key, ReadFn<R> fn) {
        return read(db, key, true, fn);
    }

    /** Reads the key without counting an access (Redis's LOOKUP_NOTOUCH: TYPE, EXISTS, TTL, OBJECT). */
    <R> R readNoTouch(int db, byte[] key, ReadFn<R> fn) {
        return read(db, key, false, fn);
    }

    private <R> R read(int db, byte[] key, boolean touch, ReadFn<R> fn) {
        Shard sh = shard(db, key);
        Lock l = sh.lock.readLock();
        l.lock();
        try {
            long now = now();
            KeyMap m = sh.main;
            int slot = m.find(key);
            // the access clock is written under the read lock (see KeyMap): a lost update is harmless
            Object v = slot < 0 ? null : touch ? m.touchAt(slot, now) : m.vals[slot];
            long exp = v == null ? -1 : sh.expireOf(key);
            if (exp >= 0 && exp <= now) {
                v = null;
                exp = -1;
            }
            return fn.apply(v, exp, now);
        } finally {
            l.unlock();
        }
    }

    /** A write to one key, under the shard's write lock. */
    interface WriteFn {
        Reply apply(KeyRef ref);
    }

    Reply write(int db, byte[] key, WriteFn fn) {
        Shard sh = shard(db, key);
        Lock l = sh.lock.writeLock();
        l.lock();
        long before = sh.usedBytes();
        try {
            beforeWrite(sh);
            KeyRef ref = new KeyRef(sh, key, now(), runningGen());
            Reply r;
            try {
                r = fn.apply(ref);
            } catch (RuntimeException ex) {
                if (ref.expiredOnOpen && writeLog != null) {
                    log(db, ref.now, sh.copiedGen, Propagation.del(ref.key));
                }
                throw ex;
            }
            ref.touched();
            if (writeLog != null) {
                logWrite(db, sh, ref, r);
            }
            return r;
        } finally {
            memoryChanged(sh, before);
            l.unlock();
        }
    }

    /** Adds a shard's change of {@link Shard#usedBytes()} to the running total; under the shard's write lock. */
    void memoryChanged(Shard sh, long before) {
        long d = sh.usedBytes() - before;
        if (d != 0) {
            memory.add(d);
        }
    }

    /** Opens keys of a multi-key write; all their shards are locked. */
    interface MultiFn {
        Reply apply(java.util.function.Function<byte[], KeyRef> open);
    }

    /**
     * A write to several keys, atomic: the distinct shards of the keys are write-locked in index order (so two
     * multi-key writes never deadlock), then each key is opened as needed. Refs must use only the eager methods.
     */
    Reply writeMulti(int db, List<byte[]> keys, MultiFn fn) {
        Shard[] all = dbs[db];
        boolean[] need = new boolean[all.length];
        for (byte[] k : keys) {
            need[shard(db, k).index] = true;
        }
        int locked = 0;
        long before = 0;
        try {
            for (int i = 0; i < all.length; i++) {
                if (need[i]) {
                    all[i].lock.writeLock().lock();
                    locked = i + 1;
                    before += all[i].usedBytes();
                }
            }
            // one read of the running snapshot for all shards, so the write is wholly in it or wholly out
            SnapshotState s = snapshot;
            int first = -1;
            for (int i = 0; i < all.length; i++) {
                if (need[i]) {
                    beforeWrite(all[i], s);
                    first = first < 0 ? i : first;
                }
            }
            long now = now();
            long gen = s == null ? 0 : s.gen;
            if (writeLog == null) {
                return fn.apply(k -> new KeyRef(shard(db, k), k, now, gen));
            }
            List<KeyRef> opened = new ArrayList<>(keys.size());
            Reply r = fn.apply(k -> {
                KeyRef ref = new KeyRef(shard(db, k), k, now, gen);
                opened.add(ref);
                return ref;
            });
            long cut = first < 0 ? 0 : all[first].copiedGen;
            for (KeyRef ref : opened) {
                if (ref.expiredOnOpen) {
                    log(db, now, cut, Propagation.del(ref.key));
                }
            }
            LogContext c = logContext.get();
            if (c.argv != null && !(r instanceof Reply.Error) && !c.logged && c.rule != Propagation.Rule.NONE) {
                c.logged = true;
                log(db, now, cut, c.argv);
            }
            return r;
        } finally {
            long after = 0;
            for (int i = 0; i < locked; i++) {
                if (need[i]) {
                    after += all[i].usedBytes();
                }
            }
            if (after != before) {
                memory.add(after - before);
            }
            for (int i = 0; i < locked; i++) {
                if (need[i]) {
                    all[i].lock.writeLock().unlock();
                }
            }
        }
    }

    /**
     * MOVE: the key with its TTL from one database to another, atomically (both shards write-locked, in database
     * then index order as every multi-shard lock is taken); false when it is absent or the target has the key.
     */
    boolean move(int from, int to, byte[] key) {
        Shard a = shard(from, key);
        Shard b = shard(to, key);
        boolean aFirst = from < to;
        Shard first = aFirst ? a : b;
        Shard second = aFirst ? b : a;
        first.lock.writeLock().lock();
        try {
            second.lock.writeLock().lock();
            long before = a.usedBytes() + b.usedBytes();
            try {
                SnapshotState s = snapshot;
                beforeWrite(a, s);
                beforeWrite(b, s);
                long now = now();
                long gen = s == null ? 0 : s.gen;
                KeyRef src = new KeyRef(a, key, now, gen);
                KeyRef dst = new KeyRef(b, key, now, gen);
                if (writeLog != null) {
                    if (src.expiredOnOpen) {
                        log(from, now, a.copiedGen, Propagation.del(key));
                    }
                    if (dst.expiredOnOpen) {
                        log(to, now, b.copiedGen, Propagation.del(key));
                    }
                }
                if (!src.exists() || dst.exists()) {
                    return false;
                }
                Object v = src.value();
                long exp = src.expireAt();
                src.delete();
                dst.setClearTtl(v);
                if (exp >= 0) {
                    dst.expireAt(exp);
                }
                LogContext c = logContext.get();
                if (writeLog != null && c.argv != null && !c.logged) {
                    c.logged = true;
                    log(from, now, a.copiedGen, c.argv);
                }
                return true;
            } finally {
                long d = a.usedBytes() + b.usedBytes() - before;
                if (d != 0) {
                    memory.add(d);
                }
                second.lock.writeLock().unlock();
            }
        } finally {
            first.lock.writeLock().unlock();
        }
    }

    /**
     * Installs a whole value (from a loader): false when the key exists and {@code replace} is false. A value that
     * is empty or already expired is not installed (and a replaced key is then gone, as after RESTORE of it).
     */
    boolean install(int db, byte[] key, Object value, long expireAt, boolean replace) {
        Shard sh = shard(db, key);
        Lock l = sh.lock.writeLock();
        l.lock();
        long before = sh.usedBytes();
        try {
            beforeWrite(sh);
            KeyRef r = new KeyRef(sh, key, now(), runningGen());
            if (r.exists()) {
                if (!replace) {
                    return false;
                }
                r.delete();
            }
            r.setClearTtl(value);
            if (expireAt >= 0) {
                r.expireAt(expireAt);
            }
            r.touched();
            return true;
        } finally {
            memoryChanged(sh, before);
            l.unlock();
        }
    }

    /** True when the key exists (live) in the database. */
    boolean exists(int db, byte[] key) {
        return read(db, key, (v, x, now) -> v != null);
    }

    /** Called under the shard's write lock before any change: hands the running snapshot its copy first. */
    void beforeWrite(Shard sh) {
        beforeWrite(sh, snapshot);
    }

    private void beforeWrite(Shard sh, SnapshotState s) {
        if (s != null && sh.copiedGen < s.gen) {
            s.copies.set(sh.db * dbs[0].length + sh.index, sh.copy(s.gen));
            sh.copiedGen = s.gen;
        }
    }

    /** The generation of the running snapshot, or 0. */
    long runningGen() {
        SnapshotState s = snapshot;
        return s == null ? 0 : s.gen;
    }

    /**
     * Empties one database atomically: all its shards are write-locked in index order (as a multi-key write
     * locks them), so a snapshot or a write log sees the flush wholly before or after any other write.
     */
    void flush(int db) {
        Shard[] all = dbs[db];
        int locked = 0;
        try {
            for (Shard sh : all) {
                sh.lock.writeLock().lock();
                locked++;
            }
            SnapshotState s = snapshot;
            for (Shard sh : all) {
                beforeWrite(sh, s);
                long before = sh.usedBytes();
                sh.clear();
                memoryChanged(sh, before);
            }
            if (writeLog != null) {
                log(db, now(), all[0].copiedGen, FLUSHDB);
            }
        } finally {
            for (int i = 0; i < locked; i++) {
                all[i].lock.writeLock().unlock();
            }
        }
    }

    private static final List<byte[]> FLUSHDB = List.of(Propagation.bytes("FLUSHDB"));

    /** The result of one SCAN call. */
    record ScanResult(long cursor, List<byte[]> keys) {
    }

    /**
     * A random live key of the database, or null when it has none: a shard drawn in proportion to its size, then a
     * random slot under its read lock; expired keys are redrawn, up to a bound (then null, as an all-expired db).
     */
    byte[] randomKey(int db) {
        Shard[] shards = dbs[db];
        java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            long total = dbSize(db);
            if (total == 0) {
                return null;
            }
            long pick = rnd.nextLong(total);
            for (Shard sh : shards) {
                Lock l = sh.lock.readLock();
                l.lock();
                try {
                    int n = sh.main.size();
                    if (pick >= n) {
                        pick -= n;
                        continue;
                    }
                    byte[] k = sh.main.keyAt(sh.main.randomSlot(rnd));
                    long exp = sh.expireOf(k);
                    if (exp < 0 || exp > now()) {
                        return k;
                    }
                    break;
                } finally {
                    l.unlock();
                }
            }
        }
        return null;
    }

    /**
     * One SCAN step. The cursor is (table cursor << shard bits | shard): shards are walked in order, each with
     * Redis's reverse-binary cursor over its table, so every key present for the whole scan is returned at least
     * once whatever is inserted, deleted or rehashed meanwhile. {@code count} bounds the home slots visited.
     */
    ScanResult scan(int db, long cursor, long count, Glob match, String type) {
        Shard[] shards = dbs[db];
        int shardIdx = (int) (cursor & ((1L << shardBits) - 1));
        long tableCursor = cursor >>> shardBits;
        List<byte[]> out = new ArrayList<>();
        long work = 0;
        while (true) {
            Shard sh = shards[shardIdx];
            Lock l = sh.lock.readLock();
            l.lock();
            try {
                long now = now();
                ObjMap m = sh.main;
                if (m.size() == 0) {
                    tableCursor = 0;
                }
                while (tableCursor != 0 || m.size() > 0) {
                    tableCursor = m.scan(tableCursor, slot -> {
                        byte[] k = m.keyAt(slot);
                        long exp = sh.expireOf(k);
                        if (exp >= 0 && exp <= now) {
                            return;
                        }
                        if (match != null && !match.matches(k)) {
                            return;
                        }
                        if (type != null && !KvValue.typeName(m.valAt(slot)).equals(type)) {
                            return;
                        }
                        out.add(k);
                    });
                    work++;
                    if (tableCursor == 0 || work >= count) {
                        break;
                    }
                }
            } finally {
                l.unlock();
            }
            if (tableCursor == 0) {
                shardIdx++;
                if (shardIdx == shards.length) {
                    return new ScanResult(0, out);
                }
            }
            if (work >= count) {
                return new ScanResult(tableCursor << shardBits | shardIdx, out);
            }
        }
    }

    /**
     * One active expiry cycle, Redis-style: per database, sample 20 keys with a TTL (from random shards), delete the
     * expired ones, and repeat while more than a quarter of the sample had expired, within {@code budgetMicros}.
     * Never a full scan. Returns the number of keys deleted.
     */
    public long activeExpireCycle(long budgetMicros) {
        if (!groupGate.writeLock().tryLock()) {
            return 0; // a write group is open: its keys may not change under it; the next cycle catches up
        }
        try {
            return activeExpireCycleOutsideGroups(budgetMicros);
        } finally {
            groupGate.writeLock().unlock();
        }
    }

    private long activeExpireCycleOutsideGroups(long budgetMicros) {
        long deadline = System.nanoTime() + budgetMicros * 1000;
        long deleted = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int d = 0; d < DATABASES; d++) {
            Shard[] shards = dbs[d];
            while (true) {
                int sampled = 0;
                int expired = 0;
                for (int attempt = 0; attempt < 20 * 4 && sampled < 20; attempt++) {
                    Shard sh = shards[rnd.nextInt(shards.length)];
                    if (sh.expires.size() == 0) {
                        // racy peek to skip empty shards cheaply; a miss only delays expiry to a later cycle
                        continue;
                    }
                    Lock l = sh.lock.writeLock();
                    l.lock();
                    long before = sh.usedBytes();
                    try {
                        if (sh.expires.size() == 0) {
                            continue;
                        }
                        long now = now();
                        for (int k = 0; k < 4 && sampled < 20 && sh.expires.size() > 0; k++) {
                            int slot = sh.expires.randomSlot(rnd);
                            sampled++;
                            if (sh.expires.valAt(slot) <= now) {
                                beforeWrite(sh);
                                byte[] dead = sh.expires.keyAt(slot);
                                new KeyRef(sh, dead, now, 0);
                                expired++;
                                if (writeLog != null) {
                                    // propagated as a DEL, as Redis does, so a replay needs no clock
                                    log(d, now, sh.copiedGen, Propagation.del(dead));
                                }
                            }
                        }
                    } finally {
                        memoryChanged(sh, before);
                        l.unlock();
                    }
                }
                deleted += expired;
                if (sampled == 0 || expired * 4 <= sampled || System.nanoTime() > deadline) {
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        return deleted;
    }

    /**
     * Starts a daemon thread running {@link #activeExpireCycle(long)} every {@code periodMs} with a budget of a
     * quarter of the period (Redis's default of hz 10 and 25% CPU is 100 ms). Stopped by {@link #close()}.
     */
    public synchronized void startActiveExpiry(long periodMs) {
        if (expiryThread != null) {
            return;
        }
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                activeExpireCycle(periodMs * 250);
                try {
                    Thread.sleep(periodMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "kv-active-expiry");
        t.setDaemon(true);
        t.start();
        expiryThread = t;
    }

    /**
     * A point-in-time snapshot of all databases as an event stream (Begin, per database SelectDb and its keys with
     * TTLs and field TTLs, End), e.g. for {@code RdbWriter}. See {@link SnapshotSource} for how writers are kept
     * going. One snapshot at a time; close the source to end it early.
     */
    public synchronized EventSource snapshot() {
        if (snapshot != null) {
            throw new IllegalStateException("a snapshot is already running");
        }
        // never inside another thread's write group: the snapshot would hold a part of it
        boolean gate = lockGate(true);
        try {
            SnapshotState s = new SnapshotState(snapshotGen.incrementAndGet(), now(), DATABASES * dbs[0].length);
            snapshot = s;
            return new SnapshotSource(this, s);
        } finally {
            unlockGate(gate);
        }
    }

    synchronized void endSnapshot(SnapshotState s) {
        if (snapshot == s) {
            snapshot = null;
        }
    }

    /** The copy of a shard for the snapshot: the one a writer made, else made now under the read lock. */
    Shard.ShardCopy copyFor(SnapshotState s, int db, int index) {
        int slot = db * dbs[0].length + index;
        Shard.ShardCopy c = s.copies.getAndSet(slot, null);
        if (c != null) {
            return c;
        }
        Shard sh = dbs[db][index];
        Lock l = sh.lock.readLock();
        l.lock();
        try {
            c = s.copies.getAndSet(slot, null);
            if (c != null) {
                return c;
            }
            if (sh.copiedGen < s.gen) {
                sh.copiedGen = s.gen;
                return sh.copy(s.gen);
            }
            throw new IllegalStateException("shard copy lost");
        } finally {
            l.unlock();
        }
    }

    /** A running snapshot: its generation, start time, and the shard copies writers made before changing them. */
    static final class SnapshotState {
        final long gen;
        final long timeMs;
        final AtomicReferenceArray<Shard.ShardCopy> copies;

        SnapshotState(long gen, long timeMs, int shards) {
            this.gen = gen;
            this.timeMs = timeMs;
            this.copies = new AtomicReferenceArray<>(shards);
        }
    }

    /** Stops the active expiry thread. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = expiryThread;
            expiryThread = null;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
