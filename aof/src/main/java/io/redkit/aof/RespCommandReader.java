package io.redkit.aof;

import io.redkit.core.ErrorKind;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pull reader of the commands of an AOF (or of any RESP2 multibulk stream of commands).
 *
 * <pre>
 * *&lt;argc&gt;\r\n  { $&lt;len&gt;\r\n &lt;len bytes&gt; \r\n } x argc      one command
 * #TS:&lt;unix seconds&gt;\r\n                                  timestamp annotation
 * #&lt;anything&gt;\n                                          other annotation, skipped
 * </pre>
 *
 * Header and annotation lines are at most {@value #MAX_LINE} bytes; argc and lengths are checked
 * against {@link Limits} before anything is allocated. A stream that ends inside a command is
 * {@link ErrorKind#TRUNCATED} at the offset where that command starts; anything else malformed is
 * {@link ErrorKind#BAD_FORMAT} at the offset of the bad line or byte. After an error the reader is
 * failed for good.
 */
public final class RespCommandReader {
    /** Longest header ({@code *}, {@code $}) or annotation line, LF included (AOF_ANNOTATION_LINE_MAX_LEN). */
    public static final int MAX_LINE = 1024;

    private static final int BUFFER_SIZE = 256 * 1024;
    /** Bulk strings up to this size are allocated at once; larger ones grow as their bytes really arrive. */
    private static final int EAGER_ALLOC = 1 << 20;

    private final InputStream in;
    private final String source;
    private final Limits limits;
    /** Owned by this reader; bytes [pos, lim) are unread, buf[0] is at file offset {@code base}. */
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int lim;
    private long base;
    private boolean eof;

    private long commandOffset = -1;
    private long timestampS = -1;
    private long commands;
    private RedkitException failure;

    /**
     * A reader of {@code in}, whose first byte is at offset {@code startOffset} of the file named
     * {@code source} (non-zero after an RDB preamble).
     */
    public RespCommandReader(InputStream in, String source, long startOffset, Limits limits) {
        this.in = in;
        this.source = source;
        this.limits = limits;
        this.base = startOffset;
    }

    /** A reader of a whole file or stream with default limits. */
    public RespCommandReader(InputStream in, String source) {
        this(in, source, 0, Limits.defaults());
    }

    /**
     * The next command's argv (name first), or null at a clean end of input. The returned arrays
     * belong to the caller.
     */
    public List<byte[]> next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return read();
        } catch (RedkitException e) {
            failure = e;
            throw e;
        }
    }

    /** Offset where the command last returned by {@link #next()} starts; -1 before the first. */
    public long commandOffset() {
        return commandOffset;
    }

    /** The last {@code #TS:} annotation seen, in unix seconds, or -1. */
    public long timestampS() {
        return timestampS;
    }

    /** Offset of the next unread byte: after a successful {@link #next()}, the end of that command. */
    public long offset() {
        return base + pos;
    }

    /** Commands returned so far. */
    public long commandCount() {
        return commands;
    }

    /** The name used in errors. */
    public String source() {
        return source;
    }

    private List<byte[]> read() throws IOException {
        while (true) {
            if (!ensure(1)) {
                return null;
            }
            long start = base + pos;
            byte first = buf[pos];
            if (first == '#') {
                readAnnotation(start);
                continue;
            }
            if (first != '*') {
                throw bad(start, "record", "found " + show(first) + " (expected '*' or '#')");
            }
            long argc = readHeaderNumber(start, start, "command header");
            if (argc < 1) {
                throw bad(start, "command header", "argument count " + argc + " (expected at least 1)");
            }
            limits.checkElementCount(argc, source, start, "command header");
            // never presize from a count read from input
            List<byte[]> argv = new ArrayList<>((int) Math.min(argc, 8));
            for (long i = 0; i < argc; i++) {
                if (!ensure(1)) {
                    throw truncated(start, i, argc);
                }
                long lineStart = base + pos;
                if (buf[pos] != '$') {
                    throw bad(lineStart, "argument " + (i + 1) + " of " + argc,
                            "found " + show(buf[pos]) + " (expected '$')");
                }
                long len = readHeaderNumber(lineStart, start, "argument " + (i + 1) + " of " + argc);
                limits.checkStringLength(len, source, lineStart, "argument " + (i + 1) + " of " + argc);
                byte[] value = readBulk((int) len, start, i, argc);
                if (!ensure(2)) {
                    throw truncated(start, i, argc);
                }
                if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
                    long at = base + pos + (buf[pos] != '\r' ? 0 : 1);
                    byte found = buf[pos] != '\r' ? buf[pos] : buf[pos + 1];
                    throw bad(at, "argument " + (i + 1) + " of " + argc,
                            "found " + show(found) + " after " + len + " bytes (expected CRLF)");
                }
                pos += 2;
                argv.add(value);
            }
            commandOffset = start;
            commands++;
            return argv;
        }
    }

    /**
     * Reads the line {@code <prefix><digits>\r\n} at {@code pos} and returns the number. A line that
     * does not end before EOF is a truncation of the command at {@code commandStart}.
     */
    private long readHeaderNumber(long lineStart, long commandStart, String what) throws IOException {
        int lf = findLineEnd(lineStart, commandStart);
        // <prefix> digits \r \n
        //  ^ pos                ^ lf
        if (lf - pos < 3 || buf[lf - 1] != '\r') {
            throw bad(lineStart, what, "malformed line '" + preview(pos, lf + 1) + "' (expected " + (char) buf[pos]
                    + "<number>\\r\\n)");
        }
        long v = 0;
        int digits = lf - 1 - (pos + 1);
        if (digits > 18) {
            throw bad(lineStart, what, "number too long in '" + preview(pos, lf + 1) + "'");
        }
        for (int i = pos + 1; i < lf - 1; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw bad(lineStart, what, "malformed number in '" + preview(pos, lf + 1) + "'");
            }
            v = v * 10 + d;
        }
        pos = lf + 1;
        return v;
    }

    private void readAnnotation(long start) throws IOException {
        int lf = findLineEnd(start, start);
        int end = lf;
        if (end > pos && buf[end - 1] == '\r') {
            end--;
        }
        // #TS:<digits>; other annotations carry nothing for a reader
        if (end - pos > 4 && buf[pos + 1] == 'T' && buf[pos + 2] == 'S' && buf[pos + 3] == ':' && end - pos - 4 <= 18) {
            long v = 0;
            boolean ok = true;
            for (int i = pos + 4; i < end; i++) {
                int d = buf[i] - '0';
                if (d < 0 || d > 9) {
                    ok = false;
                    break;
                }
                v = v * 10 + d;
            }
            if (ok) {
                timestampS = v;
            }
        }
        pos = lf + 1;
    }

    /**
     * Index in {@code buf} of the LF ending the line that starts at {@code pos}, loading more input
     * as needed (the whole line then sits in the buffer).
     */
    private int findLineEnd(long lineStart, long commandStart) throws IOException {
        int scanned = 0;
        while (true) {
            int stop = Math.min(lim, pos + MAX_LINE);
            for (int i = pos + scanned; i < stop; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            scanned = stop - pos;
            if (scanned >= MAX_LINE) {
                throw bad(lineStart, buf[pos] == '#' ? "annotation" : "header line",
                        "no line end within " + MAX_LINE + " bytes");
            }
            if (!ensure(scanned + 1)) {
                throw new RedkitException(ErrorKind.TRUNCATED, source, commandStart,
                        buf[pos] == '#' ? "annotation" : "command", "input ends inside a line");
            }
        }
    }

    private byte[] readBulk(int len, long commandStart, long index, long argc) throws IOException {
        int avail = lim - pos;
        if (len <= avail) {
            byte[] v = Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return v;
        }
        // a length from input is only trusted as far as bytes really arrive
        byte[] v = new byte[Math.min(len, EAGER_ALLOC)];
        int have = 0;
        while (have < len) {
            if (pos == lim && !fill()) {
                throw truncated(commandStart, index, argc);
            }
            int n = Math.min(lim - pos, len - have);
            if (have + n > v.length) {
                v = Arrays.copyOf(v, (int) Math.min(len, Math.max((long) v.length * 2, have + n)));
            }
            System.arraycopy(buf, pos, v, have, n);
            pos += n;
            have += n;
        }
        return v;
    }

    /** Makes at least {@code n} (at most the buffer size) unread bytes available; false at EOF before that. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Reads more input after the unread bytes, moving them to the front first; false at EOF. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        int r = in.read(buf, lim, buf.length - lim);
        if (r < 0) {
            eof = true;
            return false;
        }
        lim += r;
        return true;
    }

    private RedkitException truncated(long commandStart, long index, long argc) {
        return new RedkitException(ErrorKind.TRUNCATED, source, commandStart, "command",
                "input ends in argument " + (index + 1) + " of " + argc);
    }

    private RedkitException bad(long offset, String context, String detail) {
        return new RedkitException(ErrorKind.BAD_FORMAT, source, offset, context, detail);
    }

    private String preview(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to && sb.length() < 40; i++) {
            int c = buf[i] & 0xFF;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    private static String show(byte b) {
        int c = b & 0xFF;
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }
}
