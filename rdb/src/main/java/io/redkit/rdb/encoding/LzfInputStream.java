package io.redkit.rdb.encoding;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Decompresses an LZF payload of known compressed and uncompressed length while it streams in, holding
 * only a fixed 64 KiB output buffer (which always keeps the 8 KiB back-reference window) and an 8 KiB
 * input buffer, so a huge compressed string never needs its whole size in heap.
 *
 * <p>It reads exactly {@code clen} bytes of the underlying stream (never more) and yields exactly
 * {@code ulen} bytes; any mismatch is a {@link RedkitException}. Closing it does not close the
 * underlying stream, which belongs to the caller.
 */
public final class LzfInputStream extends InputStream {
    /** Decoding stops once the output buffer holds this much; what precedes is handed out first. */
    private static final int CAP = 1 << 16;
    /** Room past CAP for one more instruction plus the whole-word over-copy of the fast paths. */
    private static final int SLACK = Lzf.MAX_MATCH + 16;
    /** Enough input for any one instruction: a 3-byte reference or a control byte and 32 literals. */
    private static final int MAX_INSTRUCTION = 1 + Lzf.MAX_LIT + 2;
    private static final int IN_BUF = 8192;

    private final InputStream in;
    private final long clen;
    private final long ulen;
    private final BlobContext ctx;
    /** Decoded bytes: [0, rpos) delivered (the window), [rpos, wpos) not yet read. */
    private final byte[] out = new byte[CAP + SLACK];
    private int rpos;
    private int wpos;
    /** Decoded bytes that were before out[0] (shifted away with the window). */
    private long base;
    private final byte[] inBuf = new byte[IN_BUF + MAX_INSTRUCTION];
    private int inPos;
    private int inLimit;
    /** Compressed bytes taken from the underlying stream so far. */
    private long consumed;
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
        return ulen - (base + rpos);
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (rpos == wpos && !fill()) {
            return -1;
        }
        return out[rpos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (rpos == wpos && !fill()) {
            return -1;
        }
        int n = Math.min(len, wpos - rpos);
        System.arraycopy(out, rpos, b, off, n);
        rpos += n;
        return n;
    }

    @Override
    public int available() {
        return wpos - rpos;
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
     * Called when every decoded byte has been read: keeps the last 8 KiB as the window, then decodes until
     * the buffer is full or the payload ends. Returns false at the clean end.
     */
    private boolean fill() throws IOException {
        if (wpos > Lzf.MAX_DISTANCE) {
            int keep = wpos - Lzf.MAX_DISTANCE;
            System.arraycopy(out, keep, out, 0, Lzf.MAX_DISTANCE);
            base += keep;
            wpos = Lzf.MAX_DISTANCE;
            rpos = wpos;
        }
        final byte[] o = out;
        final byte[] src = inBuf;
        int op = wpos;
        // bytes of ulen not yet produced, as of out[op]
        long outLeft = ulen - base - op;
        while (op < CAP) {
            if (inLimit - inPos < MAX_INSTRUCTION && consumed < clen) {
                refill();
            }
            int ip = inPos;
            final int avail = inLimit - ip;
            if (avail == 0) {
                if (outLeft != 0) {
                    wpos = op;
                    throw corrupt(clen, "decompressed length: found " + (ulen - outLeft) + " (expected " + ulen + ")");
                }
                break;
            }
            final long at = consumed - avail; // blob offset of this instruction
            final int c = src[ip++] & 0xFF;
            if (c < Lzf.MAX_LIT) {
                final int n = c + 1;
                if (n > avail - 1) {
                    throw corrupt(at, "literal run: found " + n + " bytes (expected at most " + (avail - 1)
                            + " left in the compressed input)");
                }
                if (n > outLeft) {
                    throw overflow(at, ulen - outLeft + n);
                }
                if (avail >= MAX_INSTRUCTION) {
                    Lzf.copyWords(src, ip, o, op, n);
                } else {
                    System.arraycopy(src, ip, o, op, n);
                }
                ip += n;
                op += n;
                outLeft -= n;
            } else {
                int n = c >>> 5;
                int need = n == 7 ? 3 : 2;
                if (avail < need) {
                    throw corrupt(at, "back-reference: found the compressed input ending inside it (expected "
                            + "2 or 3 bytes)");
                }
                if (n == 7) {
                    n += src[ip++] & 0xFF;
                }
                final int back = ((c & 0x1F) << 8) + (src[ip++] & 0xFF) + 1;
                n += 2;
                final long producedSoFar = ulen - outLeft;
                if (back > producedSoFar) {
                    throw corrupt(at, "back-reference: found distance " + back + " (expected at most "
                            + producedSoFar + ", the bytes decompressed so far)");
                }
                if (n > outLeft) {
                    throw overflow(at, producedSoFar + n);
                }
                final int ref = op - back; // >= 0: the window before out[op] is kept (8192 bytes or all so far)
                if (back >= 8) {
                    Lzf.copyWords(o, ref, o, op, n);
                } else {
                    for (int k = 0; k < n; k++) {
                        o[op + k] = o[ref + k];
                    }
                }
                op += n;
                outLeft -= n;
            }
            inPos = ip;
        }
        wpos = op;
        return wpos > rpos;
    }

    /** Moves unread input to the front and reads until an instruction fits or clen is reached. */
    private void refill() throws IOException {
        int left = inLimit - inPos;
        System.arraycopy(inBuf, inPos, inBuf, 0, left);
        inPos = 0;
        inLimit = left;
        while (inLimit < MAX_INSTRUCTION && consumed < clen) {
            int want = (int) Math.min(IN_BUF + MAX_INSTRUCTION - inLimit, clen - consumed);
            int n = in.read(inBuf, inLimit, want);
            if (n <= 0) {
                throw new RedkitException(ErrorKind.TRUNCATED, ctx.source(), ctx.fileOffset(), ctx.what(),
                        "at blob offset " + consumed + ": LZF payload: found end of input (expected "
                                + (clen - consumed) + " more compressed bytes)");
            }
            inLimit += n;
            consumed += n;
        }
    }

    private RedkitException overflow(long at, long atLeast) {
        return corrupt(at, "decompressed length: found at least " + atLeast + " (expected " + ulen + ")");
    }

    /** Like {@link BlobContext#corrupt} with a 64-bit blob offset: a streamed payload may exceed 2 GiB. */
    private RedkitException corrupt(long at, String detail) {
        return new RedkitException(ErrorKind.INTEGRITY, ctx.source(), ctx.fileOffset(), ctx.what(),
                "at blob offset " + at + ": " + detail);
    }
}
