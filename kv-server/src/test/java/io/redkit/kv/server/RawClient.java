package io.redkit.kv.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal blocking RESP client for tests: sends commands or raw bytes and reads replies as canonical text
 * ({@code +OK}, {@code -ERR ...}, {@code :1}, {@code $-1}, {@code "bytes"}, {@code [a, b]}, {@code *-1},
 * RESP3 types by their own marks), so replies of two servers compare as strings.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] encode(List<byte[]> argv) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + argv.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    static List<byte[]> args(String... words) {
        return java.util.Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Sends one command and reads its reply. */
    String call(String... words) throws IOException {
        send(encode(args(words)));
        return read();
    }

    String call(List<byte[]> argv) throws IOException {
        send(encode(argv));
        return read();
    }

    /** DUMP of a key as its raw payload bytes (a bulk reply read byte for byte). */
    byte[] dumpBytes(String key) throws IOException {
        send(encode(args("DUMP", key)));
        int t = in.read();
        String line = line();
        if (t != '$' || line.startsWith("-")) {
            throw new IOException("DUMP " + key + ": " + (char) t + line);
        }
        byte[] b = in.readNBytes(Integer.parseInt(line));
        in.readNBytes(2);
        return b;
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one reply; "EOF" when the server closed the connection. */
    String read() throws IOException {
        int t = in.read();
        if (t < 0) {
            return "EOF";
        }
        String line = line();
        switch (t) {
            case '+':
                return "+" + line;
            case '-':
                return "-" + line;
            case ':':
                return ":" + line;
            case '_':
                return "_";
            case ',':
                return "," + line;
            case '#':
                return "#" + line;
            case '$':
            case '=': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return "$-1";
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                return "\"" + new String(b, StandardCharsets.UTF_8) + "\"";
            }
            case '*':
            case '%':
            case '~':
            case '>': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return "*-1";
                }
                int items = t == '%' ? n * 2 : n;
                StringBuilder sb = new StringBuilder(t == '*' ? "[" : (char) t + "[");
                for (int i = 0; i < items; i++) {
                    sb.append(i == 0 ? "" : ", ").append(read());
                }
                return sb.append(']').toString();
            }
            default:
                return "?" + (char) t + line;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
