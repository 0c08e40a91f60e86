package io.redkit.live.net;

import io.redkit.core.ErrorKind;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking RESP2 connection to one server, the counterpart of the pipelined {@link RespConnection}: commands are
 * written to a buffer and flushed as one pipeline, replies read in order. Small replies are read whole as a
 * {@link Reply} ({@link #read()}); a bulk string can be read in pieces ({@link #readBulkLength()}, then
 * {@link #readSome}), so a big DUMP reply never has to be held in memory. Every length read is checked against the
 * {@link Limits} before anything is allocated, and arrays nest at most {@link #MAX_DEPTH} levels.
 */
public final class BlockingRespClient implements Closeable {
    /** The longest status, error or length line accepted. */
    public static final int MAX_LINE = 64 * 1024;
    /** Nesting of arrays in one reply (CLUSTER SLOTS needs 3, nothing Redis sends needs more than a few). */
    public static final int MAX_DEPTH = 32;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String name;
    private final Limits limits;
    private final byte[] line = new byte[MAX_LINE];
    private long offset;

    private BlockingRespClient(Socket socket, String name, Limits limits) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.name = name;
        this.limits = limits;
    }

    /**
     * Connects to {@code host:port}, over TLS when {@code tls} is not null. {@code readTimeoutMs} bounds how long a
     * reply may not progress (0: forever); {@code limits} bound the bulk lengths and array sizes of replies.
     */
    public static BlockingRespClient connect(String host, int port, int connectTimeoutMs, int readTimeoutMs,
                                             SSLSocketFactory tls, Limits limits) throws IOException {
        String name = new HostPort(host, port).toString();
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            s.setSoTimeout(readTimeoutMs);
            s.setTcpNoDelay(true);
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.createSocket(s, host, port, true);
                ssl.startHandshake();
                s = ssl;
            }
        } catch (IOException e) {
            s.close();
            throw new IOException(name + ": cannot connect: " + e.getMessage(), e);
        }
        return new BlockingRespClient(s, name, limits);
    }

    /**
     * Sends AUTH (with the user when it is not null) when {@code password} is not null; a refusal is an
     * IOException naming the server's reply, and the connection is then closed.
     */
    public BlockingRespClient auth(String user, String password) throws IOException {
        if (password == null) {
            return this;
        }
        try {
            Reply r = user != null ? call("AUTH", user, password) : call("AUTH", password);
            if (r.isError()) {
                throw new IOException(name + ": AUTH failed: " + r.text());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** host:port, for messages. */
    public String name() {
        return name;
    }

    /** Queues one command; nothing is sent before {@link #flush()}. */
    public void send(byte[]... argv) throws IOException {
        out.write('*');
        writeDecimal(argv.length);
        for (byte[] a : argv) {
            out.write('$');
            writeDecimal(a.length);
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Queues a command of ASCII words. */
    public void send(String... argv) throws IOException {
        byte[][] b = new byte[argv.length][];
        for (int i = 0; i < argv.length; i++) {
            b[i] = argv[i].getBytes(StandardCharsets.UTF_8);
        }
        send(b);
    }

    /** Sends what was queued. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Sends one command and reads its reply. */
    public Reply call(String... argv) throws IOException {
        send(argv);
        flush();
        return read();
    }

    /** One whole reply; an error reply is returned, not thrown. */
    public Reply read() throws IOException {
        return read(0);
    }

    private Reply read(int depth) throws IOException {
        long start = offset;
        int type = readByte();
        switch (type) {
            case '+':
                return Reply.status(copyLine(readLine()));
            case '-':
                return Reply.error(copyLine(readLine()));
            case ':':
                return Reply.integer(parseLong(readLine(), start));
            case '$': {
                long len = parseLong(readLine(), start);
                if (len == -1) {
                    return Reply.NULL;
                }
                if (len < 0) {
                    throw format(start, "bulk length: found " + len);
                }
                limits.checkStringLength(len, name, start, "bulk string");
                byte[] b = new byte[(int) len];
                readFully(b, 0, b.length);
                readCrlf();
                return Reply.bulk(b);
            }
            case '*': {
                long n = parseLong(readLine(), start);
                if (n == -1) {
                    return Reply.NULL;
                }
                if (n < 0) {
                    throw format(start, "array length: found " + n);
                }
                if (depth >= MAX_DEPTH) {
                    throw format(start, "arrays nested deeper than " + MAX_DEPTH);
                }
                limits.checkElementCount(n, name, start, "array");
                // never presized from the count: it is only a claim until the elements arrive
                List<Reply> list = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    list.add(read(depth + 1));
                }
                return Reply.array(list);
            }
            default:
                throw format(start, "reply type: found 0x" + Integer.toHexString(type) + " (expected + - : $ *)");
        }
    }

    /**
     * The header of a bulk reply: its length, or -1 for nil; the bytes then follow (read them with {@link #readSome}
     * and finish with {@link #readCrlf()}).
     *
     * @throws ServerErrorException when the reply is an error
     */
    public long readBulkLength() throws IOException {
        long start = offset;
        int type = readByte();
        if (type == '-') {
            throw new ServerErrorException(new String(line, 0, readLine(), StandardCharsets.UTF_8));
        }
        if (type != '$') {
            throw format(start, "reply type: found 0x" + Integer.toHexString(type) + " (expected a bulk string)");
        }
        long len = parseLong(readLine(), start);
        if (len < -1) {
            throw format(start, "bulk length: found " + len);
        }
        if (len >= 0) {
            limits.checkStringLength(len, name, start, "bulk string");
        }
        return len;
    }

    /** An integer reply; an error reply throws {@link ServerErrorException}. */
    public long readInteger() throws IOException {
        long start = offset;
        int type = readByte();
        if (type == '-') {
            throw new ServerErrorException(new String(line, 0, readLine(), StandardCharsets.UTF_8));
        }
        if (type != ':') {
            throw format(start, "reply type: found 0x" + Integer.toHexString(type) + " (expected an integer)");
        }
        return parseLong(readLine(), start);
    }

    /** Up to {@code len} bytes of a bulk being read, at least one. */
    public int readSome(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            throw truncated();
        }
        offset += n;
        return n;
    }

    /** Exactly {@code len} bytes of a bulk being read. */
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = readSome(b, off, len);
            off += n;
            len -= n;
        }
    }

    /** Skips {@code n} bytes (a bulk not wanted after all). */
    public void skip(long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw truncated();
                }
                k = 1;
            }
            offset += k;
            n -= k;
        }
    }

    /** The CRLF that ends a bulk. */
    public void readCrlf() throws IOException {
        long start = offset;
        if (readByte() != '\r' || readByte() != '\n') {
            throw format(start, "expected CRLF after a bulk string");
        }
    }

    /** One byte of a reply (the first of a bulk being read, say). */
    public int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated();
        }
        offset++;
        return b;
    }

    /** Reads a line into {@link #line} without its CRLF and returns its length. */
    private int readLine() throws IOException {
        long start = offset;
        int n = 0;
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw format(offset - 1, "expected LF after CR");
                }
                return n;
            }
            if (n == MAX_LINE) {
                throw format(start, "line longer than " + MAX_LINE + " bytes");
            }
            line[n++] = (byte) b;
        }
    }

    private byte[] copyLine(int n) {
        byte[] b = new byte[n];
        System.arraycopy(line, 0, b, 0, n);
        return b;
    }

    private long parseLong(int n, long start) throws RedkitException {
        if (n == 0 || n > 20 || (n == 1 && line[0] == '-')) {
            throw format(start, "integer: found '" + new String(line, 0, Math.min(n, 40), StandardCharsets.ISO_8859_1)
                    + "'");
        }
        boolean neg = line[0] == '-';
        long v = 0;
        for (int i = neg ? 1 : 0; i < n; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                throw format(start, "integer: found '" + new String(line, 0, n, StandardCharsets.ISO_8859_1) + "'");
            }
            try {
                v = Math.addExact(Math.multiplyExact(v, 10), d);
            } catch (ArithmeticException e) {
                throw format(start, "integer out of range");
            }
        }
        return neg ? -v : v;
    }

    private void writeDecimal(long v) throws IOException {
        out.write(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    private RedkitException format(long at, String detail) {
        return new RedkitException(ErrorKind.BAD_FORMAT, name, at, "reply", detail);
    }

    private IOException truncated() {
        return new EOFException(name + ": connection closed by the server after " + offset + " bytes");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An error reply where a bulk or an integer was expected. */
    public static final class ServerErrorException extends IOException {
        private final String reply;

        ServerErrorException(String reply) {
            super(reply);
            this.reply = reply;
        }

        /** The error line without the dash. */
        public String reply() {
            return reply;
        }

        /** The first word: MOVED, ASK, NOAUTH... */
        public String code() {
            int sp = reply.indexOf(' ');
            return sp < 0 ? reply : reply.substring(0, sp);
        }
    }
}
