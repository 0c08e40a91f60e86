package io.redkit.live.target;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.Slots;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.FunctionLibrary;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StreamPending;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.Sink;
import io.redkit.live.net.HostPort;
import io.redkit.live.net.Reply;
import io.redkit.live.net.RespConnection;
import io.redkit.rdb.encoding.Crc64;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes an event stream into a live Redis server or Redis Cluster; a {@link Sink}, so {@code Pipeline.run} drives it
 * from any source. Open one with {@link #open(TargetUri, TargetOptions)}; {@link #close()} waits for every reply and
 * throws the first failure; {@link #report()} says what was done.
 *
 * <ul>
 * <li>Keys: {@code RESTORE key expire-at payload ABSTTL [REPLACE]} with the reader's raw payload when the target
 *     accepts the source's RDB version (the target's from {@code INFO server}); otherwise, and for every value above
 *     the big-value threshold, commands rebuilt from the decoded value (SET; RPUSH/SADD/HSET/ZADD/XADD chunks into a
 *     scratch key in the key's slot, then PEXPIREAT and RENAME, or RENAMENX when existing keys must not be
 *     replaced). TTLs are absolute; keys already expired are not written.</li>
 * <li>Replicated commands (AOF, replication stream) are sent as they are, MULTI/EXEC kept together (in a cluster
 *     when the keys share a slot; split with a notice otherwise).</li>
 * <li>Pipelined on Netty, a bounded window of commands and bytes in flight (the producer waits), optional key and
 *     byte rates.</li>
 * <li>Cluster: slots from CLUSTER SHARDS (or CLUSTER SLOTS), CRC16 routing with hash tags, one connection per
 *     master, MOVED (slot map updated) and ASK (ASKING) followed after the in-flight commands are answered, so a
 *     key's commands stay in order during a resharding; TRYAGAIN resent after a pause.</li>
 * <li>A lost connection is retried with back-off for {@link TargetOptions#retryMillis()}. Commands without a reply
 *     are sent again: keys with replace semantics (RESTORE ... REPLACE, RENAME; chunks of a list or string already
 *     applied are found by LLEN/STRLEN of the scratch key and not repeated). A replicated command whose reply was
 *     lost is sent again only when it is idempotent (SET, DEL, HSET, SADD, ZADD, PEXPIREAT, ...); others (INCR,
 *     RPUSH, ...) are counted as {@link TargetReport#uncertain()} and named in a notice, never sent twice.</li>
 * </ul>
 * One producer thread calls {@link #accept}; replies are handled on the event loop.
 */
public final class RedisTargetSink implements Sink {
    private static final byte[] SELECT = ascii("SELECT");
    private static final byte[] ASKING = ascii("ASKING");
    private static final byte[] RESTORE = ascii("RESTORE");
    private static final byte[] REPLACE = ascii("REPLACE");
    private static final byte[] ABSTTL = ascii("ABSTTL");
    private static final byte[] SET = ascii("SET");
    private static final byte[] NX = ascii("NX");
    private static final byte[] PXAT = ascii("PXAT");
    private static final byte[] APPEND = ascii("APPEND");
    private static final byte[] RPUSH = ascii("RPUSH");
    private static final byte[] SADD = ascii("SADD");
    private static final byte[] HSET = ascii("HSET");
    private static final byte[] ZADD = ascii("ZADD");
    private static final byte[] DEL = ascii("DEL");
    private static final byte[] RENAME = ascii("RENAME");
    private static final byte[] RENAMENX = ascii("RENAMENX");
    private static final byte[] PEXPIREAT = ascii("PEXPIREAT");
    private static final byte[] SCRATCH_GROUP = ascii("redkit-scratch-group");
    private static final int MAX_NOTICES = 20;
    /** A command redirected this often (TRYAGAIN pauses 50 ms each) means the cluster is stuck, not resharding. */
    private static final int MAX_REDIRECTS = 1200;

    private final TargetUri uri;
    private final TargetOptions opt;
    private final EventLoopGroup group;
    private final boolean cluster;
    private final Map<HostPort, Node> nodes = new LinkedHashMap<>();
    private final Node[] slots;
    private Node single;
    private final int targetRdbVersion;
    private final boolean hashFieldTtl;
    private final boolean functions;
    private final TempKeys temps;
    private final Window window;
    /** Flushes what a quiet producer left buffered; its own thread, so the event loop never waits for a lock. */
    private final java.util.concurrent.ScheduledExecutorService flusher;

    private final ConcurrentLinkedQueue<Redirect> redirects = new ConcurrentLinkedQueue<>();
    /** Keys whose RENAMENX met an existing key: their scratch key is deleted by the producer. */
    private final ConcurrentLinkedQueue<Unit> cleanups = new ConcurrentLinkedQueue<>();
    private boolean cleaning;
    private volatile boolean redirectPending;
    /** Set on the event loop when a connection ends; the producer then looks for broken nodes. */
    private volatile boolean lost;
    /**
     * Set on the event loop after it recorded a lost node, a redirect, a conflict's cleanup or a failure: the
     * producer's per-command {@link #poll()} then looks at all of them, and reads one flag otherwise.
     */
    private volatile boolean attention;
    /** The nodes for the periodic flusher, replaced (not changed) when a node is added. */
    private volatile Node[] nodeArray = new Node[0];
    private final AtomicReference<IOException> fatal = new AtomicReference<>();
    private final Object lostLock = new Object();

    private final LongAdder keys = new LongAdder();
    private final LongAdder keysRestored = new LongAdder();
    private final LongAdder replicated = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder unsupported = new LongAdder();
    private final LongAdder commandErrors = new LongAdder();
    private final LongAdder uncertain = new LongAdder();
    private final AtomicLong noticesGiven = new AtomicLong();

    // producer state
    private int sourceVersion = -1;
    private boolean sourceRedisDialect = true;
    private long tmpCounter;
    private final Rate keyRate;
    private final Rate byteRate;
    private List<Command> txn;
    private boolean closed;

    // the key being written
    private KeyHeader header;
    private boolean skipKey;
    private final List<Event> parts = new ArrayList<>();
    private long partBytes;
    private long partElements;
    private boolean streaming;
    private Unit unit;
    private boolean wroteValue;
    private long lenSoFar;
    private byte[] batchCmd;
    private final List<byte[]> batch = new ArrayList<>();
    private long batchBytes;
    private int batchElements;
    private final List<HashField> batchTtls = new ArrayList<>();
    private boolean fieldTtlReported;
    /** The caller dropped the key's parts after {@link #rawPayloadOnly(boolean)}: only its raw payload can write it. */
    private boolean partsDropped;

    private RedisTargetSink(TargetUri uri, TargetOptions opt) {
        this.uri = uri;
        this.opt = opt;
        this.cluster = uri.kind() == TargetUri.Kind.CLUSTER;
        this.slots = cluster ? new Node[Slots.COUNT] : null;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("redkit-target", true));
        this.window = new Window(opt.windowCommands(), opt.windowBytes());
        this.temps = new TempKeys(Long.toString(ThreadLocalRandom.current().nextLong() & 0xffffffffL, 36));
        this.keyRate = new Rate(opt.keysPerSecond());
        this.byteRate = new Rate(opt.bytesPerSecond());
        int version = -1;
        boolean hfe = false;
        boolean fn = false;
        try {
            connectAll();
            Node first = nodes.values().iterator().next();
            Reply info = first.conn.call("INFO", "server");
            String redisVersion = infoField(info.text(), "redis_version");
            version = redisVersion == null ? -1 : RdbVersions.forServer(redisVersion);
            hfe = version >= 12;
            fn = version >= 10;
        } catch (IOException e) {
            shutdown();
            throw new TargetFailure(e);
        } catch (RuntimeException e) {
            shutdown();
            throw e;
        }
        this.targetRdbVersion = version;
        this.hashFieldTtl = hfe;
        this.functions = fn;
        this.flusher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redkit-target-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushAllQuietly, 5, 5, TimeUnit.MILLISECONDS);
    }

    /** Wraps a connect failure through the constructor. */
    private static final class TargetFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TargetFailure(IOException e) {
            super(e);
        }
    }

    /**
     * Connects to the target (for a cluster: a seed, then every master of its topology; for Sentinel: the master the
     * Sentinels name) and reads the server version. A connection or authentication failure is an IOException.
     */
    public static RedisTargetSink open(TargetUri uri, TargetOptions opt) throws IOException {
        try {
            return new RedisTargetSink(uri, opt);
        } catch (TargetFailure f) {
            throw (IOException) f.getCause();
        }
    }

    /** The RDB version the target accepts in RESTORE payloads (from its version), or -1 when unknown. */
    public int targetRdbVersion() {
        return targetRdbVersion;
    }

    /** The nodes written to (the masters of a cluster). */
    public List<String> nodes() {
        List<String> l = new ArrayList<>();
        for (HostPort h : nodes.keySet()) {
            l.add(h.toString());
        }
        return l;
    }

    /** The counters so far (complete after {@link #close()}). */
    public TargetReport report() {
        long commands = 0;
        long bytes = 0;
        long retries = 0;
        long redirectCount = 0;
        List<TargetReport.NodeReport> per = new ArrayList<>();
        for (Node n : nodes.values()) {
            TargetReport.NodeReport r = n.report();
            per.add(r);
            commands += r.commands();
            bytes += r.bytes();
            retries += r.retries();
            redirectCount += r.redirects();
        }
        return new TargetReport(keys.sum(), keysRestored.sum(), commands, bytes, replicated.sum(), retries,
                redirectCount, skipped.sum(), expired.sum(), unsupported.sum(), commandErrors.sum(), uncertain.sum(),
                List.copyOf(per));
    }

    // ------------------------------------------------------------------ connections and topology

    private void connectAll() throws IOException {
        switch (uri.kind()) {
            case STANDALONE -> {
                single = new Node(uri.nodes().get(0), this);
                single.attach(connect(single.address));
                nodes.put(single.address, single);
                nodeArray = nodes.values().toArray(new Node[0]);
            }
            case SENTINEL -> {
                HostPort master = sentinelMaster();
                single = new Node(master, this);
                single.attach(connect(master));
                nodes.put(master, single);
                nodeArray = nodes.values().toArray(new Node[0]);
            }
            case CLUSTER -> refreshTopology();
        }
    }

    private RespConnection connect(HostPort a) throws IOException {
        RespConnection c = RespConnection.connect(group, a, opt.ssl(), opt.connectTimeoutMillis(),
                opt.readTimeoutMillis(), uri.user(), uri.password());
        Reply ping = c.call("PING");
        if (ping.isError()) {
            // a restarted server answers LOADING until its data is back: retried like a refused connection
            c.close();
            throw new IOException(a + ": " + ping.text());
        }
        if (!cluster && uri.db() > 0) {
            // a db in the target address moves every key there
            Reply r = c.call("SELECT", Integer.toString(uri.db()));
            if (r.isError()) {
                c.close();
                throw new IOException(a + ": SELECT " + uri.db() + ": " + r.text());
            }
        }
        return c;
    }

    private HostPort sentinelMaster() throws IOException {
        List<String> problems = new ArrayList<>();
        for (HostPort s : uri.nodes()) {
            try (RespConnection c = RespConnection.connect(group, s, null, opt.connectTimeoutMillis(), 10_000, null,
                    null)) {
                Reply r = c.call("SENTINEL", "get-master-addr-by-name", uri.master());
                if (r.isError()) {
                    problems.add(s + ": " + r.text());
                } else if (r.isNull() || r.items().size() != 2) {
                    problems.add(s + ": does not know master '" + uri.master() + "'");
                } else {
                    return new HostPort(r.items().get(0).text(), (int) r.items().get(1).asLong());
                }
            } catch (IOException | RuntimeException e) {
                problems.add(s + ": " + e.getMessage());
            }
        }
        throw new IOException("no sentinel gave the address of master '" + uri.master() + "': "
                + String.join("; ", problems));
    }

    /** Reads the slot map from any reachable node (known masters first, then the seeds). */
    private void refreshTopology() throws IOException {
        List<HostPort> candidates = new ArrayList<>(nodes.keySet());
        for (HostPort s : uri.nodes()) {
            if (!candidates.contains(s)) {
                candidates.add(s);
            }
        }
        List<String> problems = new ArrayList<>();
        for (HostPort h : candidates) {
            Node known = nodes.get(h);
            RespConnection c = null;
            boolean temporary = false;
            try {
                if (known != null && known.conn != null && known.conn.isOpen()) {
                    c = known.conn;
                } else {
                    c = connect(h);
                    temporary = true;
                }
                Map<Integer, HostPort> map = slotMap(c, h);
                if (temporary) {
                    c.close();
                }
                applyTopology(map);
                return;
            } catch (IOException | RuntimeException e) {
                if (temporary && c != null) {
                    c.close();
                }
                problems.add(h + ": " + e.getMessage());
            }
        }
        throw new IOException("no cluster node gave the slot map: " + String.join("; ", problems));
    }

    private void applyTopology(Map<Integer, HostPort> map) throws IOException {
        if (map.size() < Slots.COUNT) {
            throw new IOException("the cluster covers " + map.size() + " of " + Slots.COUNT + " slots");
        }
        for (Map.Entry<Integer, HostPort> e : map.entrySet()) {
            slots[e.getKey()] = nodeFor(e.getValue());
        }
    }

    /** The node at {@code h}, connected on first use. */
    private Node nodeFor(HostPort h) throws IOException {
        Node n = nodes.get(h);
        if (n == null) {
            n = new Node(h, this);
            n.attach(connect(h));
            nodes.put(h, n);
            nodeArray = nodes.values().toArray(new Node[0]);
        }
        return n;
    }

    /** slot to master from CLUSTER SHARDS (Redis 7+), else CLUSTER SLOTS. */
    private static Map<Integer, HostPort> slotMap(RespConnection c, HostPort via) throws IOException {
        Map<Integer, HostPort> map = new HashMap<>();
        Reply r = c.call("CLUSTER", "SHARDS");
        if (!r.isError()) {
            for (Reply shard : r.items()) {
                Map<String, Reply> s = pairs(shard);
                HostPort master = null;
                for (Reply node : s.getOrDefault("nodes", Reply.NULL).items()) {
                    Map<String, Reply> nm = pairs(node);
                    if ("master".equals(text(nm.get("role"))) && !"fail".equals(text(nm.get("health")))) {
                        String ip = text(nm.get("ip"));
                        if (ip == null || ip.isEmpty() || "?".equals(ip)) {
                            ip = text(nm.get("endpoint"));
                        }
                        Reply port = nm.get("port");
                        if (port == null) {
                            port = nm.get("tls-port");
                        }
                        master = new HostPort(ip == null || ip.isEmpty() ? via.host() : ip, (int) port.asLong());
                    }
                }
                List<Reply> ranges = s.getOrDefault("slots", Reply.NULL).items();
                if (master == null) {
                    continue;
                }
                for (int i = 0; i + 1 < ranges.size(); i += 2) {
                    for (long sl = ranges.get(i).asLong(); sl <= ranges.get(i + 1).asLong(); sl++) {
                        map.put((int) sl, master);
                    }
                }
            }
            return map;
        }
        r = c.call("CLUSTER", "SLOTS");
        if (r.isError()) {
            throw new IOException(via + " is not a cluster node: " + r.text());
        }
        for (Reply range : r.items()) {
            List<Reply> it = range.items();
            List<Reply> m = it.get(2).items();
            String ip = m.get(0).text();
            HostPort master = new HostPort(ip.isEmpty() ? via.host() : ip, (int) m.get(1).asLong());
            for (long sl = it.get(0).asLong(); sl <= it.get(1).asLong(); sl++) {
                map.put((int) sl, master);
            }
        }
        return map;
    }

    private static Map<String, Reply> pairs(Reply flat) {
        Map<String, Reply> m = new HashMap<>();
        List<Reply> l = flat.items();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            m.put(l.get(i).text(), l.get(i + 1));
        }
        return m;
    }

    private static String text(Reply r) {
        return r == null || r.isNull() ? null : r.text();
    }

    private static String infoField(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ events

    @Override
    public void accept(Event e) throws IOException {
        if (closed) {
            throw new IOException("the target writer is closed");
        }
        switch (e.kind()) {
            case BEGIN -> {
                Begin b = (Begin) e;
                if (b.rdbVersion() > 0) {
                    sourceVersion = b.rdbVersion();
                    sourceRedisDialect = b.dialect() == null || b.dialect() == Dialect.REDIS;
                }
            }
            case KEY_START -> startKey(((KeyStart) e).header());
            case STRING_PART, ELEMENTS, HASH_FIELDS, ZSET_MEMBERS, STREAM_ENTRIES, STREAM_META, ARRAY_ELEMENTS,
                    MODULE_VALUE -> part(e);
            case KEY_END -> endKey((KeyEnd) e);
            case FUNCTION_LIBRARY -> function(((FunctionLibrary) e).code());
            case COMMAND -> command((Command) e);
            default -> {
                // framing, aux fields, module aux data: nothing to write
            }
        }
    }

    // ------------------------------------------------------------------ keys

    private void startKey(KeyHeader h) throws IOException {
        header = h;
        parts.clear();
        partBytes = 0;
        partElements = 0;
        streaming = false;
        unit = null;
        wroteValue = false;
        lenSoFar = 0;
        batchCmd = null;
        batch.clear();
        batchTtls.clear();
        batchBytes = 0;
        batchElements = 0;
        fieldTtlReported = false;
        partsDropped = false;
        skipKey = h.isExpiredAt(System.currentTimeMillis());
        if (skipKey) {
            expired.increment();
            return;
        }
        if (cluster && h.db() != 0) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, uri.toString(), h.offset(), keyContext(h),
                    "a cluster holds db 0 only (select the keys of db 0 with --db 0, or write db " + h.db()
                            + " into a standalone server)");
        }
        keyRate.pace(1);
    }

    private void part(Event e) throws IOException {
        if (skipKey || header == null || partsDropped) {
            return;
        }
        if (streaming) {
            emit(e);
            return;
        }
        parts.add(e);
        switch (e.kind()) {
            case STRING_PART -> partBytes += ((StringPart) e).data().length;
            case ELEMENTS -> {
                for (byte[] b : ((Elements) e).items()) {
                    partBytes += b.length;
                    partElements++;
                }
            }
            case HASH_FIELDS -> {
                for (HashField f : ((HashFields) e).fields()) {
                    partBytes += f.field().length + f.value().length;
                    partElements++;
                }
            }
            case ZSET_MEMBERS -> {
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    partBytes += m.member().length + 8;
                    partElements++;
                }
            }
            case STREAM_ENTRIES -> {
                for (StreamEntry se : ((StreamEntries) e).entries()) {
                    for (byte[] b : se.fieldsAndValues()) {
                        partBytes += b.length;
                    }
                    partElements++;
                }
            }
            default -> {
            }
        }
        DataType t = header.type();
        if ((partBytes > opt.bigValueBytes() || partElements > opt.bigValueElements())
                && t != DataType.MODULE && t != DataType.ARRAY) {
            // big: never one giant request; from here on chunks go out as they arrive
            streaming = true;
            beginRebuild();
            for (Event p : parts) {
                emit(p);
            }
            parts.clear();
        }
    }

    private void endKey(KeyEnd e) throws IOException {
        try {
            if (skipKey || header == null) {
                return;
            }
            if (partsDropped) {
                byte[] raw = e.rawPayload();
                if (raw == null) {
                    throw new RedkitException(ErrorKind.LIMIT, uri.toString(), header.offset(), keyContext(header),
                            "the " + header.encoding() + " value came without its raw payload (bigger than the "
                                    + "reader's chunk size?): run with --no-restore to write it as commands");
                }
                restore(raw);
                return;
            }
            if (streaming) {
                finishRebuild();
                return;
            }
            DataType t = header.type();
            byte[] raw = e.rawPayload();
            if (t == DataType.STRING) {
                // a SET is cheaper for the server than a RESTORE, and a string has nothing else to keep
                smallString();
                return;
            }
            if (raw != null && restorable()) {
                restore(raw);
                return;
            }
            if (t == DataType.MODULE || t == DataType.ARRAY) {
                unsupported.increment();
                notice("key " + keyContext(header) + ": a " + t.id() + " value can only be copied by RESTORE of its "
                        + "payload, which " + (raw == null ? "the source did not provide" : "the target (RDB "
                        + targetRdbVersion + ") cannot read (RDB " + sourceVersion + ")") + "; not written");
                return;
            }
            beginRebuild();
            for (Event p : parts) {
                emit(p);
            }
            finishRebuild();
        } finally {
            header = null;
            parts.clear();
            if (!halfBuilt()) {
                unit = null; // a failure mid-value keeps it: close() deletes its scratch key
            }
        }
    }

    /**
     * Right after a key's {@link KeyStart} went to {@link #accept}: true when that key is written from the raw payload
     * of its {@link KeyEnd} alone (RESTORE), or not at all (already expired), so the caller may drop its value parts
     * and let the source check the value without making them. Only for the packed encodings (listpack, ziplist,
     * intset, zipmap), which Redis keeps for small values and which the reader holds whole before KeyStart, and only
     * when {@code payloadComing} (the source's {@code rawPayloadKept()}): a packed value bigger than the source's
     * capture is rebuilt from its parts instead. A KeyEnd without the payload after a true answer fails the key.
     */
    public boolean rawPayloadOnly(boolean payloadComing) {
        if (header == null || streaming || !parts.isEmpty()) {
            return false;
        }
        if (skipKey) {
            partsDropped = true;
            return true;
        }
        if (!payloadComing) {
            return false; // bigger than the source's capture: rebuilt from its parts
        }
        DataType t = header.type();
        if (t == DataType.STRING || t == DataType.MODULE || t == DataType.ARRAY || !restorable()
                || !packed(header.encoding())) {
            return false;
        }
        partsDropped = true;
        return true;
    }

    private static boolean packed(String encoding) {
        return switch (encoding) {
            case "listpack", "listpack-ex", "ziplist", "intset", "zipmap" -> true;
            default -> false;
        };
    }

    /** True while a value is in its scratch key and its RENAME is not sent: the producer stopped inside it. */
    private boolean halfBuilt() {
        return unit != null && unit.tmp != null && !unit.renameSent;
    }

    private boolean restorable() {
        return opt.useRestore() && sourceVersion > 0 && sourceRedisDialect && targetRdbVersion > 0
                && sourceVersion <= targetRdbVersion;
    }

    private Unit keyUnit() {
        return new Unit(Unit.Kind.KEY, header.key(), header.db(), cluster ? Slots.slot(header.key()) : -1, true);
    }

    /** RESTORE of a DUMP payload: the raw value, then the RDB version and the CRC64 of both, little-endian. */
    private void restore(byte[] raw) throws IOException {
        int version = sourceVersion;
        byte[] payload = new byte[raw.length + 10];
        System.arraycopy(raw, 0, payload, 0, raw.length);
        payload[raw.length] = (byte) version;
        payload[raw.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, payload, 0, raw.length + 2);
        for (int i = 0; i < 8; i++) {
            payload[raw.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        List<byte[]> argv = new ArrayList<>(6);
        argv.add(RESTORE);
        argv.add(header.key());
        argv.add(num(Math.max(0, header.expireAtMs())));
        argv.add(payload);
        argv.add(ABSTTL);
        if (opt.onExisting() == OnExisting.REPLACE) {
            argv.add(REPLACE);
        }
        send(new Cmd(argv, keyUnit(), Cmd.Role.RESTORE, -1, header.db()));
    }

    private void smallString() throws IOException {
        long size = 0;
        for (Event p : parts) {
            size += ((StringPart) p).data().length;
        }
        byte[] value;
        if (parts.size() == 1) {
            value = ((StringPart) parts.get(0)).data();
        } else {
            value = new byte[(int) size];
            int off = 0;
            for (Event p : parts) {
                byte[] d = ((StringPart) p).data();
                System.arraycopy(d, 0, value, off, d.length);
                off += d.length;
            }
        }
        List<byte[]> argv = new ArrayList<>(6);
        argv.add(SET);
        argv.add(header.key());
        argv.add(value);
        if (header.expireAtMs() >= 0) {
            argv.add(PXAT);
            argv.add(num(header.expireAtMs()));
        }
        boolean replace = opt.onExisting() == OnExisting.REPLACE;
        if (!replace) {
            argv.add(NX);
        }
        send(new Cmd(argv, keyUnit(), replace ? Cmd.Role.SET : Cmd.Role.SET_NX, -1, header.db()));
    }

    /** Starts building the value in a scratch key of the key's slot (cleared first, so a replay starts clean). */
    private void beginRebuild() throws IOException {
        unit = keyUnit();
        unit.tmp = temps.forKey(header.key(), tmpCounter++);
        DataType t = header.type();
        unit.lengthChecked = t == DataType.LIST || t == DataType.STRING;
        unit.listLength = t == DataType.LIST;
        sendKey(list(DEL, unit.tmp), Cmd.Role.DEL_TMP, -1);
    }

    private void sendKey(List<byte[]> argv, Cmd.Role role, long lenAfter) throws IOException {
        send(new Cmd(argv, unit, role, lenAfter, header.db()));
    }

    /** Turns one value part into chunk commands on the scratch key. */
    private void emit(Event e) throws IOException {
        switch (e.kind()) {
            case STRING_PART -> {
                byte[] d = ((StringPart) e).data();
                int off = 0;
                do {
                    int len = Math.min(opt.chunkBytes(), d.length - off);
                    byte[] chunk = off == 0 && len == d.length ? d : Arrays.copyOfRange(d, off, off + len);
                    lenSoFar += len;
                    sendKey(list(wroteValue ? APPEND : SET, unit.tmp, chunk), Cmd.Role.PLAIN, lenSoFar);
                    wroteValue = true;
                    off += len;
                } while (off < d.length);
            }
            case ELEMENTS -> {
                byte[] cmd = header.type() == DataType.LIST ? RPUSH : SADD;
                for (byte[] b : ((Elements) e).items()) {
                    add(cmd, b, null);
                }
            }
            case HASH_FIELDS -> {
                for (HashField f : ((HashFields) e).fields()) {
                    add(HSET, f.field(), f.value());
                    if (f.expireAtMs() >= 0) {
                        batchTtls.add(f);
                    }
                }
            }
            case ZSET_MEMBERS -> {
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    add(ZADD, ascii(Scores.text(m.score())), m.member());
                }
            }
            case STREAM_ENTRIES -> {
                for (StreamEntry se : ((StreamEntries) e).entries()) {
                    List<byte[]> argv = new ArrayList<>(3 + se.fieldsAndValues().size());
                    argv.add(ascii("XADD"));
                    argv.add(unit.tmp);
                    argv.add(ascii(se.id().toString()));
                    argv.addAll(se.fieldsAndValues());
                    sendKey(argv, Cmd.Role.STREAM, -1);
                    wroteValue = true;
                }
            }
            case STREAM_META -> streamMeta((StreamMeta) e);
            default -> {
            }
        }
    }

    private void add(byte[] cmd, byte[] a, byte[] b) throws IOException {
        long size = a.length + (b == null ? 0 : b.length) + 32L;
        if (batchCmd != null && (batchElements + 1 > opt.chunkElements() || batchBytes + size > opt.chunkBytes())) {
            flushBatch();
        }
        batchCmd = cmd;
        batch.add(a);
        if (b != null) {
            batch.add(b);
        }
        batchElements++;
        batchBytes += size;
    }

    private void flushBatch() throws IOException {
        if (batchCmd == null || batch.isEmpty()) {
            batchCmd = null;
            return;
        }
        List<byte[]> argv = new ArrayList<>(2 + batch.size());
        argv.add(batchCmd);
        argv.add(unit.tmp);
        argv.addAll(batch);
        long after = -1;
        if (batchCmd == RPUSH) {
            lenSoFar += batchElements;
            after = lenSoFar;
        }
        sendKey(argv, Cmd.Role.PLAIN, after);
        wroteValue = true;
        batch.clear();
        batchBytes = 0;
        batchElements = 0;
        batchCmd = null;
        for (HashField f : batchTtls) {
            if (hashFieldTtl) {
                sendKey(list(ascii("HPEXPIREAT"), unit.tmp, num(f.expireAtMs()), ascii("FIELDS"), ascii("1"),
                        f.field()), Cmd.Role.PLAIN, -1);
            } else if (!fieldTtlReported) {
                fieldTtlReported = true;
                unsupported.increment();
                notice("key " + keyContext(header) + ": hash field TTLs are not representable in the target (Redis "
                        + "before 7.4); its fields are written without their own TTL");
            }
        }
        batchTtls.clear();
    }

    private void streamMeta(StreamMeta m) throws IOException {
        byte[] key = unit.tmp;
        if (!wroteValue) {
            // XADD cannot create an empty stream; a scratch group with MKSTREAM can
            sendKey(list(ascii("XGROUP"), ascii("CREATE"), key, SCRATCH_GROUP, ascii("0"), ascii("MKSTREAM")),
                    Cmd.Role.STREAM, -1);
            sendKey(list(ascii("XGROUP"), ascii("DESTROY"), key, SCRATCH_GROUP), Cmd.Role.STREAM, -1);
            wroteValue = true;
        }
        if (m.lastId() != null) {
            boolean counters = m.entriesAdded() >= 0 && m.maxDeletedId() != null;
            List<byte[]> argv = list(ascii("XSETID"), key, ascii(m.lastId().toString()));
            if (counters) {
                argv.add(ascii("ENTRIESADDED"));
                argv.add(num(m.entriesAdded()));
                argv.add(ascii("MAXDELETEDID"));
                argv.add(ascii(m.maxDeletedId().toString()));
            }
            sendKey(argv, Cmd.Role.STREAM, -1);
        }
        for (StreamGroup g : m.groups()) {
            List<byte[]> create = list(ascii("XGROUP"), ascii("CREATE"), key, g.name(), ascii(g.lastId().toString()));
            if (g.entriesRead() >= 0) {
                create.add(ascii("ENTRIESREAD"));
                create.add(num(g.entriesRead()));
            }
            sendKey(create, Cmd.Role.STREAM, -1);
            Map<StreamId, StreamPending> pel = new HashMap<>();
            for (StreamPending p : g.pending()) {
                pel.put(p.id(), p);
            }
            for (StreamConsumer c : g.consumers()) {
                sendKey(list(ascii("XGROUP"), ascii("CREATECONSUMER"), key, g.name(), c.name()), Cmd.Role.STREAM, -1);
                for (StreamId id : c.pending()) {
                    StreamPending p = pel.get(id);
                    List<byte[]> claim = list(ascii("XCLAIM"), key, g.name(), c.name(), ascii("0"),
                            ascii(id.toString()));
                    if (p != null) {
                        claim.add(ascii("TIME"));
                        claim.add(num(p.deliveryTimeMs()));
                        claim.add(ascii("RETRYCOUNT"));
                        claim.add(num(p.deliveryCount()));
                    }
                    claim.add(ascii("FORCE"));
                    claim.add(ascii("JUSTID"));
                    sendKey(claim, Cmd.Role.STREAM, -1);
                }
            }
        }
    }

    /** TTL on the scratch key, then RENAME (or RENAMENX and a cleanup DEL) onto the real name. */
    private void finishRebuild() throws IOException {
        flushBatch();
        if (!wroteValue) {
            if (header.type() != DataType.STRING) {
                return; // Redis has no empty collections: nothing to create
            }
            sendKey(list(SET, unit.tmp, new byte[0]), Cmd.Role.PLAIN, 0);
            wroteValue = true;
        }
        if (header.expireAtMs() >= 0) {
            sendKey(list(PEXPIREAT, unit.tmp, num(header.expireAtMs())), Cmd.Role.PLAIN, -1);
        }
        unit.renameSent = true;
        if (opt.onExisting() == OnExisting.REPLACE) {
            sendKey(list(RENAME, unit.tmp, header.key()), Cmd.Role.RENAME, -1);
        } else {
            // nothing of the key may follow in the pipeline: during a resharding RENAMENX can be told TRYAGAIN
            // while a DEL behind it runs; a scratch key left by a conflict is deleted once the reply says so
            sendKey(list(RENAMENX, unit.tmp, header.key()), Cmd.Role.RENAME_NX, -1);
        }
    }

    // ------------------------------------------------------------------ functions and replicated commands

    private void function(byte[] code) throws IOException {
        if (!functions) {
            unsupported.increment();
            notice("a function library is not representable in the target (Redis before 7.0); not written");
            return;
        }
        for (Node n : List.copyOf(nodes.values())) {
            Unit u = new Unit(Unit.Kind.FUNCTION, null, 0, -1, true);
            List<byte[]> argv = list(ascii("FUNCTION"), ascii("LOAD"));
            if (opt.onExisting() == OnExisting.REPLACE) {
                argv.add(REPLACE);
            }
            argv.add(code);
            sendTo(n, new Cmd(argv, u, Cmd.Role.FUNCTION, -1, 0));
        }
    }

    private void command(Command c) throws IOException {
        List<byte[]> argv = c.argv();
        if (argv.isEmpty()) {
            return;
        }
        String name = new String(argv.get(0), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        switch (name) {
            case "SELECT" -> {
                return; // every command carries its db
            }
            case "MULTI" -> {
                txn = new ArrayList<>();
                return;
            }
            case "EXEC" -> {
                if (txn != null) {
                    List<Command> t = txn;
                    txn = null;
                    transaction(t);
                }
                return;
            }
            case "DISCARD" -> {
                txn = null;
                return;
            }
            default -> {
            }
        }
        if (txn != null) {
            txn.add(c);
            return;
        }
        if (cluster && c.db() != 0) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, uri.toString(), c.offset(), "command " + name,
                    "a cluster holds db 0 only: the command is for db " + c.db());
        }
        keyRate.pace(1);
        if (cluster && (name.equals("DEL") || name.equals("UNLINK") || name.equals("MSET")) && crossSlot(c, name)) {
            // each key alone: they live on different masters
            int step = name.equals("MSET") ? 2 : 1;
            for (int i = 1; i + step - 1 < argv.size(); i += step) {
                List<byte[]> one = new ArrayList<>();
                one.add(argv.get(0));
                one.addAll(argv.subList(i, i + step));
                single(new Command(c.db(), one, c.timestampS(), c.offset()), name);
            }
            return;
        }
        single(c, name);
    }

    private boolean crossSlot(Command c, String name) {
        int step = name.equals("MSET") ? 2 : 1;
        int slot = -1;
        for (int i = 1; i < c.argv().size(); i += step) {
            int s = Slots.slot(c.argv().get(i));
            if (slot >= 0 && s != slot) {
                return true;
            }
            slot = s;
        }
        return false;
    }

    private void single(Command c, String name) throws IOException {
        replicated.increment();
        if (CommandTable.everyNode(name)) {
            for (Node n : List.copyOf(nodes.values())) {
                Unit u = new Unit(Unit.Kind.REPLICATED, null, c.db(), -1, CommandTable.idempotent(name, c.argv()));
                sendTo(n, new Cmd(c.argv(), u, Cmd.Role.EVENT, -1, c.db()));
            }
            return;
        }
        byte[] key = c.argv().size() > 1 ? c.argv().get(1) : null;
        Unit u = new Unit(Unit.Kind.REPLICATED, key, c.db(), key == null ? -1 : Slots.slot(key),
                CommandTable.idempotent(name, c.argv()));
        send(new Cmd(c.argv(), u, Cmd.Role.EVENT, -1, c.db()));
    }

    private void transaction(List<Command> t) throws IOException {
        if (t.isEmpty()) {
            return;
        }
        int slot = -1;
        boolean split = false;
        boolean idempotent = true;
        int db = t.get(0).db();
        for (Command c : t) {
            String name = new String(c.argv().get(0), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            idempotent &= CommandTable.idempotent(name, c.argv());
            if (c.db() != db) {
                split = true;
            }
            if (cluster && c.argv().size() > 1 && !CommandTable.everyNode(name)) {
                int s = Slots.slot(c.argv().get(1));
                if (slot >= 0 && s != slot) {
                    split = true;
                }
                slot = s;
            } else if (cluster && CommandTable.everyNode(name)) {
                split = true;
            }
        }
        if (split) {
            notice("a MULTI/EXEC of " + t.size() + " commands touches several slots or dbs: its commands are applied "
                    + "one by one, not atomically");
            for (Command c : t) {
                command(c);
            }
            return;
        }
        keyRate.pace(1);
        replicated.add(t.size());
        byte[] key = slot >= 0 || !cluster ? firstKey(t) : null;
        Unit u = new Unit(Unit.Kind.REPLICATED, key, db, key == null ? -1 : Slots.slot(key), idempotent);
        send(new Cmd(list(ascii("MULTI")), u, Cmd.Role.EVENT, -1, db));
        for (Command c : t) {
            send(new Cmd(c.argv(), u, Cmd.Role.EVENT, -1, db));
        }
        send(new Cmd(list(ascii("EXEC")), u, Cmd.Role.EVENT, -1, db));
    }

    private static byte[] firstKey(List<Command> t) {
        for (Command c : t) {
            if (c.argv().size() > 1) {
                return c.argv().get(1);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ sending

    private Node route(Unit u) {
        if (!cluster) {
            return single;
        }
        if (u.slot < 0) {
            return nodes.values().iterator().next();
        }
        return slots[u.slot];
    }

    private void send(Cmd c) throws IOException {
        sendTo(null, c);
    }

    /** Sends {@code c} to {@code fixed}, or to the owner of its unit's slot when null. */
    private void sendTo(Node fixed, Cmd c) throws IOException {
        poll();
        byteRate.pace(c.bytes);
        while (!window.tryAcquire(c.bytes)) {
            flushAll();
            window.awaitSpace(20);
            poll();
        }
        Node n = fixed != null ? fixed : route(c.unit);
        append(n, c);
    }

    private void append(Node n, Cmd c) {
        RespConnection conn = n.conn;
        if (!cluster && c.db != n.db) {
            conn.append(list(SELECT, num(c.db)), internal());
            n.db = c.db;
            n.commands.increment();
        }
        if (c.asking) {
            conn.append(list(ASKING), internal());
            n.commands.increment();
        }
        conn.append(c.argv, c);
        n.commands.increment();
        n.bytes.add(c.bytes);
    }

    private static Cmd internal() {
        return new Cmd(List.of(), null, Cmd.Role.INTERNAL, -1, 0);
    }

    private void flushAll() {
        for (Node n : nodes.values()) {
            RespConnection c = n.conn;
            if (c != null) {
                c.flush();
            }
        }
    }

    private void flushAllQuietly() {
        try {
            for (Node n : nodeArray) {
                RespConnection c = n.conn;
                if (c != null && c.unflushedCommands() > 0) {
                    c.flush();
                }
            }
        } catch (RuntimeException e) {
            // the producer sees real failures; this is only a latency helper
        }
    }

    /** Handles what the event loop reported: a failure, a lost node, redirects. */
    private void poll() throws IOException {
        IOException f = fatal.get();
        if (f != null) {
            throw f;
        }
        if (!attention) {
            return;
        }
        // cleared before looking: what the event loop records from here on sets it again
        attention = false;
        try {
            if (lost) {
                lost = false;
                for (Node n : List.copyOf(nodes.values())) {
                    if (n.broken()) {
                        recover(n);
                    }
                }
            }
            if (redirectPending) {
                handleRedirects();
            }
            if (!cleaning && !cleanups.isEmpty()) {
                cleaning = true;
                try {
                    Unit u;
                    while ((u = cleanups.poll()) != null) {
                        sendTo(null, new Cmd(list(DEL, u.tmp), u, Cmd.Role.QUIET, -1, u.db));
                    }
                } finally {
                    cleaning = false;
                }
            }
            f = fatal.get();
            if (f != null) {
                throw f;
            }
        } catch (IOException | RuntimeException e) {
            attention = true; // a later poll (close()) looks again
            throw e;
        }
    }

    /** Waits until every command sent has its reply (handling failures and redirects meanwhile). */
    public void flush() throws IOException {
        flushAll();
        while (true) {
            poll();
            boolean busy = false;
            for (Node n : nodes.values()) {
                if (n.conn.inFlight() > 0) {
                    busy = true;
                    break;
                }
            }
            if (!busy && !redirectPending && cleanups.isEmpty()) {
                break;
            }
            flushAll();
            window.await(20);
        }
        poll();
    }

    /** Called on the event loop when a connection ends. */
    void nodeLost() {
        lost = true;
        attention = true;
        window.wake();
    }

    /** A reply arrived (event loop thread). */
    void replied(Node n, Cmd c, Reply r) {
        if (c.role == Cmd.Role.INTERNAL) {
            return;
        }
        if (r.isError() && cluster && (r.errorStartsWith("MOVED ") || r.errorStartsWith("ASK ")
                || r.errorStartsWith("TRYAGAIN") || r.errorStartsWith("CLUSTERDOWN"))) {
            // the command keeps its window share until it is sent again
            redirects.add(new Redirect(n, c, r));
            redirectPending = true;
            attention = true;
            window.wake();
            return;
        }
        window.release(c.bytes);
        Unit u = c.unit;
        u.answered++;
        switch (c.role) {
            case RESTORE -> {
                if (!r.isError()) {
                    keys.increment();
                    keysRestored.increment();
                    n.keys.increment();
                } else if (r.errorStartsWith("BUSYKEY")) {
                    conflict(n, u);
                } else {
                    fail(u, "RESTORE", r);
                }
            }
            case SET, SET_NX -> {
                if (r.isError()) {
                    fail(u, "SET", r);
                } else if (r.isNull()) {
                    conflict(n, u);
                } else {
                    keys.increment();
                    n.keys.increment();
                }
            }
            case RENAME, RENAME_NX -> {
                if (r.isError()) {
                    if (r.text().contains("no such key")) {
                        if (u.replay) {
                            keys.increment(); // renamed before the connection was lost
                            n.keys.increment();
                        } else {
                            expired.increment(); // its TTL passed while it was being written
                        }
                    } else {
                        fail(u, "RENAME", r);
                    }
                } else if (c.role == Cmd.Role.RENAME_NX && r.type() == Reply.Type.INTEGER && r.asLong() == 0) {
                    cleanups.add(u);
                    attention = true;
                    conflict(n, u);
                } else {
                    keys.increment();
                    n.keys.increment();
                }
            }
            case STREAM -> {
                if (r.isError() && !(u.replay && (r.errorStartsWith("BUSYGROUP")
                        || r.text().contains("equal or smaller")))) {
                    fail(u, new String(c.argv.get(0), StandardCharsets.US_ASCII), r);
                }
            }
            case EVENT -> {
                if (r.isError()) {
                    commandError(c, r);
                } else if (r.type() == Reply.Type.ARRAY) {
                    for (Reply item : r.items()) {
                        if (item.isError()) {
                            commandError(c, item);
                        }
                    }
                }
            }
            case FUNCTION -> {
                if (r.isError()) {
                    if (r.text().contains("already exists")) {
                        if (opt.onExisting() == OnExisting.SKIP || u.replay) {
                            skipped.increment();
                        } else {
                            fatal.compareAndSet(null, new RedkitException(ErrorKind.INTEGRITY, uri.toString(), -1,
                                    "function library", r.text() + " (use --replace or --skip-existing)"));
                            attention = true;
                        }
                    } else {
                        fail(u, "FUNCTION LOAD", r);
                    }
                }
            }
            case QUIET, DEL_TMP, INTERNAL -> {
            }
            case PLAIN -> {
                if (r.isError()) {
                    fail(u, new String(c.argv.get(0), StandardCharsets.US_ASCII), r);
                }
            }
        }
    }

    private void conflict(Node n, Unit u) {
        if (opt.onExisting() == OnExisting.SKIP) {
            skipped.increment();
            n.skipped.increment();
            return;
        }
        fatal.compareAndSet(null, new RedkitException(ErrorKind.INTEGRITY, uri.toString(), -1,
                "key " + keyText(u.key) + " (db " + u.db + ")",
                "the target already holds it (use --replace or --skip-existing)"));
        attention = true;
        window.wake();
    }

    private void fail(Unit u, String what, Reply r) {
        String ctx = u == null || u.key == null ? what : "key " + keyText(u.key) + " (db " + u.db + ")";
        fatal.compareAndSet(null, new RedkitException(ErrorKind.UNSUPPORTED, uri.toString(), -1, ctx,
                "the target refused " + what + ": " + r.text()));
        attention = true;
        window.wake();
    }

    private void commandError(Cmd c, Reply r) {
        commandErrors.increment();
        notice("the target answered " + new String(c.argv.get(0), StandardCharsets.UTF_8) + " with an error: "
                + r.text());
    }

    private void notice(String s) {
        long n = noticesGiven.incrementAndGet();
        if (n <= MAX_NOTICES) {
            opt.notices().accept(s);
        } else if (n == MAX_NOTICES + 1) {
            opt.notices().accept("further notices are counted in the report only");
        }
    }

    // ------------------------------------------------------------------ redirects

    /** A MOVED, ASK or TRYAGAIN reply and the command it answered. */
    private record Redirect(Node from, Cmd cmd, Reply reply) {
    }

    /**
     * Follows redirects once every command in flight has its reply, in the order they came: commands of one key
     * thus reach the new owner in their original order.
     */
    private void handleRedirects() throws IOException {
        while (redirectPending) {
            redirectPending = false;
            flushAll();
            waitQuiet(false);
            List<Redirect> list = new ArrayList<>();
            Redirect r;
            while ((r = redirects.poll()) != null) {
                list.add(r);
            }
            boolean refreshed = false;
            boolean paused = false;
            for (Redirect x : list) {
                Cmd c = x.cmd();
                String text = x.reply().text();
                if (++c.redirected > MAX_REDIRECTS) {
                    throw new IOException("a command for key " + keyText(c.unit == null ? null : c.unit.key)
                            + " was redirected " + MAX_REDIRECTS + " times, last: " + text);
                }
                if (text.startsWith("MOVED ") || text.startsWith("ASK ")) {
                    String[] p = text.split(" ");
                    int slot = Integer.parseInt(p[1]);
                    HostPort to = HostPort.parse(p[2], 6379);
                    if (to.host().isEmpty()) {
                        to = new HostPort(x.from().address.host(), to.port());
                    }
                    Node target = nodeFor(to);
                    x.from().redirects.increment();
                    if (text.startsWith("MOVED ")) {
                        if (!refreshed) {
                            refreshed = true;
                            try {
                                refreshTopology();
                            } catch (IOException e) {
                                notice("topology refresh failed: " + e.getMessage());
                            }
                        }
                        slots[slot] = target;
                        c.asking = false;
                    } else {
                        c.asking = true;
                    }
                    append(target, c);
                } else {
                    if (!paused) {
                        paused = true;
                        flushAll();
                        sleep(50);
                    }
                    Node target = c.unit != null && c.unit.slot >= 0 ? slots[c.unit.slot] : x.from();
                    append(target, c);
                }
            }
            flushAll();
            if (!list.isEmpty()) {
                // the resent commands may be redirected again
                waitQuiet(true);
            }
        }
    }

    /**
     * Waits until no node has a command in flight (broken ones recovered on the way), or, when
     * {@code untilRedirect}, until a reply asks for a redirect.
     */
    private void waitQuiet(boolean untilRedirect) throws IOException {
        while (true) {
            boolean busy = false;
            for (Node n : List.copyOf(nodes.values())) {
                if (n.broken()) {
                    recover(n);
                }
                if (n.conn.inFlight() > 0) {
                    busy = true;
                }
            }
            if (!busy || untilRedirect && redirectPending) {
                return;
            }
            window.await(10);
        }
    }

    // ------------------------------------------------------------------ retries

    /**
     * Reconnects a lost node with back-off and sends again what had no reply: keys with replace semantics (chunks of
     * a list or string already applied skipped by length), replicated commands only when idempotent.
     */
    private void recover(Node n) throws IOException {
        List<Object> todo = n.conn.unanswered();
        n.conn.close();
        Throwable cause = n.conn.failure();
        notice("connection to " + n.address + " lost (" + (cause == null ? "closed" : cause.getMessage())
                + "); reconnecting, " + todo.size() + " commands to send again");
        long deadline = System.currentTimeMillis() + opt.retryMillis();
        long backoff = 100;
        while (true) {
            IOException last;
            try {
                HostPort addr = n.address;
                if (uri.kind() == TargetUri.Kind.SENTINEL) {
                    addr = sentinelMaster();
                    if (!addr.equals(n.address)) {
                        notice("the Sentinels now name " + addr + " as master");
                    }
                }
                RespConnection c = connect(addr);
                n.attach(c);
                n.retries.increment();
                todo = replay(n, todo);
                if (todo == null) {
                    return;
                }
                continue;
            } catch (IOException e) {
                last = e;
            }
            if (System.currentTimeMillis() + backoff > deadline) {
                throw new IOException("gave up on " + n.address + " after " + opt.retryMillis() / 1000 + " s of "
                        + "retries: " + last.getMessage(), last);
            }
            sleep(backoff);
            backoff = Math.min(2000, backoff * 2);
        }
    }

    /** Sends the unanswered commands again on the new connection; returns null, or what is still unanswered. */
    private List<Object> replay(Node n, List<Object> todo) throws IOException {
        Map<Unit, Long> lengths = new IdentityHashMap<>();
        Map<Unit, Boolean> scratch = new IdentityHashMap<>();
        Map<Unit, Boolean> done = new IdentityHashMap<>();
        for (Object o : todo) {
            Cmd c = (Cmd) o;
            if (c.role == Cmd.Role.INTERNAL) {
                continue;
            }
            Unit u = c.unit;
            if (u.tmp != null && c.role != Cmd.Role.DEL_TMP && !scratch.containsKey(u) && !done.containsKey(u)
                    && u.answered >= 2) {
                // its scratch key was cleared and written to: when it is gone, the RENAME was applied unanswered
                Reply r = n.conn.call(list(ascii("EXISTS"), u.tmp));
                if (!n.conn.isOpen()) {
                    throw new IOException("connection to " + n.address + " lost again");
                }
                done.put(u, !r.isError() && r.asLong() == 0);
                if (done.get(u)) {
                    keys.increment();
                    n.keys.increment();
                }
            }
            if (Boolean.TRUE.equals(done.get(u))) {
                window.release(c.bytes);
                continue;
            }
            if (u.kind == Unit.Kind.REPLICATED && !u.idempotent) {
                uncertain.increment();
                window.release(c.bytes);
                notice("the reply to " + new String(c.argv.get(0), StandardCharsets.UTF_8)
                        + (u.key == null ? "" : " " + keyText(u.key)) + " was lost with the connection; not sent "
                        + "again (not idempotent): check that key");
                continue;
            }
            u.replay = true;
            if (c.role == Cmd.Role.DEL_TMP) {
                scratch.put(u, Boolean.TRUE);
            }
            if (c.lenAfter >= 0 && u.lengthChecked && !scratch.containsKey(u)) {
                Long have = lengths.get(u);
                if (have == null) {
                    Reply r = n.conn.call(list(u.listLength ? ascii("LLEN") : ascii("STRLEN"), u.tmp));
                    if (!n.conn.isOpen()) {
                        throw new IOException("connection to " + n.address + " lost again");
                    }
                    have = r.isError() ? 0L : r.asLong();
                    lengths.put(u, have);
                }
                if (c.lenAfter <= have && !(c.lenAfter == 0 && have == 0)) {
                    window.release(c.bytes);
                    continue; // applied before the connection was lost
                }
            }
            replaceSemantics(c);
            append(n, c);
        }
        n.conn.flush();
        return null;
    }

    /** A key resent after a lost reply may already be in place: it is written again, replacing. */
    private static void replaceSemantics(Cmd c) {
        switch (c.role) {
            case RESTORE -> {
                boolean has = false;
                for (byte[] a : c.argv) {
                    has |= a == REPLACE;
                }
                if (!has) {
                    List<byte[]> l = new ArrayList<>(c.argv);
                    l.add(REPLACE);
                    c.argv = l;
                }
            }
            case SET_NX -> {
                List<byte[]> l = new ArrayList<>(c.argv);
                l.remove(l.size() - 1);
                c.argv = l;
                c.role = Cmd.Role.SET;
            }
            case RENAME_NX -> {
                List<byte[]> l = new ArrayList<>(c.argv);
                l.set(0, RENAME);
                c.argv = l;
                c.role = Cmd.Role.RENAME;
            }
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ end

    /**
     * Waits for every reply, then closes the connections. Throws the first failure (a conflict with the default
     * rule, a refused command, a node that could not be reached again).
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (txn != null) {
                notice("the source ends inside a MULTI: its " + txn.size() + " queued commands are not applied");
                txn = null;
            }
            flush();
            if (halfBuilt()) {
                dropScratchKeys(); // the source failed inside a value
            }
        } catch (IOException | RuntimeException e) {
            dropScratchKeys();
            throw e;
        } finally {
            closed = true;
            shutdown();
        }
    }

    /** After a failure: deletes the scratch keys of conflicts still known (best effort, one round trip each). */
    private void dropScratchKeys() {
        // the replies still on their way may name more conflicts: wait for them a little
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        flushAll();
        while (System.nanoTime() < deadline) {
            boolean busy = false;
            for (Node n : nodes.values()) {
                busy |= n.conn != null && n.conn.isOpen() && n.conn.inFlight() > 0;
            }
            if (!busy) {
                break;
            }
            try {
                window.await(10);
            } catch (IOException e) {
                return;
            }
        }
        // a failure can stop the producer while a value is half built in its scratch key: that one goes too
        if (halfBuilt()) {
            cleanups.add(unit);
        }
        Unit u;
        while ((u = cleanups.poll()) != null) {
            Node n = route(u);
            try {
                if (n != null && n.conn.isOpen()) {
                    if (!cluster && u.db != n.db) {
                        n.conn.call(list(SELECT, num(u.db)));
                        n.db = u.db;
                    }
                    n.conn.call(list(DEL, u.tmp));
                }
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    private void shutdown() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        for (Node n : nodes.values()) {
            if (n.conn != null) {
                n.conn.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ helpers

    private static String keyContext(KeyHeader h) {
        return "'" + keyText(h.key()) + "' (db " + h.db() + ")";
    }

    static String keyText(byte[] key) {
        if (key == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < key.length && i < 64; i++) {
            int b = key[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format(Locale.ROOT, "\\x%02x", b));
            }
        }
        if (key.length > 64) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static List<byte[]> list(byte[]... a) {
        return new ArrayList<>(Arrays.asList(a));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] num(long v) {
        return ascii(Long.toString(v));
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /**
     * The bounded window of commands and bytes in flight. Acquired by the producer only, released on the event loop;
     * counters are atomics so neither side takes a lock per command, and the producer is woken (under the lock) only
     * when it waits and the low-water mark is reached.
     */
    private static final class Window {
        private final int maxCommands;
        private final long maxBytes;
        private final java.util.concurrent.atomic.AtomicInteger commands = new java.util.concurrent.atomic.AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private volatile boolean waiting;

        Window(int maxCommands, long maxBytes) {
            this.maxCommands = Math.max(1, maxCommands);
            this.maxBytes = Math.max(1, maxBytes);
        }

        boolean tryAcquire(int b) {
            int c = commands.get();
            // one command bigger than the byte window still goes, alone
            if (c > 0 && (c >= maxCommands || bytes.get() + b > maxBytes)) {
                return false;
            }
            commands.incrementAndGet();
            bytes.addAndGet(b);
            return true;
        }

        void release(int b) {
            int c = commands.decrementAndGet();
            long by = bytes.addAndGet(-b);
            if (waiting && lowWater(c, by)) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        private boolean lowWater(int c, long by) {
            return c <= maxCommands / 2 && by <= maxBytes / 2 || c == 0;
        }

        synchronized void wake() {
            notifyAll();
        }

        /** Waits at most {@code ms} for the low-water mark; no wake-up is lost (flag set before the counters are read). */
        synchronized void awaitSpace(long ms) throws IOException {
            waiting = true;
            try {
                if (!lowWater(commands.get(), bytes.get())) {
                    wait(ms);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } finally {
                waiting = false;
            }
        }

        /** Waits at most {@code ms} or until woken. */
        synchronized void await(long ms) throws IOException {
            waiting = true;
            try {
                wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted");
            } finally {
                waiting = false;
            }
        }
    }

    /** Paces a producer to a rate (units a second) by sleeping; 0 is no limit. */
    private final class Rate {
        private final long perSecond;
        private final long start = System.nanoTime();
        private long done;

        Rate(long perSecond) {
            this.perSecond = perSecond;
        }

        void pace(long n) throws IOException {
            if (perSecond <= 0) {
                return;
            }
            done += n;
            long dueNanos = (long) (done * 1e9 / perSecond);
            long ahead = dueNanos - (System.nanoTime() - start);
            if (ahead > 2_000_000L) {
                flushAll();
                sleep(ahead / 1_000_000L);
            }
        }
    }
}
