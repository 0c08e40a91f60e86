package io.redkit.cli.shell;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.kv.Reply;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
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
 * A blocking RESP2 client for the shell: one socket, commands written as arrays of bulk strings, replies read into
 * {@link Reply} values. Every length in a reply is checked before anything is allocated.
 */
final class RespConnection implements Closeable {
    /** The largest bulk string accepted: values are fetched in slices, so a bigger reply is not expected. */
    static final int MAX_BULK = 64 << 20;
    /** The largest array accepted. */
    static final int MAX_ARRAY = 1 << 24;
    /** Nesting depth of arrays accepted (Redis's replies nest a few levels). */
    static final int MAX_DEPTH = 32;
    /** The longest status line accepted. */
    static final int MAX_LINE = 1 << 16;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String name;
    private long offset;

    private RespConnection(Socket socket, String name) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.name = name;
    }

    /** Connects with a timeout for connecting and for each reply. */
    static RespConnection connect(String host, int port, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            s.setTcpNoDelay(true);
            return new RespConnection(s, host + ":" + port);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Sends one command and reads its reply. */
    Reply call(List<byte[]> argv) throws IOException {
        write(argv);
        out.flush();
        return read(0);
    }

    /** Sends several commands at once and reads their replies in order. */
    List<Reply> pipeline(List<List<byte[]>> commands) throws IOException {
        for (List<byte[]> c : commands) {
            write(c);
        }
        out.flush();
        List<Reply> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(read(0));
        }
        return replies;
    }

    private void write(List<byte[]> argv) throws IOException {
        out.write(('*' + Integer.toString(argv.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.write(('$' + Integer.toString(a.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    private Reply read(int depth) throws IOException {
        int t = in.read();
        if (t < 0) {
            throw new EOFException(name + ": connection closed");
        }
        offset++;
        switch (t) {
            case '+':
                return new Reply.Simple(line());
            case '-':
                return Reply.error(line());
            case ':':
                return Reply.integer(number(line()));
            case '$': {
                long len = number(line());
                if (len == -1) {
                    return Reply.NULL;
                }
                if (len < 0 || len > MAX_BULK) {
                    throw bad("bulk length " + len + " (expected -1.." + MAX_BULK + ")");
                }
                byte[] b = in.readNBytes((int) len);
                if (b.length != len || in.read() != '\r' || in.read() != '\n') {
                    throw bad("truncated bulk string");
                }
                offset += len + 2;
                return Reply.bulk(b);
            }
            case '*': {
                long n = number(line());
                if (n == -1) {
                    return Reply.NULL_ARRAY;
                }
                if (n < 0 || n > MAX_ARRAY) {
                    throw bad("array length " + n + " (expected -1.." + MAX_ARRAY + ")");
                }
                if (depth >= MAX_DEPTH) {
                    throw bad("arrays nested deeper than " + MAX_DEPTH);
                }
                List<Reply> items = new ArrayList<>((int) Math.min(n, 1024));
                for (long i = 0; i < n; i++) {
                    items.add(read(depth + 1));
                }
                return new Reply.Array(items);
            }
            default:
                throw bad("reply type byte 0x" + Integer.toHexString(t));
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException(name + ": connection closed inside a reply");
            }
            offset++;
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw bad("CR without LF");
                }
                offset++;
                return b.toString(StandardCharsets.UTF_8);
            }
            if (b.size() >= MAX_LINE) {
                throw bad("line longer than " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
    }

    private long number(String s) throws RedkitException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw bad("number '" + s + "'");
        }
    }

    private RedkitException bad(String what) {
        return new RedkitException(ErrorKind.BAD_FORMAT, name, offset, "RESP reply", what);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
