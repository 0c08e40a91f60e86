package io.redkit.rdb.encoding;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Decompresses an LZF payload of known compressed and uncompressed length while it streams in, holding
 * only a fixed ring (the 8 KiB back-reference window plus decoded bytes not yet read) and a small
 * input buffer, so a huge compressed string never needs its whole size in heap.
 *
 * <p>It reads exactly {@code clen} bytes of the underlying stream (never more) and yields exactly
 * {@code ulen} bytes; any mismatch is a {@link RedkitException}. Closing it does not close the
 * underlying stream, which belongs to the caller.
 */
public final class LzfInputStream extends InputStream {
    private static final int RING = 1 << 15;
    private static final int MASK = RING - 1;
    /** Decoding pauses when this many unread bytes are buffered: what remains keeps the window intact. */
    private static final int HIGH_WATER = RING - Lzf.MAX_DISTANCE - Lzf.MAX_MATCH - 64;
    private static final int IN_BUF = 8192;

    private final InputStream in;
    private final long clen;
    private final long ulen;
    private final BlobContext ctx;
    private final byte[] ring = new byte[RING];
    private final byte[] inBuf = new byte[IN_BUF];
    private int inPos;
    private int inLimit;
    /** Compressed bytes taken from the underlying stream so far. */
    private long consumed;
    /** Decompressed bytes produced into the ring / handed to the caller. */
    private long produced;
    private long delivered;
    private boolean closed;

    /**
     * Streams the decompression of {@code clen} bytes of {@code in} into {@code ulen} bytes.
     *
     * @param ctx names the blob in error messages; blob offsets count compressed bytes
     */
    public LzfInputStream(InputStream in, long clen, long ulen, BlobContext ctx) {
        this.in = Objects.requireNonNull(in, "in");
        if (clen < 0 || ulen < 0) {
            throw new IllegalArgumentException("negative length: clen=" + clen + ", ulen=" + ulen);
        }
        this.clen = clen;
        this.ulen = ulen;
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    /** Compressed bytes not yet taken from the underlying stream (what a caller skips when abandoning it). */
    public long compressedRemaining() {
        return clen - consumed;
    }

    /** Decompressed bytes not yet read. */
    public long remaining() {
        return ulen - delivered;
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (delivered == produced && !fill()) {
            return -1;
        }
        return ring[(int) (delivered++ & MASK)] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (delivered == produced && !fill()) {
            return -1;
        }
        int n = (int) Math.min(len, produced - delivered);
        int start = (int) (delivered & MASK);
        int first = Math.min(n, RING - start);
        System.arraycopy(ring, start, b, off, first);
        if (first < n) {
            System.arraycopy(ring, 0, b, off + first, n - first);
        }
        delivered += n;
        return n;
    }

    @Override
    public int available() {
        return (int) (produced - delivered);
    }

    /** Marks the stream closed; the underlying stream stays open and positioned where decoding stopped. */
    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("LzfInputStream is closed");
        }
    }

    /**
     * Decodes instructions until enough unread bytes are buffered or the payload ends. Returns false at
     * the clean end (all of ulen produced and all of clen consumed).
     */
    private boolean fill() throws IOException {
        final byte[] r = ring;
        while (produced - delivered < HIGH_WATER) {
            if (blobPos() == clen) {
                if (produced != ulen) {
                    throw corrupt(blobPos(), "decompressed length: found " + produced + " (expected " + ulen + ")");
                }
                break;
            }
            final long at = blobPos();
            final int c = nextByte();
            if (c < Lzf.MAX_LIT) {
                int n = c + 1;
                if (n > ulen - produced) {
                    throw overflow(at, n);
                }
                long inLeft = clen - at - 1;
                if (n > inLeft) {
                    throw corrupt(at, "literal run: found " + n + " bytes (expected at most " + inLeft
                            + " left in the compressed input)");
                }
                while (n > 0) {
                    if (inPos == inLimit) {
                        refill();
                    }
                    int dst = (int) (produced & MASK);
                    int k = Math.min(Math.min(n, inLimit - inPos), RING - dst);
                    System.arraycopy(inBuf, inPos, r, dst, k);
                    inPos += k;
                    produced += k;
                    n -= k;
                }
            } else {
                int n = c >>> 5;
                if (n == 7) {
                    n += nextByteInRef(at);
                }
                final int back = ((c & 0x1F) << 8) + nextByteInRef(at) + 1;
                n += 2;
                if (back > produced) {
                    throw corrupt(at, "back-reference: found distance " + back + " (expected at most "
                            + produced + ", the bytes decompressed so far)");
                }
                if (n > ulen - produced) {
                    throw overflow(at, n);
                }
                int dst = (int) (produced & MASK);
                int src = (int) ((produced - back) & MASK);
                if (back >= n && dst + n <= RING && src + n <= RING) {
                    System.arraycopy(r, src, r, dst, n);
                } else {
                    for (int k = 0; k < n; k++) {
                        r[(dst + k) & MASK] = r[(src + k) & MASK];
                    }
                }
                produced += n;
            }
        }
        return produced > delivered;
    }

    /** Offset in the compressed payload of the next byte to decode. */
    private long blobPos() {
        return consumed - (inLimit - inPos);
    }

    private int nextByte() throws IOException {
        if (inPos == inLimit) {
            refill();
        }
        return inBuf[inPos++] & 0xFF;
    }

    private int nextByteInRef(long at) throws IOException {
        if (blobPos() >= clen) {
            throw corrupt(at, "back-reference: found the compressed input ending inside it (expected "
                    + "2 or 3 bytes)");
        }
        return nextByte();
    }

    /** Reads the next chunk of compressed bytes, never past clen. */
    private void refill() throws IOException {
        long left = clen - consumed;
        if (left <= 0) {
            throw corrupt(blobPos(), "compressed length: found the payload ending at " + clen
                    + " bytes inside an instruction (expected more)");
        }
        int want = (int) Math.min(IN_BUF, left);
        int n = in.read(inBuf, 0, want);
        if (n <= 0) {
            throw new RedkitException(ErrorKind.TRUNCATED, ctx.source(), ctx.fileOffset(), ctx.what(),
                    "at blob offset " + consumed + ": LZF payload: found end of input (expected "
                            + left + " more compressed bytes)");
        }
        inPos = 0;
        inLimit = n;
        consumed += n;
    }

    private RedkitException overflow(long at, int n) {
        return corrupt(at, "decompressed length: found at least " + (produced + n) + " (expected " + ulen + ")");
    }

    /** Like {@link BlobContext#corrupt} with a 64-bit blob offset: a streamed payload may exceed 2 GiB. */
    private RedkitException corrupt(long at, String detail) {
        return new RedkitException(ErrorKind.INTEGRITY, ctx.source(), ctx.fileOffset(), ctx.what(),
                "at blob offset " + at + ": " + detail);
    }
}
