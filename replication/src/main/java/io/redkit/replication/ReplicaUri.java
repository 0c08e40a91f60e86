package io.redkit.replication;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A master address {@code redis://[user[:password]@]host[:port][/db]} or {@code rediss://...} (TLS).
 * {@link #toString()} never shows the password.
 *
 * @param tls      true for {@code rediss://}
 * @param user     the ACL user, or null
 * @param password the password, or null
 * @param host     host name or address
 * @param port     TCP port (6379 by default)
 * @param db       the db in the path, or -1 (a replica receives every db; the path only filters)
 */
public record ReplicaUri(boolean tls, String user, String password, String host, int port, int db) {
    /** True when {@code s} looks like a master address rather than a file path. */
    public static boolean isUri(String s) {
        return s.startsWith("redis://") || s.startsWith("rediss://");
    }

    /** Parses {@code s}; a malformed address is an {@link IllegalArgumentException} naming the part. */
    public static ReplicaUri parse(String s) {
        boolean tls;
        String rest;
        if (s.startsWith("redis://")) {
            tls = false;
            rest = s.substring("redis://".length());
        } else if (s.startsWith("rediss://")) {
            tls = true;
            rest = s.substring("rediss://".length());
        } else {
            throw new IllegalArgumentException("not a redis:// or rediss:// address");
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            if (colon >= 0) {
                user = decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            } else {
                // redis://secret@host is the common shorthand for a password without a user
                password = decode(info);
            }
            if (user != null && user.isEmpty()) {
                user = null;
            }
            if (password != null && password.isEmpty()) {
                // redis://user:@host names the user; the password comes from elsewhere
                password = null;
            }
        }
        int db = -1;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!path.isEmpty()) {
                try {
                    db = Integer.parseInt(path);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("db '" + path + "' is not a number");
                }
                if (db < 0) {
                    throw new IllegalArgumentException("db " + db + " is negative");
                }
            }
        }
        String host;
        int port = 6379;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in the IPv6 host");
            }
            host = rest.substring(1, close);
            rest = rest.substring(close + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1));
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("unexpected '" + rest + "' after the host");
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                host = rest.substring(0, colon);
                port = port(rest.substring(colon + 1));
            } else {
                host = rest;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        return new ReplicaUri(tls, user, password, host, port, db);
    }

    /** The same address with another password (from the environment or a file). */
    public ReplicaUri withPassword(String pw) {
        return new ReplicaUri(tls, user, pw, host, port, db);
    }

    /** The same address at another host and port (the master named by a sentinel). */
    public ReplicaUri withAddress(String h, int p) {
        return new ReplicaUri(tls, user, password, h, p, db);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tls ? "rediss://" : "redis://");
        if (user != null) {
            sb.append(user).append('@');
        }
        sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(port);
        if (db >= 0) {
            sb.append('/').append(db);
        }
        return sb.toString();
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " out of range 1..65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + s + "' is not a number");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
