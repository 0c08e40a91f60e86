package io.redkit.replication;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted master on a loopback port: answers the handshake, and for each connection runs the
 * next {@link Session} with the socket after the PSYNC. Records every command received.
 */
final class FakeMaster implements Closeable {
    /** What one connection does after PSYNC (the PSYNC arguments are given). */
    interface Session {
        void run(List<String> psync, OutputStream out, Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final List<Session> sessions;
    private final String password;
    final List<List<String>> received = new CopyOnWriteArrayList<>();
    final Thread thread;

    /** With {@code true}, connections beyond the sessions are refused (the master is gone) instead of repeating the last. */
    volatile boolean limited;

    FakeMaster(String password, Session... sessions) throws IOException {
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        this.sessions = List.of(sessions);
        this.password = password;
        this.thread = new Thread(this::serve, "fake-master");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    ReplicaUri uri() {
        return ReplicaUri.parse("redis://127.0.0.1:" + port());
    }

    /** The ACK offsets received so far. */
    List<Long> acks() {
        List<Long> r = new ArrayList<>();
        for (List<String> c : received) {
            if (c.size() == 3 && c.get(0).equals("REPLCONF") && c.get(1).equals("ACK")) {
                r.add(Long.parseLong(c.get(2)));
            }
        }
        return r;
    }

    List<List<String>> psyncs() {
        List<List<String>> r = new ArrayList<>();
        for (List<String> c : received) {
            if (c.get(0).equals("PSYNC")) {
                r.add(c);
            }
        }
        return r;
    }

    private void serve() {
        for (int i = 0; ; i++) {
            Socket sock;
            try {
                sock = server.accept();
            } catch (IOException e) {
                return;
            }
            if (limited && i >= sessions.size()) {
                try {
                    sock.close();
                    server.close();
                } catch (IOException e) {
                    // gone either way
                }
                return;
            }
            // connections run concurrently: a client may reconnect while an old session still sleeps
            Session s = sessions.get(Math.min(i, sessions.size() - 1));
            Thread t = new Thread(() -> handle(sock, s), "fake-master-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private void handle(Socket socket, Session s) {
        {
            try (Socket sock = socket) {
                InputStream in = sock.getInputStream();
                OutputStream out = sock.getOutputStream();
                while (true) {
                    List<String> cmd = readCommand(in);
                    if (cmd == null) {
                        break;
                    }
                    received.add(cmd);
                    String name = cmd.get(0).toUpperCase();
                    if (name.equals("PING")) {
                        out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else if (name.equals("AUTH")) {
                        boolean ok = password != null && password.equals(cmd.get(cmd.size() - 1));
                        out.write((ok ? "+OK\r\n" : "-WRONGPASS invalid username-password pair\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        if (!ok) {
                            break;
                        }
                    } else if (name.equals("REPLCONF")) {
                        out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else if (name.equals("PSYNC")) {
                        out.flush();
                        // keep reading ACKs in the background while the session writes
                        Thread acks = new Thread(() -> {
                            try {
                                List<String> c;
                                while ((c = readCommand(in)) != null) {
                                    received.add(c);
                                }
                            } catch (IOException e) {
                                // the session closed the socket
                            }
                        }, "fake-master-acks");
                        acks.setDaemon(true);
                        acks.start();
                        s.run(cmd, out, sock);
                        out.flush();
                        break;
                    }
                    out.flush();
                }
            } catch (Exception e) {
                // a session ends by closing its socket; the client sees that
            }
        }
    }

    static List<String> readCommand(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        int n = Integer.parseInt(header.substring(1));
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line(in).substring(1));
            byte[] b = in.readNBytes(len + 2);
            argv.add(new String(b, 0, len, StandardCharsets.UTF_8));
        }
        return argv;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    /** RESP bytes of a command. */
    static byte[] resp(String... argv) {
        StringBuilder sb = new StringBuilder("*").append(argv.length).append("\r\n");
        for (String a : argv) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
