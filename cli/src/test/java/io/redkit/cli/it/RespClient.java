package io.redkit.cli.it;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client for tests: commands go out as arrays of bulk strings, replies come back as
 * {@code byte[]} (bulk), {@code String} (simple), {@code Long} (integer), {@code List<Object>} (array)
 * or {@code null}; an error reply throws {@link RespError}. Supports pipelining via
 * {@link #send} / {@link #flush} / {@link #read}.
 */
public final class RespClient implements AutoCloseable {
    /** An error reply of the server. */
    public static final class RespError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RespError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Connects to 127.0.0.1:{@code port}. */
    public RespClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(120_000);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    /** Sends one command and returns its reply. */
    public Object call(Object... args) throws IOException {
        send(args);
        flush();
        return read();
    }

    /** Queues one command (arguments: {@code byte[]}, {@code String} or numbers) without flushing. */
    public void send(Object... args) throws IOException {
        out.write('*');
        out.write(ascii(args.length));
        out.write('\r');
        out.write('\n');
        for (Object a : args) {
            byte[] b = a instanceof byte[] ? (byte[]) a : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            out.write('$');
            out.write(ascii(b.length));
            out.write('\r');
            out.write('\n');
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Flushes queued commands. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Reads one reply; an error reply throws {@link RespError}. */
    public Object read() throws IOException {
        Object r = readAny();
        if (r instanceof RespError) {
            throw (RespError) r;
        }
        return r;
    }

    private Object readAny() throws IOException {
        int t = in.read();
        if (t < 0) {
            throw new EOFException("server closed the connection");
        }
        String line = readLine();
        switch (t) {
            case '+':
                return line;
            case '-':
                return new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                if (b.length != n || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated bulk reply");
                }
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(Math.min(n, 1 << 16));
                for (int i = 0; i < n; i++) {
                    list.add(readAny());
                }
                return list;
            }
            default:
                throw new IOException("unexpected RESP type byte " + t);
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("truncated reply line");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("CR without LF in reply");
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    private static byte[] ascii(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** Text of a bulk or simple-string reply. */
    public static String text(Object reply) {
        if (reply instanceof byte[]) {
            return new String((byte[]) reply, StandardCharsets.UTF_8);
        }
        return String.valueOf(reply);
    }

    /** Integer value of an integer reply or of a bulk/simple reply holding digits. */
    public static long integer(Object reply) {
        if (reply instanceof Long) {
            return (Long) reply;
        }
        return Long.parseLong(text(reply));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
