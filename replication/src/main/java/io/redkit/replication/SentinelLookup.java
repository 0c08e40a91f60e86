package io.redkit.replication;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks Redis Sentinels where a master is ({@code SENTINEL get-master-addr-by-name NAME}), one after
 * the other until one answers. Done before every connect, so a lost link after a failover leads to
 * the promoted master. A short blocking exchange; replies are bounded (hostile or confused sentinels).
 */
final class SentinelLookup {
    /** Longest reply line read from a sentinel. */
    private static final int MAX_LINE = 1024;

    private SentinelLookup() {
    }

    /** The master's {@code host:port} as {host, port}; retryable failure when no sentinel knows it. */
    static String[] masterAddress(List<String> sentinels, String name, int timeoutMillis) throws ReplicationException {
        List<String> problems = new ArrayList<>();
        for (String s : sentinels) {
            int c = s.lastIndexOf(':');
            String host = s.substring(0, c);
            int port = Integer.parseInt(s.substring(c + 1));
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress(host, port), timeoutMillis);
                sock.setSoTimeout(timeoutMillis);
                OutputStream out = sock.getOutputStream();
                byte[] n = name.getBytes(StandardCharsets.UTF_8);
                out.write(("*3\r\n$8\r\nSENTINEL\r\n$23\r\nget-master-addr-by-name\r\n$" + n.length + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = new BufferedInputStream(sock.getInputStream());
                String head = line(in);
                if (head.startsWith("-")) {
                    problems.add(s + ": " + head.substring(1));
                    continue;
                }
                if (head.equals("*-1") || head.equals("_") || head.equals("$-1")) {
                    problems.add(s + ": does not know master '" + name + "'");
                    continue;
                }
                if (!head.equals("*2")) {
                    problems.add(s + ": unexpected reply '" + head + "'");
                    continue;
                }
                String h = bulk(in);
                String p = bulk(in);
                int mp = Integer.parseInt(p);
                if (mp < 1 || mp > 65535) {
                    problems.add(s + ": port " + mp + " out of range");
                    continue;
                }
                return new String[] {h, p};
            } catch (IOException | NumberFormatException e) {
                problems.add(s + ": " + e.getMessage());
            }
        }
        throw new ReplicationException("no sentinel gave the address of master '" + name + "': "
                + String.join("; ", problems), true);
    }

    private static String bulk(InputStream in) throws IOException {
        String len = line(in);
        if (!len.startsWith("$")) {
            throw new IOException("expected a bulk string, found '" + len + "'");
        }
        int n = Integer.parseInt(len.substring(1));
        if (n < 0 || n > MAX_LINE) {
            throw new IOException("bulk length " + n + " out of range");
        }
        byte[] b = in.readNBytes(n + 2);
        if (b.length != n + 2) {
            throw new IOException("reply cut short");
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("reply line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) c);
        }
    }
}
