package io.redkit.rdb;

import io.redkit.rdb.encoding.Crc64;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads the input ahead on a second thread in 1 MiB blocks and computes the running CRC64 of each
 * block there, so reading and checksumming overlap with decoding on the caller's thread. The CRC
 * up to any recent offset is then one partial block away ({@link #crcUpTo}).
 */
final class CrcPrefetcher extends InputStream {
    private static final int BLOCK = 1 << 18;
    /** Blocks kept after use: the reader's unconsumed buffer (64 KiB) always lies within the last two. */
    private static final int HISTORY = 2;
    /** Blocks in flight: queued, current, history; recycled so a big file makes no garbage. */
    private static final int POOL = 8;

    /** A block of input, where it starts and the CRC of everything before it. */
    private record Block(byte[] data, int len, long start, long crcBefore, IOException failure) {
    }

    private final InputStream in;
    private final BlockingQueue<Block> queue = new ArrayBlockingQueue<>(POOL / 2);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(POOL);
    private final ArrayDeque<Block> history = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean closed;
    private Block current;
    private int pos;
    private boolean eof;

    CrcPrefetcher(InputStream in, String name) {
        this.in = in;
        this.thread = new Thread(this::fill, "redkit-read-ahead " + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void fill() {
        long start = 0;
        long crc = 0;
        try {
            while (!closed) {
                byte[] d = free.poll();
                if (d == null) {
                    d = new byte[BLOCK];
                }
                int n = 0;
                while (n < BLOCK) {
                    int r = in.read(d, n, BLOCK - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                Block b = new Block(d, n, start, crc, null);
                crc = Crc64.update(crc, d, 0, n);
                start += n;
                queue.put(b);
                if (n < BLOCK) {
                    queue.put(new Block(null, 0, start, crc, null)); // end of input
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            try {
                queue.put(new Block(null, 0, start, crc, e));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean advance() throws IOException {
        if (eof) {
            return false;
        }
        Block b;
        try {
            b = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        if (b.failure() != null) {
            eof = true;
            throw b.failure();
        }
        if (b.data() == null) {
            eof = true;
            return false;
        }
        if (current != null) {
            history.addLast(current);
            if (history.size() > HISTORY) {
                free.offer(history.removeFirst().data());
            }
        }
        current = b;
        pos = 0;
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || pos == current.len()) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(len, current.len() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    /** CRC64 of the input's bytes [0, offset), for an offset within the last few blocks handed out. */
    long crcUpTo(long offset) {
        if (current != null && inBlock(current, offset)) {
            return partial(current, offset);
        }
        for (Block b : history) {
            if (inBlock(b, offset)) {
                return partial(b, offset);
            }
        }
        if (current == null && offset == 0) {
            return 0;
        }
        throw new IllegalStateException("offset " + offset + " is no longer buffered");
    }

    private static boolean inBlock(Block b, long offset) {
        return offset >= b.start() && offset <= b.start() + b.len();
    }

    private static long partial(Block b, long offset) {
        return Crc64.update(b.crcBefore(), b.data(), 0, (int) (offset - b.start()));
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        in.close();
    }
}
