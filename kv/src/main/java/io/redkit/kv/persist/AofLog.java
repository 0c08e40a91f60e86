package io.redkit.kv.persist;

import io.redkit.core.sink.EventSource;
import io.redkit.kv.KvEngine;
import io.redkit.kv.WriteLog;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's append-only log: commands arrive under the engine's key locks ({@link #append}, a memory copy) and
 * are written by whichever acknowledging writer finds no write in progress (group commit: one {@code write} and,
 * with {@link Fsync#ALWAYS}, one {@code fsync} per batch of waiting writers). A background thread hands leftovers
 * to the OS every 100 ms and fsyncs once a second under {@link Fsync#EVERYSEC}. More than {@code maxPending}
 * unwritten bytes make appenders write or wait (back-pressure; nothing is dropped). The clock of each command is
 * kept as a {@code PING redkit:t:<ms>} record before it when it changed, so a replay runs each command at the time
 * it ran (Redis replays a PING as a no-op).
 */
public final class AofLog implements WriteLog, Closeable {
    /** When the log is fsynced, as Redis's {@code appendfsync}. */
    public enum Fsync {
        /** Before each acknowledgement (one fsync per batch of writers). */
        ALWAYS,
        /** Once a second, by a background thread. */
        EVERYSEC,
        /** Never; the OS decides. */
        NO
    }

    static final String TIME_PREFIX = "redkit:t:";
    static final String REPL_PREFIX = "redkit:repl:";
    private static final byte[] PING = {'P', 'I', 'N', 'G'};
    private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};
    private static final List<byte[]> MULTI = List.of(new byte[] {'M', 'U', 'L', 'T', 'I'});
    private static final List<byte[]> EXEC = List.of(new byte[] {'E', 'X', 'E', 'C'});

    /** One open increment file and what it was last told (db, time), so SELECT and time records come only on change. */
    private static final class Target {
        final Path path;
        final FileChannel ch;
        Buf pending = new Buf();
        Buf spare = new Buf();
        int lastDb = -1;
        long lastNow = Long.MIN_VALUE;

        Target(Path path) throws IOException {
            this.path = path;
            this.ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
    }

    private final Fsync fsync;
    private final long maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread background;

    private Target current;
    private Target next;
    private long switchGen = Long.MAX_VALUE;
    private long tickets;
    private long durable;
    private boolean writing;
    private long pendingBytes;
    private IOException failure;
    private volatile boolean closed;
    private volatile long lastFsyncNanos = System.nanoTime();
    private long bytesWritten;
    private long fsyncs;

    /** A log appending to {@code incr} (created if missing). */
    public AofLog(Path incr, Fsync fsync, long maxPendingBytes) throws IOException {
        this.fsync = fsync;
        this.maxPending = maxPendingBytes;
        this.current = new Target(incr);
        this.background = new Thread(this::backgroundLoop, "kv-aof-" + incr.getFileName());
        background.setDaemon(true);
        background.start();
    }

    /** The fsync policy. */
    public Fsync fsync() {
        return fsync;
    }

    /** The file being appended to (the new increment once a rewrite began). */
    public Path currentFile() {
        lock.lock();
        try {
            return next != null ? next.path : current.path;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes handed to the OS so far and fsyncs done, for statistics. */
    public long[] stats() {
        lock.lock();
        try {
            return new long[] {bytesWritten, fsyncs};
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long append(int db, long nowMs, long cutGen, List<byte[]> argv) {
        lock.lock();
        try {
            backPressure();
            Target t = next != null && cutGen >= switchGen ? next : current;
            int before = t.pending.size;
            encodeAt(t, db, nowMs, argv);
            pendingBytes += t.pending.size - before;
            return ++tickets;
        } finally {
            lock.unlock();
        }
    }

    /** The command with the SELECT and time records it needs, into the target's pending bytes; under the lock. */
    private static void encodeAt(Target t, int db, long nowMs, List<byte[]> argv) {
        if (t.lastDb != db) {
            encode(t.pending, List.of(SELECT, Long.toString(db).getBytes(StandardCharsets.US_ASCII)));
            t.lastDb = db;
        }
        if (t.lastNow != nowMs) {
            encode(t.pending, List.of(PING, (TIME_PREFIX + nowMs).getBytes(StandardCharsets.US_ASCII)));
            t.lastNow = nowMs;
        }
        encode(t.pending, argv);
    }

    /**
     * The group as {@code MULTI}, its commands (with their SELECT and time records), {@code EXEC}, appended to the
     * pending bytes at once under the lock: a write hands the OS all of it or none, and a crash in the middle of
     * that write leaves a tail ending inside MULTI, which recovery drops as Redis's loader does.
     */
    @Override
    public long appendGroup(List<Entry> entries) {
        lock.lock();
        try {
            backPressure();
            long cutGen = Long.MIN_VALUE;
            for (Entry e : entries) {
                cutGen = Math.max(cutGen, e.cutGen());
            }
            Target t = next != null && cutGen >= switchGen ? next : current;
            int before = t.pending.size;
            encode(t.pending, MULTI);
            for (Entry e : entries) {
                encodeAt(t, e.db(), e.nowMs(), e.argv());
            }
            encode(t.pending, EXEC);
            pendingBytes += t.pending.size - before;
            return ++tickets;
        } finally {
            lock.unlock();
        }
    }

    /** Appends a replication position record ({@code PING redkit:repl:<id>:<offset>:<db>}) and waits for it. */
    public boolean appendReplication(String position) {
        long t;
        lock.lock();
        try {
            backPressure();
            Target tg = next != null ? next : current;
            int before = tg.pending.size;
            encode(tg.pending, List.of(PING, (REPL_PREFIX + position).getBytes(StandardCharsets.US_ASCII)));
            pendingBytes += tg.pending.size - before;
            t = ++tickets;
        } finally {
            lock.unlock();
        }
        return await(t);
    }

    private void backPressure() {
        while (pendingBytes > maxPending && failure == null && !closed) {
            if (!writing) {
                drainOnce();
            } else {
                changed.awaitUninterruptibly();
            }
        }
    }

    @Override
    public boolean await(long ticket) {
        lock.lock();
        try {
            while (durable < ticket) {
                if (failure != null) {
                    return false;
                }
                if (!writing) {
                    drainOnce();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything appended so far is handed to the OS; false when the log failed. */
    public boolean flush() {
        long t;
        lock.lock();
        try {
            t = tickets;
        } finally {
            lock.unlock();
        }
        return await(t);
    }

    /**
     * Writes the pending bytes of both targets; called with the lock held and no write running. The lock is
     * released during the IO so appenders go on filling the other buffers.
     */
    private void drainOnce() {
        writing = true;
        Target a = current;
        Target b = next;
        Buf ba = a.pending;
        a.pending = a.spare;
        a.spare = ba;
        Buf bb = null;
        if (b != null) {
            bb = b.pending;
            b.pending = b.spare;
            b.spare = bb;
        }
        long upTo = tickets;
        long bytes = ba.size + (bb == null ? 0 : bb.size);
        boolean sync = fsync == Fsync.ALWAYS;
        lock.unlock();
        IOException err = null;
        try {
            writeAll(a.ch, ba);
            if (bb != null) {
                writeAll(b.ch, bb);
            }
            if (sync && bytes > 0) {
                a.ch.force(false);
                if (b != null) {
                    b.ch.force(false);
                }
            }
        } catch (IOException e) {
            err = e;
        } finally {
            ba.size = 0;
            if (bb != null) {
                bb.size = 0;
            }
            lock.lock();
            writing = false;
            if (err != null) {
                failure = err;
            } else {
                durable = Math.max(durable, upTo);
                bytesWritten += bytes;
                if (sync && bytes > 0) {
                    fsyncs++;
                }
            }
            pendingBytes -= bytes;
            changed.signalAll();
        }
    }

    private static void writeAll(FileChannel ch, Buf b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b.bytes, 0, b.size);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    private void backgroundLoop() {
        while (!closed) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                if (pendingBytes > 0 && !writing && failure == null) {
                    drainOnce();
                }
            } finally {
                lock.unlock();
            }
            if (fsync == Fsync.EVERYSEC && System.nanoTime() - lastFsyncNanos >= TimeUnit.SECONDS.toNanos(1)) {
                syncNow();
            }
        }
    }

    /** Fsyncs the open files (everysec's tick, and before a switch completes). */
    void syncNow() {
        Target a;
        Target b;
        lock.lock();
        try {
            a = current;
            b = next;
        } finally {
            lock.unlock();
        }
        try {
            a.ch.force(false);
            if (b != null) {
                b.ch.force(false);
            }
            lastFsyncNanos = System.nanoTime();
            lock.lock();
            try {
                fsyncs++;
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            // a channel closed by a switch meanwhile is fine: it was fsynced before closing
            if (a.ch.isOpen()) {
                lock.lock();
                try {
                    failure = e;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Starts a rewrite: under the log's lock (so no change is logged meanwhile) a snapshot of the engine begins and
     * a new increment opens; from then on changes the snapshot does not contain go to the new increment.
     */
    EventSource beginSwitch(Path newIncr, KvEngine engine) throws IOException {
        Target t = new Target(newIncr);
        lock.lock();
        try {
            if (next != null) {
                throw new IllegalStateException("a rewrite is already running");
            }
            EventSource snap = engine.snapshot();
            switchGen = engine.lastSnapshotGeneration();
            next = t;
            return snap;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a rewrite whose snapshot has been read to its end (so every change it contains has been appended): the
     * old increment gets its last bytes, is fsynced and closed, and the new one becomes the only file.
     */
    void finishSwitch() throws IOException {
        Target old;
        lock.lock();
        try {
            while (writing || current.pending.size > 0) {
                if (failure != null) {
                    throw failure;
                }
                if (!writing) {
                    drainOnce();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
            old = current;
            current = next;
            next = null;
            switchGen = Long.MAX_VALUE;
        } finally {
            lock.unlock();
        }
        old.ch.force(false);
        old.ch.close();
    }

    /** The first error writing the log, or null. */
    public IOException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** Writes and fsyncs what is pending, stops the background thread and closes the file. */
    @Override
    public void close() throws IOException {
        flush();
        closed = true;
        background.interrupt();
        lock.lock();
        Target a;
        Target b;
        try {
            while (writing) {
                changed.awaitUninterruptibly();
            }
            a = current;
            b = next;
        } finally {
            lock.unlock();
        }
        for (Target t : new Target[] {a, b}) {
            if (t != null && t.ch.isOpen()) {
                t.ch.force(false);
                t.ch.close();
            }
        }
        IOException f = failure();
        if (f != null) {
            throw f;
        }
    }

    static void encode(Buf b, List<byte[]> argv) {
        b.header('*', argv.size());
        for (byte[] a : argv) {
            b.header('$', a.length);
            b.put(a, 0, a.length);
            b.crlf();
        }
    }

    /** A growable byte buffer owned by one target (pending or spare); never shared between threads unlocked. */
    static final class Buf {
        byte[] bytes = new byte[8192];
        int size;

        void ensure(int more) {
            if (size + more > bytes.length) {
                long want = Math.max((long) bytes.length * 2, (long) size + more);
                if (want > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("log buffer over 2 GB");
                }
                bytes = java.util.Arrays.copyOf(bytes, (int) want);
            }
        }

        void put(byte[] src, int off, int len) {
            ensure(len);
            System.arraycopy(src, off, bytes, size, len);
            size += len;
        }

        void crlf() {
            ensure(2);
            bytes[size++] = '\r';
            bytes[size++] = '\n';
        }

        /** {@code c}, the count or length {@code n} (never negative), CRLF; digits in place, no String per call. */
        void header(char c, long n) {
            ensure(24);
            bytes[size++] = (byte) c;
            int digits = 1;
            for (long t = n; t >= 10; t /= 10) {
                digits++;
            }
            int end = size + digits;
            for (int i = end - 1; i >= size; i--) {
                bytes[i] = (byte) ('0' + (int) (n % 10));
                n /= 10;
            }
            size = end;
            bytes[size++] = '\r';
            bytes[size++] = '\n';
        }
    }
}
