package io.redkit.cli.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Redis Cluster of {@code n} masters (no replicas) on free 127.0.0.1 ports: cluster-enabled
 * redis-servers joined by {@code redis-cli --cluster create}. {@link #start} returns once every node reports
 * {@code cluster_state:ok} and all of them agree on who serves every slot. {@link #close()} stops every node.
 */
public final class RedisClusterProcess implements AutoCloseable {
    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    /** Starts {@code masters} nodes in subdirectories of {@code dir} and creates the cluster. */
    public static RedisClusterProcess start(Path dir, int masters, String... extraArgs) throws IOException {
        ItEnv.requireRedis();
        List<RedisServerProcess> nodes = new ArrayList<>();
        RedisClusterProcess c = new RedisClusterProcess(nodes);
        try {
            for (int i = 0; i < masters; i++) {
                // the bus port is chosen too: port + 10000 may be taken or beyond 65535
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "15000",
                        "--cluster-port", Integer.toString(RedisServerProcess.freePort())));
                args.addAll(List.of(extraArgs));
                nodes.add(RedisServerProcess.start(dir.resolve("node" + i), args.toArray(new String[0])));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            for (RedisServerProcess n : nodes) {
                create.add("127.0.0.1:" + n.port());
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            nodes.get(0).cli(create.toArray(new String[0])).check();
            c.awaitStable();
            return c;
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** The nodes, in start order. */
    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String uri() {
        StringBuilder sb = new StringBuilder("redis-cluster://");
        for (int i = 0; i < nodes.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("127.0.0.1:").append(nodes.get(i).port());
        }
        return sb.toString();
    }

    /** The node ID of node {@code i} (CLUSTER MYID). */
    public String nodeId(int i) throws IOException {
        try (RespClient c = nodes.get(i).client()) {
            return RespClient.text(c.call("CLUSTER", "MYID"));
        }
    }

    /** Keys in all nodes together (DBSIZE summed). */
    public long dbsize() throws IOException {
        long n = 0;
        for (RedisServerProcess s : nodes) {
            try (RespClient c = s.client()) {
                n += RespClient.integer(c.call("DBSIZE"));
            }
        }
        return n;
    }

    /**
     * Starts {@code redis-cli --cluster reshard} moving {@code slots} slots from node {@code from} to node
     * {@code to} (keys move with MIGRATE while clients keep writing); the caller waits for the process.
     */
    public Process startReshard(int from, int to, int slots) throws IOException {
        return new ProcessBuilder("redis-cli", "--cluster", "reshard", "127.0.0.1:" + nodes.get(0).port(),
                "--cluster-from", nodeId(from), "--cluster-to", nodeId(to),
                "--cluster-slots", Integer.toString(slots), "--cluster-yes", "--cluster-pipeline", "100")
                .redirectErrorStream(true).start();
    }

    /**
     * Waits until every node says {@code cluster_state:ok} and CLUSTER SLOTS reads the same on all of them
     * (gossip has spread the configuration), for at most two minutes.
     */
    public void awaitStable() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String last = "";
        while (System.nanoTime() < deadline) {
            String first = null;
            boolean ok = true;
            for (RedisServerProcess s : nodes) {
                try (RespClient c = s.client()) {
                    String info = RespClient.text(c.call("CLUSTER", "INFO"));
                    String slots = describe(c.call("CLUSTER", "SLOTS"));
                    last = s.port() + ": " + info.lines().filter(l -> l.startsWith("cluster_state")).findFirst()
                            .orElse("?") + " " + slots;
                    ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
                    if (first == null) {
                        first = slots;
                    } else {
                        ok &= first.equals(slots);
                    }
                }
            }
            if (ok) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("the cluster did not become stable in 2 minutes; last: " + last);
    }

    /** CLUSTER SLOTS as "start-end:port ..." sorted by start, for comparing nodes' views. */
    private static String describe(Object slots) {
        List<String> ranges = new ArrayList<>();
        for (Object r : (List<?>) slots) {
            List<?> l = (List<?>) r;
            List<?> master = (List<?>) l.get(2);
            ranges.add(String.format("%05d-%05d:%s", (Long) l.get(0), (Long) l.get(1), master.get(1)));
        }
        ranges.sort(null);
        return String.join(" ", ranges);
    }

    /** Stops every node. */
    @Override
    public void close() {
        for (RedisServerProcess s : nodes) {
            s.close();
        }
    }
}
