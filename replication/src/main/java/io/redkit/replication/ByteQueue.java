package io.redkit.replication;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The bytes received on one connection, handed from the Netty event loop to the parsing thread as
 * a blocking {@link InputStream}. Bounded: {@link #offer} says when the queue is full so that the
 * channel stops reading (TCP backpressure reaches the master), and the {@code resume} callback
 * turns reading back on once the parser has drained half of it.
 *
 * <p>The read timeout counts only time spent waiting on an empty queue, so a slow consumer never
 * looks like a silent master.
 */
final class ByteQueue extends InputStream {
    /** How often the idle callback runs again while the parser waits. */
    private static final long IDLE_REPEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Owned by the queue until read out; released when consumed or on close. */
    private final ArrayDeque<ByteBuf> buffers = new ArrayDeque<>();
    private final long capacity;
    private final long timeoutNanos;
    private final Runnable resume;
    private final Runnable idle;
    private long bytes;
    private boolean paused;
    private IOException closed;

    /**
     * @param capacity     bytes held before the channel is paused
     * @param timeoutMillis longest wait for a byte from the master
     * @param resume       turns the channel's reading back on (called from the parsing thread)
     * @param idle         called (outside the lock) when the parser is about to wait for input, and
     *                     every 100 ms while it waits
     */
    ByteQueue(long capacity, long timeoutMillis, Runnable resume, Runnable idle) {
        this.capacity = capacity;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.resume = resume;
        this.idle = idle;
    }

    /** Takes ownership of {@code buf}; true when the queue is now full and reading should pause. */
    synchronized boolean offer(ByteBuf buf) {
        if (closed != null) {
            buf.release();
            return false;
        }
        buffers.add(buf);
        bytes += buf.readableBytes();
        notifyAll();
        if (bytes >= capacity) {
            paused = true;
            return true;
        }
        return false;
    }

    /** Ends the stream: reads fail with {@code cause} once the queued bytes are consumed. */
    synchronized void close(IOException cause) {
        if (closed == null) {
            closed = cause;
        }
        notifyAll();
    }

    /** Drops what is queued (the connection is being abandoned). */
    synchronized void discard(IOException cause) {
        close(cause);
        for (ByteBuf b : buffers) {
            b.release();
        }
        buffers.clear();
        bytes = 0;
    }

    /** Bytes queued right now. */
    synchronized long size() {
        return bytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        awaitData();
        boolean wake = false;
        int n;
        synchronized (this) {
            ByteBuf head = buffers.peek();
            if (head == null) {
                throw closed;
            }
            n = Math.min(len, head.readableBytes());
            head.readBytes(dst, off, n);
            if (!head.isReadable()) {
                buffers.poll().release();
            }
            bytes -= n;
            if (paused && bytes <= capacity / 2) {
                paused = false;
                wake = true;
            }
        }
        if (wake) {
            resume.run();
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    @Override
    public void close() {
        discard(new ReplicationException("connection closed", true));
    }

    private void awaitData() throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            synchronized (this) {
                if (!buffers.isEmpty() || closed != null) {
                    return;
                }
            }
            // nothing to parse: a good moment for the consumer to flush, outside our lock; repeated
            // while the wait lasts, so a consumer that flushes at a limited rate still flushes its last batch
            idle.run();
            synchronized (this) {
                if (!buffers.isEmpty() || closed != null) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ReplicationException("no data from the master for "
                            + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s (read timeout)", true);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, IDLE_REPEAT_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for the master");
                }
            }
        }
    }
}
