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
        Authority a = Authority.parse(rest);
        int db = -1;
        if (a.path() != null && !a.path().isEmpty()) {
            db = db(a.path());
        }
        Endpoint e = Endpoint.parse(a.hosts(), 6379);
        return new ReplicaUri(tls, a.user(), a.password(), e.host(), e.port(), db);
    }

    private static ReplicaUri parseSentinel(String rest) {
        Authority a = Authority.parse(rest);
        if (a.path() == null || a.path().isEmpty()) {
            throw new IllegalArgumentException("no master name: expected redis-sentinel://host:port[,host:port]/NAME");
        }
        String path = a.path();
        int db = -1;
        int slash = path.indexOf('/');
        if (slash >= 0) {
            db = db(path.substring(slash + 1));
            path = path.substring(0, slash);
        }
        java.util.List<String> list = new java.util.ArrayList<>();
        for (String h : a.hosts().split(",")) {
            Endpoint e = Endpoint.parse(h, 26379);
            // host:port without brackets, as the Sentinel lookup splits them at the last colon
            list.add(e.host() + ":" + e.port());
        }
        Endpoint first = Endpoint.parse(a.hosts().split(",")[0], 26379);
        return new ReplicaUri(false, a.user(), a.password(), first.host(), first.port(), db,
                java.util.List.copyOf(list), decode(path));
    }

    private static int db(String s) {
        int db;
        try {
            db = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("db '" + s + "' is not a number");
        }
        if (db < 0) {
            throw new IllegalArgumentException("db " + db + " is negative");
        }
        return db;
    }

    /**
     * What follows the scheme of any server address, {@code [user[:password]@]hosts[/path]}, split: the
     * credentials percent-decoded, an empty user or password as null (so it may come from elsewhere).
     *
     * @param user     the ACL user, or null
     * @param password the password, or null
     * @param hosts    the text between the credentials and the path (one host:port or a comma-separated list)
     * @param path     what follows the first slash, or null without one
     */
    public record Authority(String user, String password, String hosts, String path) {
        /** Splits {@code rest}, the address without its scheme. */
        public static Authority parse(String rest) {
            String user = null;
            String password = null;
            // the last @: a password may hold an unescaped @, a host never does
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                String info = rest.substring(0, at);
                rest = rest.substring(at + 1);
                int colon = info.indexOf(':');
                // redis://secret@host is the common shorthand for a password without a user
                user = colon >= 0 ? decode(info.substring(0, colon)) : null;
                password = decode(colon >= 0 ? info.substring(colon + 1) : info);
                user = user != null && user.isEmpty() ? null : user;
                // redis://user:@host names the user; the password comes from elsewhere
                password = password.isEmpty() ? null : password;
            }
            String path = null;
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                path = rest.substring(slash + 1);
                rest = rest.substring(0, slash);
            }
            return new Authority(user, password, rest, path);
        }
    }

    /**
     * One server, {@code host[:port]} with an IPv6 host in brackets; {@link #toString()} writes it back so.
     *
     * @param host host name or address, without brackets
     * @param port TCP port, 1..65535
     */
    public record Endpoint(String host, int port) {
        /** Parses {@code s}; a missing port is {@code defaultPort}; a malformed one names the fault. */
        public static Endpoint parse(String s, int defaultPort) {
            String host = s;
            int port = defaultPort;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed [ in '" + s + "'");
                }
                host = s.substring(1, close);
                if (s.length() > close + 1) {
                    if (s.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException("unexpected text after ] in '" + s + "'");
                    }
                    port = parsePort(s.substring(close + 2));
                }
            } else {
                int colon = s.lastIndexOf(':');
                if (colon >= 0) {
                    host = s.substring(0, colon);
                    port = parsePort(s.substring(colon + 1));
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("no host in '" + s + "'");
            }
            return new Endpoint(host, port);
        }

        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
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
        sb.append(new Endpoint(host, port));
        if (db >= 0) {
            sb.append('/').append(db);
        }
        return sb.toString();
    }

    private static int parsePort(String s) {
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
