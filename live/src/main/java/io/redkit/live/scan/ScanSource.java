package io.redkit.live.scan;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.live.net.BlockingRespClient;
import io.redkit.live.net.HostPort;
import io.redkit.live.net.Reply;
import io.redkit.live.target.TargetUri;
import io.redkit.core.event.Event;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.DumpPayloads;
import io.redkit.rdb.RdbReader;
import io.redkit.replication.ReplicaUri;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The data of a live server ({@code redis://}, {@code rediss://}) or of every master of a cluster
 * ({@code redis-cluster://host:port[,host:port...]}) as events, read by SCAN: each database that INFO keyspace
 * names (a cluster: db 0 of each master from CLUSTER SLOTS), its keys by SCAN batches, each key's value from its
 * DUMP payload and its absolute expiry from PEXPIRETIME (PTTL plus the local clock before Redis 7.0). The events
 * are those of an RDB reader: Begin, SelectDb, keys, End. Memory stays bounded: one batch of key names and the
 * reader's chunks; a big value streams from the socket.
 *
 * <p>The source is not a snapshot: a key deleted between SCAN and DUMP is skipped ({@link #vanished()}), one whose
 * slot moved to another master meanwhile is counted in {@link #moved()}, and keys written during the scan may or
 * may not be seen, as with SCAN itself, which may also return a key twice while the server resizes a table (so may
 * this source; the comparison of {@code redkit diff} counts such a key once).
 */
public final class ScanSource implements EventSource {
    /** The scheme of a cluster address. */
    public static final String CLUSTER_SCHEME = "redis-cluster://";

    private final RdbReader reader;
    private final ScanStream stream;
    private final ScanStream.Stats stats;
    private final String name;
    private final String description;
    private final List<ScanStream.Node> nodes;
    private final ScanOptions options;
    private final int version;
    private final boolean absoluteExpiry;
    private boolean used;

    private ScanSource(List<ScanStream.Node> nodes, ScanOptions o, int version, boolean absoluteExpiry, String name,
                       String description) {
        this.nodes = nodes;
        this.options = o;
        this.version = version;
        this.absoluteExpiry = absoluteExpiry;
        this.stats = new ScanStream.Stats();
        this.stream = new ScanStream(nodes, o, version, absoluteExpiry, stats, true);
        this.name = name;
        this.description = description;
        this.reader = RdbReader.builder(stream, name).limits(o.limits()).readAhead(false).build();
    }

    /** True for the addresses this source reads: {@code redis://}, {@code rediss://}, {@code redis-cluster://}. */
    public static boolean isLive(String s) {
        return s != null && (s.startsWith("redis://") || s.startsWith("rediss://") || s.startsWith(CLUSTER_SCHEME));
    }

    /**
     * Connects to the server (or a cluster seed) to find what to scan; keys are read as {@link #next()} is called.
     *
     * @throws IllegalArgumentException for a malformed address
     * @throws IOException              when the server cannot be reached or refuses
     */
    public static ScanSource open(String address, ScanOptions options) throws IOException {
        boolean cluster = address.startsWith(CLUSTER_SCHEME);
        List<ReplicaUri> seeds = parse(address);
        ReplicaUri first = seeds.get(0);
        ScanOptions o = first.password() != null ? options.withCredentials(first.user(), first.password())
                : options.withCredentials(first.user() != null ? first.user() : options.user(), options.password());
        if (first.tls() && o.tls() == null) {
            o = o.withTls(ScanOptions.tlsFactory(null, null, null, false));
        }
        String name = cluster ? CLUSTER_SCHEME + String.join(",", seeds.stream()
                .map(u -> u.host() + ":" + u.port()).toList()) : first.toString();
        List<ScanStream.Node> nodes = new ArrayList<>();
        Map<String, String> info = null;
        IOException lastFailure = null;
        for (ReplicaUri seed : seeds) {
            try (BlockingRespClient c = o.connect(seed.host(), seed.port())) {
                info = info(c, "server");
                if (cluster) {
                    nodes.addAll(masters(c, seed.host()));
                } else {
                    List<Integer> dbs = new ArrayList<>();
                    if (seed.db() >= 0) {
                        dbs.add(seed.db());
                    } else {
                        for (String k : info(c, "keyspace").keySet()) {
                            if (k.startsWith("db")) {
                                dbs.add(Integer.parseInt(k.substring(2)));
                            }
                        }
                        dbs.sort(Comparator.naturalOrder());
                    }
                    nodes.add(new ScanStream.Node(seed.host(), seed.port(), dbs));
                }
                break;
            } catch (RedkitException e) {
                throw e;
            } catch (IOException e) {
                lastFailure = e;
            } catch (NumberFormatException e) {
                throw new RedkitException(ErrorKind.BAD_FORMAT, seed.host() + ":" + seed.port(), -1, "INFO keyspace",
                        "a database name is not db<number>");
            }
        }
        if (info == null) {
            throw lastFailure;
        }
        int version = rdbVersion(info);
        boolean absolute = atLeast(info.getOrDefault("redis_version", "0"), 7, 0);
        String description = cluster ? "Redis Cluster, " + nodes.size() + " master(s) (SCAN)" : "live server (SCAN)";
        return new ScanSource(List.copyOf(nodes), o, version, absolute, name, description);
    }

    /**
     * The servers an address names: one for {@code redis://} and {@code rediss://}, the seeds of
     * {@code redis-cluster://[user[:password]@]host:port[,host:port...]}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static List<ReplicaUri> parse(String address) {
        if (!address.startsWith(CLUSTER_SCHEME)) {
            if (!isLive(address)) {
                throw new IllegalArgumentException("not a redis://, rediss:// or " + CLUSTER_SCHEME + " address");
            }
            return List.of(ReplicaUri.parse(address));
        }
        TargetUri t = TargetUri.parse(address);
        List<ReplicaUri> seeds = new ArrayList<>();
        for (HostPort h : t.nodes()) {
            seeds.add(new ReplicaUri(false, t.user(), t.password(), h.host(), h.port(), -1));
        }
        return seeds;
    }

    /** The masters in CLUSTER SLOTS (the first node of each range), ordered by address. */
    private static List<ScanStream.Node> masters(BlockingRespClient c, String seedHost) throws IOException {
        Reply r = c.call("CLUSTER", "SLOTS");
        if (r.isError()) {
            throw new IOException(c.name() + ": CLUSTER SLOTS failed: " + r.text());
        }
        Map<String, ScanStream.Node> found = new LinkedHashMap<>();
        for (Reply range : r.items()) {
            List<Reply> l = range.items();
            List<Reply> node = l.size() >= 3 ? l.get(2).items() : List.of();
            if (node.size() >= 2 && node.get(0).type() == Reply.Type.BULK
                    && node.get(1).type() == Reply.Type.INTEGER) {
                byte[] ip = node.get(0).bytes();
                long port = node.get(1).asLong();
                String host = ip.length == 0 || "?".equals(ascii(ip)) ? seedHost : ascii(ip);
                found.putIfAbsent(host + ":" + port, new ScanStream.Node(host, (int) port, List.of(0)));
            } else {
                throw new RedkitException(ErrorKind.BAD_FORMAT, c.name(), -1, "CLUSTER SLOTS",
                        "expected [start, end, [ip, port, ...], ...] per range");
            }
        }
        List<ScanStream.Node> nodes = new ArrayList<>(found.values());
        nodes.sort(Comparator.comparing(ScanStream.Node::host).thenComparingInt(ScanStream.Node::port));
        return nodes;
    }

    /** One INFO section as name to value. */
    private static Map<String, String> info(BlockingRespClient c, String section) throws IOException {
        Reply r = c.call("INFO", section);
        if (r.isError()) {
            throw new IOException(c.name() + ": INFO failed: " + r.text());
        }
        if (r.type() != Reply.Type.BULK) {
            throw new RedkitException(ErrorKind.BAD_FORMAT, c.name(), -1, "INFO", "expected a bulk string");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.text().split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                m.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    /**
     * The RDB version a server's DUMP writes, from its INFO: Redis 3.2 wrote 7, 4.0 8, 5.0 to 6.2 9, 7.0 10, 7.2 11,
     * 7.4 12; a later Redis gets the newest version known here, Valkey 9 its own dialect's 80.
     */
    static int rdbVersion(Map<String, String> info) {
        String valkey = info.get("valkey_version");
        if (valkey != null && "valkey".equalsIgnoreCase(info.getOrDefault("server_name", "valkey"))) {
            return atLeast(valkey, 9, 0) ? 80 : 11;
        }
        String v = info.getOrDefault("redis_version", "0");
        if (atLeast(v, 8, 0)) {
            return 15;
        }
        if (atLeast(v, 7, 4)) {
            return 12;
        }
        if (atLeast(v, 7, 2)) {
            return 11;
        }
        if (atLeast(v, 7, 0)) {
            return 10;
        }
        if (atLeast(v, 5, 0)) {
            return 9;
        }
        if (atLeast(v, 4, 0)) {
            return 8;
        }
        return atLeast(v, 3, 2) ? 7 : 6;
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] p = version.split("\\.");
        try {
            int ma = Integer.parseInt(p[0]);
            int mi = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * Instead of events: the scan written to {@code out} as an RDB file (each payload checked on the way, values
     * never decoded); it loads into redis-server and reads back with the same keys. Only once, and not after
     * {@link #next()}. The masters of a cluster are read at once, each into a part file in {@code tempDir} (null:
     * the system's), and the parts are then appended to {@code out} in order.
     */
    public void copyTo(OutputStream out, Path tempDir) throws IOException {
        if (used) {
            throw new IllegalStateException("the source was already read");
        }
        used = true;
        if (nodes.size() <= 1) {
            transfer(stream, out);
            return;
        }
        List<Path> parts = new ArrayList<>();
        List<ScanStream> streams = new ArrayList<>();
        List<ScanStream.Stats> partStats = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size(), r -> {
            Thread t = new Thread(r, "redkit-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ScanStream.Node n : nodes) {
                Path part = tempDir != null ? Files.createTempFile(tempDir, "redkit-scan-", ".part")
                        : Files.createTempFile("redkit-scan-", ".part");
                parts.add(part);
                ScanStream.Stats st = new ScanStream.Stats();
                partStats.add(st);
                ScanStream s = new ScanStream(List.of(n), options, version, absoluteExpiry, st, false);
                streams.add(s);
                done.add(pool.submit(() -> {
                    try (s; OutputStream f = Files.newOutputStream(part)) {
                        transfer(s, f);
                    }
                    return null;
                }));
            }
            awaitAll(done, streams);
            out.write(DumpPayloads.header(version));
            for (Path part : parts) {
                Files.copy(part, out);
            }
            out.write(DumpPayloads.trailer());
        } finally {
            pool.shutdownNow();
            for (ScanStream.Stats st : partStats) {
                stats.keys += st.keys;
                stats.vanished += st.vanished;
                stats.moved += st.moved;
                stats.payloadBytes += st.payloadBytes;
                stats.nodes.addAll(st.nodes);
            }
            for (Path part : parts) {
                Files.deleteIfExists(part);
            }
        }
    }

    /** Waits for every part; the first failure closes the other parts' connections and is thrown. */
    private static void awaitAll(List<Future<?>> done, List<ScanStream> streams) throws IOException {
        IOException first = null;
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                IOException io = c instanceof IOException x ? x : new IOException("scan failed: " + c, c);
                if (first == null) {
                    first = io;
                    for (ScanStream s : streams) {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // the part fails on its own
                        }
                    }
                } else if (c != first) {
                    first.addSuppressed(c);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while scanning");
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Copies in full buffers: the scan hands out a few bytes per key prefix, a write each would be a system call. */
    private static void transfer(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int fill = 0;
        for (int n = in.read(buf, 0, buf.length); n >= 0; n = in.read(buf, fill, buf.length - fill)) {
            fill += n;
            if (fill == buf.length) {
                out.write(buf, 0, fill);
                fill = 0;
            }
        }
        out.write(buf, 0, fill);
    }

    @Override
    public Event next() throws IOException {
        used = true;
        return reader.next();
    }

    @Override
    public void skipValue() throws IOException {
        reader.skipValue();
    }

    /** The address as given, without a password. */
    public String name() {
        return name;
    }

    /** What was scanned, for reports: {@code live server (SCAN)} or {@code Redis Cluster, 3 master(s) (SCAN)}. */
    public String description() {
        return description;
    }

    /** Keys read so far. */
    public long keys() {
        return stats.keys;
    }

    /** Keys SCAN returned that were deleted (or expired) before their DUMP. */
    public long vanished() {
        return stats.vanished;
    }

    /** Keys whose slot moved to another master between SCAN and DUMP (a cluster being resharded). */
    public long moved() {
        return stats.moved;
    }

    /** DUMP payload bytes read so far. */
    public long payloadBytes() {
        return stats.payloadBytes;
    }

    /** The nodes connected so far, as host:port. */
    public List<String> nodes() {
        return List.copyOf(stats.nodes);
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d keys", name, stats.keys);
    }
}
