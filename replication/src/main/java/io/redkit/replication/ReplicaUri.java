package io.redkit.replication;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A master address {@code redis://[user[:password]@]host[:port][/db]} or {@code rediss://...} (TLS),
 * or a set of Sentinels that name it, {@code redis-sentinel://[user[:password]@]host:port[,host:port]/NAME[/db]}
 * (the credentials are the master's). {@link #toString()} never shows the password.
 *
 * @param tls       true for {@code rediss://}
 * @param user      the ACL user, or null
 * @param password  the password, or null
 * @param host      host name or address (the first Sentinel for a Sentinel address)
 * @param port      TCP port (6379 by default)
 * @param db        the db in the path, or -1 (a replica receives every db; the path only filters)
 * @param sentinels the Sentinels as host:port, empty for a direct address
 * @param master    the master's name known to the Sentinels, or null
 */
public record ReplicaUri(boolean tls, String user, String password, String host, int port, int db,
                         java.util.List<String> sentinels, String master) {
    /** A direct master address. */
    public ReplicaUri(boolean tls, String user, String password, String host, int port, int db) {
        this(tls, user, password, host, port, db, java.util.List.of(), null);
    }

    /** True when {@code s} looks like a master address rather than a file path. */
    public static boolean isUri(String s) {
        return s.startsWith("redis://") || s.startsWith("rediss://") || s.startsWith("redis-sentinel://");
    }

    /** True for a {@code redis-sentinel://} address: the master is asked from the Sentinels before each connect. */
    public boolean viaSentinel() {
        return master != null;
    }

    /** Parses {@code s}; a malformed address is an {@link IllegalArgumentException} naming the part. */
    public static ReplicaUri parse(String s) {
        if (s.startsWith("redis-sentinel://")) {
            return parseSentinel(s.substring("redis-sentinel://".length()));
        }
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

    private static ReplicaUri parseSentinel(String rest) {
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = colon >= 0 ? decode(info.substring(0, colon)) : null;
            password = decode(colon >= 0 ? info.substring(colon + 1) : info);
            user = user != null && user.isEmpty() ? null : user;
            password = password.isEmpty() ? null : password;
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("no master name: expected redis-sentinel://host:port[,host:port]/NAME");
        }
        String hosts = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        int db = -1;
        int slash2 = path.indexOf('/');
        if (slash2 >= 0) {
            try {
                db = Integer.parseInt(path.substring(slash2 + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("db '" + path.substring(slash2 + 1) + "' is not a number");
            }
            path = path.substring(0, slash2);
        }
        java.util.List<String> list = new java.util.ArrayList<>();
        for (String h : hosts.split(",")) {
            int colon = h.lastIndexOf(':');
            String host = colon >= 0 ? h.substring(0, colon) : h;
            int p = colon >= 0 ? port(h.substring(colon + 1)) : 26379;
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty Sentinel host in '" + hosts + "'");
            }
            list.add(host + ":" + p);
        }
        String first = list.get(0);
        int c = first.lastIndexOf(':');
        return new ReplicaUri(false, user, password, first.substring(0, c), Integer.parseInt(first.substring(c + 1)),
                db, java.util.List.copyOf(list), decode(path));
    }

    /** The same address with another password (from the environment or a file). */
    public ReplicaUri withPassword(String pw) {
        return new ReplicaUri(tls, user, pw, host, port, db, sentinels, master);
    }

    /** The same address at another host and port (the master named by a sentinel). */
    public ReplicaUri withAddress(String h, int p) {
        return new ReplicaUri(tls, user, password, h, p, db, sentinels, master);
    }

    @Override
    public String toString() {
        if (master != null) {
            StringBuilder sb = new StringBuilder("redis-sentinel://");
            if (user != null) {
                sb.append(user).append('@');
            }
            sb.append(String.join(",", sentinels)).append('/').append(master);
            if (db >= 0) {
                sb.append('/').append(db);
            }
            return sb.toString();
        }
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
