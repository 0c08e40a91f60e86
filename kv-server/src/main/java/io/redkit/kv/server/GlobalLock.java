package io.redkit.kv.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * The server-wide lock: plain commands take the shared side, MULTI/EXEC, scripts and list moves the exclusive
 * side, so other clients see them whole. The exclusive side is reentrant and its holder passes the shared side
 * freely (EXEC and scripts run commands through the same path). Unlike a ReentrantReadWriteLock, the shared side
 * keeps no per-thread hold counts (a thread-local map update per request): one CAS each way.
 */
final class GlobalLock {
    private final StampedLock lock = new StampedLock();
    private final Lock shared = lock.asReadLock();
    private volatile Thread owner;
    private int depth;
    private long writeStamp;
    private final Lock readView = new View(false);
    private final Lock writeView = new View(true);

    /** The shared side, as a {@link Lock} (lock and unlock only). */
    Lock readLock() {
        return readView;
    }

    /** The exclusive side, as a reentrant {@link Lock} (lock and unlock only). */
    Lock writeLock() {
        return writeView;
    }

    private void lockShared() {
        // the exclusive holder already excludes everyone else; it must not wait for itself
        if (owner != Thread.currentThread()) {
            shared.lock();
        }
    }

    private void unlockShared() {
        if (owner != Thread.currentThread()) {
            shared.unlock();
        }
    }

    private void lockExclusive() {
        Thread t = Thread.currentThread();
        if (owner == t) {
            depth++;
            return;
        }
        writeStamp = lock.writeLock();
        owner = t;
        depth = 1;
    }

    private void unlockExclusive() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("exclusive side not held");
        }
        if (--depth == 0) {
            owner = null;
            lock.unlockWrite(writeStamp);
        }
    }

    private final class View implements Lock {
        private final boolean exclusive;

        View(boolean exclusive) {
            this.exclusive = exclusive;
        }

        @Override
        public void lock() {
            if (exclusive) {
                lockExclusive();
            } else {
                lockShared();
            }
        }

        @Override
        public void unlock() {
            if (exclusive) {
                unlockExclusive();
            } else {
                unlockShared();
            }
        }

        @Override
        public void lockInterruptibly() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean tryLock() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException();
        }
    }
}
