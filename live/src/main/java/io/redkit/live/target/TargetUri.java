package io.redkit.live.target;

import io.redkit.live.net.HostPort;
import io.redkit.replication.ReplicaUri;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a migration writes: {@code redis://[user[:password]@]host[:port][/db]}, {@code rediss://...} (TLS),
 * {@code redis-sentinel://[user[:password]@]host:port[,host:port]/NAME} (the master the Sentinels name), or
 * {@code redis-cluster://[user[:password]@]host:port[,host:port...]} ({@code rediss-cluster://} with TLS): any
 * reachable node of a cluster, the others are found from its topology. {@link #toString()} hides the password.
 *
 * @param kind     which form
 * @param tls      true for rediss:// and rediss-cluster://
 * @param user     the ACL user, or null
 * @param password the password, or null
 * @param nodes    the server (standalone), the Sentinels, or the cluster seed nodes
 * @param master   the Sentinel master name, else null
 * @param db       the db of the path for a standalone server, or -1 (keys keep their own db)
 */
public record TargetUri(Kind kind, boolean tls, String user, String password, List<HostPort> nodes, String master,
                        int db) {
    /** The forms of target address. */
    public enum Kind { STANDALONE, SENTINEL, CLUSTER }

    /** True when {@code s} names a live Redis target rather than a path or kv:DIR. */
    public static boolean isTarget(String s) {
        return ReplicaUri.isUri(s) || s.startsWith("redis-cluster://") || s.startsWith("rediss-cluster://");
    }

    /** Parses an address; a malformed one is an {@link IllegalArgumentException} naming the part. */
    public static TargetUri parse(String s) {
        if (s.startsWith("redis-cluster://") || s.startsWith("rediss-cluster://")) {
            boolean tls = s.startsWith("rediss-");
            ReplicaUri.Authority a = ReplicaUri.Authority.parse(s.substring(s.indexOf("://") + 3));
            if (a.path() != null && !a.path().isEmpty() && !a.path().equals("0")) {
                throw new IllegalArgumentException("a cluster has only db 0: no other db path is possible");
            }
            if (a.hosts().isEmpty()) {
                throw new IllegalArgumentException("no host in the cluster address");
            }
            List<HostPort> nodes = new ArrayList<>();
            for (String h : a.hosts().split(",", -1)) {
                nodes.add(HostPort.parse(h.strip(), 6379));
            }
            return new TargetUri(Kind.CLUSTER, tls, a.user(), a.password(), List.copyOf(nodes), null, -1);
        }
        ReplicaUri u = ReplicaUri.parse(s);
        return fromReplicaUri(u);
    }

    /** The same target from a parsed master address (standalone or Sentinel). */
    public static TargetUri fromReplicaUri(ReplicaUri u) {
        if (u.viaSentinel()) {
            List<HostPort> nodes = new ArrayList<>();
            for (String h : u.sentinels()) {
                nodes.add(HostPort.parse(h, 26379));
            }
            return new TargetUri(Kind.SENTINEL, u.tls(), u.user(), u.password(), List.copyOf(nodes), u.master(), u.db());
        }
        return new TargetUri(Kind.STANDALONE, u.tls(), u.user(), u.password(), List.of(new HostPort(u.host(), u.port())),
                null, u.db());
    }

    /** The same address with another password (from a file or the environment). */
    public TargetUri withPassword(String pw) {
        return new TargetUri(kind, tls, user, pw, nodes, master, db);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(switch (kind) {
            case STANDALONE -> tls ? "rediss://" : "redis://";
            case SENTINEL -> "redis-sentinel://";
            case CLUSTER -> tls ? "rediss-cluster://" : "redis-cluster://";
        });
        if (user != null) {
            sb.append(user).append('@');
        }
        for (int i = 0; i < nodes.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(nodes.get(i));
        }
        if (master != null) {
            sb.append('/').append(master);
        }
        if (db >= 0) {
            sb.append('/').append(db);
        }
        return sb.toString();
    }
}
