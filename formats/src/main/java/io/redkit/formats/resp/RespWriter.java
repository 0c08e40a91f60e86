package io.redkit.formats.resp;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A fast RESP2 request encoder: arrays of bulk strings written into one reusable buffer, with no
 * allocation per argument. Owns its buffer; the stream stays the caller's (flushed, not closed).
 */
public final class RespWriter implements Flushable {
    private static final int BUFFER = 1 << 16;
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private long bytesWritten;

    /** A writer on {@code out}. */
    public RespWriter(OutputStream out) {
        this.out = out;
    }

    /** Bytes produced so far (written or still buffered). */
    public long bytesWritten() {
        return bytesWritten + pos;
    }

    /** Starts a command of {@code n} arguments (including the command name). */
    public void arrayHeader(int n) throws IOException {
        ensure(24);
        buf[pos++] = '*';
        putLong(n);
        crlf();
    }

    /** Writes one bulk string. */
    public void bulk(byte[] b) throws IOException {
        bulk(b, 0, b.length);
    }

    /** Writes one bulk string from a slice. */
    public void bulk(byte[] b, int off, int len) throws IOException {
        ensure(24);
        buf[pos++] = '$';
        putLong(len);
        crlf();
        if (len <= buf.length - pos) {
            System.arraycopy(b, off, buf, pos, len);
            pos += len;
        } else {
            drain();
            if (len >= buf.length) {
                out.write(b, off, len);
                bytesWritten += len;
            } else {
                System.arraycopy(b, off, buf, pos, len);
                pos += len;
            }
        }
        ensure(2);
        crlf();
    }

    /** Writes an ASCII string (a command name, an ID, a score) as a bulk string without allocating. */
    public void bulkAscii(String s) throws IOException {
        int len = s.length();
        ensure(24);
        buf[pos++] = '$';
        putLong(len);
        crlf();
        for (int i = 0; i < len; i++) {
            if (pos == buf.length) {
                drain();
            }
            buf[pos++] = (byte) s.charAt(i);
        }
        ensure(2);
        crlf();
    }

    /** Writes a decimal integer as a bulk string. */
    public void bulkLong(long v) throws IOException {
        ensure(48);
        int digits = digits(v);
        buf[pos++] = '$';
        putLong(digits);
        crlf();
        putLong(v);
        crlf();
    }

    /** Writes a whole command of ASCII arguments. */
    public void command(String... args) throws IOException {
        arrayHeader(args.length);
        for (String a : args) {
            bulkAscii(a);
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            bytesWritten += pos;
            pos = 0;
        }
    }

    private void ensure(int n) throws IOException {
        if (buf.length - pos < n) {
            drain();
        }
    }

    private void crlf() {
        buf[pos++] = '\r';
        buf[pos++] = '\n';
    }

    private static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return MIN_LONG.length;
        }
        int n = v < 0 ? 2 : 1;
        long a = Math.abs(v);
        while (a >= 10) {
            a /= 10;
            n++;
        }
        return n;
    }

    private void putLong(long v) {
        if (v == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, buf, pos, MIN_LONG.length);
            pos += MIN_LONG.length;
            return;
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int n = digits(v);
        int end = pos + n;
        int p = end;
        do {
            buf[--p] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        pos = end;
    }
}
