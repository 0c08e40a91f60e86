package io.redkit.kv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal RESP2 client and a throw-away redis-server for the kv integration tests. Replies are rendered as text in
 * the same notation as {@link ReplyText}, so an engine reply and a server reply compare as strings.
 */
final class TestResp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** How bulk replies are rendered; ISO-8859-1 keeps every byte distinct, for binary values. */
    java.nio.charset.Charset bulkCharset = StandardCharsets.UTF_8;

    TestResp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Sends the command and returns its rendered reply. */
    String call(List<byte[]> argv) throws IOException {
        out.write(('*' + Integer.toString(argv.size()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            out.write(('$' + Integer.toString(a.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        StringBuilder sb = new StringBuilder();
        read(sb);
        return sb.toString();
    }

    private void read(StringBuilder sb) throws IOException {
        int t = in.read();
        if (t < 0) {
            throw new EOFException("server closed the connection");
        }
        String line = line();
        switch (t) {
            case '+' -> sb.append('+').append(line);
            case '-' -> sb.append('-').append(line);
            case ':' -> sb.append(':').append(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    sb.append("(nil)");
                    return;
                }
                byte[] b = in.readNBytes(n);
                in.read();
                in.read();
                sb.append('"').append(new String(b, bulkCharset)).append('"');
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    sb.append("(nil-array)");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    read(sb);
                }
                sb.append(']');
            }
            default -> throw new IOException("unexpected RESP type " + t);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException();
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A redis-server on a free loopback port, without persistence; null when redis-server is not installed. */
    static final class Server implements AutoCloseable {
        final Process process;
        final int port;

        private Server(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Server start(Path dir) throws IOException, InterruptedException {
            int port;
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = ss.getLocalPort();
            }
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try (TestResp c = new TestResp(port)) {
                    if (c.call(List.of("PING".getBytes(StandardCharsets.US_ASCII))).equals("+PONG")) {
                        return new Server(p, port);
                    }
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly();
            throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }

    /** True when a redis-server binary is on the PATH. */
    static boolean redisAvailable() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "redis-server"))) {
                return true;
            }
        }
        return false;
    }
}
