package io.redkit.replication;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.redkit.aof.RespCommandReader;
import io.redkit.core.ErrorKind;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Aux;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.SourceKind;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.RdbReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A live master as a pull {@link EventSource}: it connects like a replica, turns the snapshot of a
 * full resync into key events as the RDB streams in, then every write of the command stream into a
 * {@link Command} whose offset is the replication offset after it. Lost connections are repaired
 * behind {@link #next()} with {@code PSYNC replid offset+1}; a new replication id offered by
 * {@code +CONTINUE} is adopted (failover), and a {@code +FULLRESYNC} starts the snapshot over and
 * is reported through the notice callback.
 *
 * <pre>
 * PING / AUTH / REPLCONF listening-port / REPLCONF capa eof capa psync2 / PSYNC id off+1 | ? -1
 *   +FULLRESYNC id off  { \n }*  $len\r\n &lt;len bytes of RDB&gt;             (no CRLF after)
 *                               | $EOF:&lt;40 hex&gt;\r\n &lt;RDB&gt; &lt;the same 40 hex&gt;
 *   +CONTINUE [id]
 * then *argc\r\n $len\r\n arg\r\n ...   every byte counted in the replication offset
 * </pre>
 *
 * The network thread only queues bytes (bounded, with backpressure); all parsing happens on the
 * thread calling {@link #next()}. Not thread-safe except {@link #stop()} and the position getters.
 *
 * <p>Events: {@link Begin} (kind REPLICATION; left out with {@code snapshotOnly}); for each full
 * resync (with {@link SnapshotMode#EMIT}) the RDB's own Begin (kind RDB), its metadata and key
 * events; the RDB's End only with {@code snapshotOnly}; commands (SELECT, PING and REPLCONF are
 * consumed); {@link End} after {@link #stop()}. A snapshot cut by a lost connection is followed by
 * the Begin of the next one, possibly in the middle of a key.
 */
public final class ReplicationSource implements EventSource {
    /** What to do with the keys of a full resync's snapshot. */
    public enum SnapshotMode {
        /** Emit them as key events. */
        EMIT,
        /** Parse the payload (to find its end) but emit nothing of it. */
        SKIP
    }

    private enum Phase { BEGIN, CONNECT, SNAPSHOT, STREAM, END, DONE }

    /** Longest reply line accepted during the handshake or as a payload header, LF included. */
    static final int MAX_LINE = 4096;
    private static final byte[] REPLCONF = bytes("REPLCONF");
    private static final byte[] ACK = bytes("ACK");
    private static final byte[] GETACK = bytes("GETACK");
    private static final byte[] PING = bytes("PING");
    private static final byte[] SELECT = bytes("SELECT");
    private static final byte[] REPL_STREAM_DB = bytes("repl-stream-db");

    private final Builder opt;
    private final String name;
    private final EventLoopGroup group;
    private final ScheduledFuture<?> ackTask;

    private Phase phase = Phase.BEGIN;
    private volatile ReplicaConnection conn;
    private volatile boolean ackEnabled;
    private volatile boolean stopped;
    private IOException failure;

    /** The committed position: the snapshot is loaded, {@code applied} bytes of the stream are processed. */
    private volatile String replid;
    private volatile long applied;
    private volatile int db;

    private String pendingReplid;
    private long pendingOffset;
    private int snapshotDb;
    private RdbReader rdb;
    private PayloadStream payload;
    private String eofMark;
    private FileChannel saveChannel;
    private boolean saveDone;
    private RespCommandReader resp;

    /** Set once a master accepted the handshake: from then on a lost link is retried, before it fails the run. */
    private boolean everConnected;
    /** The master's address last given by the Sentinels, to report a change. */
    private String sentinelAddress;
    private long backoffMillis;
    private long lastSyncNanos = System.nanoTime();
    private long fullSyncs;
    private long partialSyncs;
    private long reconnects;

    private ReplicationSource(Builder b) {
        this.opt = b;
        this.name = b.uri.toString();
        if (b.start != null) {
            this.replid = b.start.replid();
            this.applied = b.start.offset();
            this.db = b.start.db();
        }
        this.backoffMillis = b.minBackoffMillis;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("redkit-replica", true));
        this.ackTask = group.scheduleAtFixedRate(this::periodicAck, b.ackIntervalMillis, b.ackIntervalMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Options for a source reading from the master at {@code uri}. */
    public static Builder builder(ReplicaUri uri) {
        return new Builder(uri);
    }

    /** The committed position (replication id, applied offset, db), or null before the first sync. */
    public ReplicationPosition position() {
        String id = replid;
        return id == null ? null : new ReplicationPosition(id, applied, db);
    }

    /** The replication offset after the last processed byte of the command stream. */
    public long offset() {
        return applied;
    }

    /** True while the command stream is read: the snapshot, if any, is complete. For the reading thread. */
    public boolean streaming() {
        return phase == Phase.STREAM;
    }

    /** Full resyncs done so far. */
    public long fullSyncs() {
        return fullSyncs;
    }

    /** Partial resyncs ({@code +CONTINUE}) done so far. */
    public long partialSyncs() {
        return partialSyncs;
    }

    /** Connections lost and reopened so far. */
    public long reconnects() {
        return reconnects;
    }

    /**
     * Asks the source to end: a blocked {@link #next()} returns {@link End} and then null. Safe from
     * any thread (a signal handler).
     */
    public void stop() {
        stopped = true;
        ReplicaConnection c = conn;
        if (c != null) {
            c.input().close(new ReplicationException("stopped", false));
        }
    }

    @Override
    public Event next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return advance();
        } catch (IOException | RuntimeException e) {
            if (stopped) {
                return finish();
            }
            closeConnection();
            failure = e instanceof IOException io ? io
                    : new RedkitException(ErrorKind.INTEGRITY, name, applied, "replication", "unexpected " + e, e);
            throw failure;
        }
    }

    @Override
    public void skipValue() throws IOException {
        if (phase != Phase.SNAPSHOT || rdb == null) {
            throw new IllegalStateException("skipValue() is only valid after KeyStart");
        }
        rdb.skipValue();
    }

    @Override
    public void close() throws IOException {
        stopped = true;
        closeConnection();
        closeSave();
        ackTask.cancel(false);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private Event advance() throws IOException {
        while (true) {
            if (stopped) {
                return finish();
            }
            try {
                switch (phase) {
                    case BEGIN:
                        phase = Phase.CONNECT;
                        if (opt.snapshotOnly) {
                            // one snapshot: the RDB's own Begin opens the stream, as for a file
                            continue;
                        }
                        return new Begin(SourceKind.REPLICATION, name, null, -1, applied);
                    case CONNECT:
                        connect();
                        continue;
                    case SNAPSHOT: {
                        Event e = snapshotStep();
                        if (e != null) {
                            return e;
                        }
                        continue;
                    }
                    case STREAM: {
                        Command c = streamStep();
                        if (c != null) {
                            return c;
                        }
                        continue;
                    }
                    case END:
                        return finish();
                    default:
                        return null;
                }
            } catch (ReplicationException e) {
                if (stopped) {
                    return finish();
                }
                if (!shouldRetry(e)) {
                    throw e;
                }
                lost(e);
            }
        }
    }

    private boolean shouldRetry(ReplicationException e) {
        if (!e.retryable() || opt.snapshotOnly || !everConnected) {
            return false;
        }
        return opt.giveUpMillis <= 0
                || System.nanoTime() - lastSyncNanos < TimeUnit.MILLISECONDS.toNanos(opt.giveUpMillis);
    }

    /** After a lost connection: reports it, waits (growing back-off) and reconnects on the next turn. */
    private void lost(ReplicationException e) throws IOException {
        closeConnection();
        reconnects++;
        String where = phase == Phase.SNAPSHOT ? " during the snapshot transfer"
                : replid == null ? " before the first sync" : " at offset " + applied;
        notice("connection lost" + where + " (" + e.getMessage() + "); reconnecting in " + backoffMillis + " ms");
        sleep(backoffMillis);
        backoffMillis = Math.min(opt.maxBackoffMillis, Math.max(1, backoffMillis * 2));
        phase = Phase.CONNECT;
    }

    private Event finish() {
        closeConnection();
        if (phase == Phase.DONE) {
            return null;
        }
        phase = Phase.DONE;
        return new End(0, false, applied);
    }

    // ---- handshake ---------------------------------------------------------------------------

    private void connect() throws IOException {
        ackEnabled = false;
        ReplicaConnection c;
        String host = opt.uri.host();
        int port = opt.uri.port();
        try {
            if (opt.uri.viaSentinel()) {
                // asked again before every connect: after a failover the Sentinels name the new master
                String[] a = SentinelLookup.masterAddress(opt.uri.sentinels(), opt.uri.master(), opt.connectTimeoutMillis);
                host = a[0];
                port = Integer.parseInt(a[1]);
                String address = host + ":" + port;
                if (!address.equals(sentinelAddress)) {
                    if (sentinelAddress != null) {
                        notice("sentinel: master " + opt.uri.master() + " is now at " + address + " (was " + sentinelAddress + ")");
                    }
                    sentinelAddress = address;
                }
            }
            c = ReplicaConnection.open(group, host, port, opt.ssl, opt.queueBytes,
                    opt.readTimeoutMillis, opt.connectTimeoutMillis, opt.idle);
        } catch (ReplicationException e) {
            // the very first connection failing is a configuration problem: say so at once
            throw everConnected ? e : new ReplicationException(e.getMessage(), false, e);
        }
        conn = c;
        if (stopped) {
            c.input().close(new ReplicationException("stopped", false));
        }
        InputStream in = c.input();

        c.send(PING);
        String pong = readReply(in, "PING");
        if (pong.startsWith("-") && !isAuthError(pong)) {
            throw new ReplicationException("master refused PING: " + text(pong), true);
        }
        if (opt.uri.password() != null) {
            if (opt.uri.user() != null) {
                c.send(bytes("AUTH"), bytes(opt.uri.user()), opt.uri.password().getBytes(StandardCharsets.UTF_8));
            } else {
                c.send(bytes("AUTH"), opt.uri.password().getBytes(StandardCharsets.UTF_8));
            }
            String r = readReply(in, "AUTH");
            if (r.startsWith("-")) {
                throw new ReplicationException("authentication failed for " + name + ": " + text(r), false);
            }
        }
        int announced = opt.listeningPort > 0 ? opt.listeningPort : c.localPort();
        c.send(REPLCONF, bytes("listening-port"), bytes(Integer.toString(announced)));
        String r = readReply(in, "REPLCONF listening-port");
        checkAuth(r);
        c.send(REPLCONF, bytes("capa"), bytes("eof"), bytes("capa"), bytes("psync2"));
        checkAuth(readReply(in, "REPLCONF capa"));

        boolean resume = replid != null && !opt.snapshotOnly;
        if (resume) {
            c.send(bytes("PSYNC"), bytes(replid), bytes(Long.toString(applied + 1)));
        } else {
            c.send(bytes("PSYNC"), bytes("?"), bytes("-1"));
        }
        // the master took us (and the password): from here on a lost link is the network's doing.
        // A diskless master answers PSYNC only when its fork starts, seconds later.
        everConnected = true;
        String reply = readReply(in, "PSYNC");
        if (reply.startsWith("+FULLRESYNC")) {
            String[] p = reply.split(" ");
            if (p.length != 3 || !ReplicationPosition.isReplid(p[1])) {
                throw bad(0, "PSYNC reply", "malformed '" + preview(reply) + "' (expected +FULLRESYNC <40 hex> <offset>)");
            }
            long off;
            try {
                off = Long.parseLong(p[2]);
            } catch (NumberFormatException e) {
                throw bad(0, "PSYNC reply", "malformed offset in '" + preview(reply) + "'");
            }
            if (off < 0) {
                throw bad(0, "PSYNC reply", "negative offset " + off);
            }
            if (resume || fullSyncs > 0 || phase == Phase.SNAPSHOT) {
                notice("full resync from " + name + " (replication id " + p[1] + ", offset " + off
                        + "): the master could not continue" + (resume ? " from offset " + applied : "")
                        + "; the snapshot starts over");
            }
            fullSyncs++;
            pendingReplid = p[1];
            pendingOffset = off;
            startPayload(in);
            phase = Phase.SNAPSHOT;
        } else if (reply.startsWith("+CONTINUE")) {
            String[] p = reply.split(" ");
            if (p.length >= 2 && !p[1].isEmpty()) {
                if (!ReplicationPosition.isReplid(p[1])) {
                    throw bad(0, "PSYNC reply", "malformed replication id in '" + preview(reply) + "'");
                }
                if (!p[1].equalsIgnoreCase(replid)) {
                    notice("partial resync continues with the new replication id " + p[1] + " (was " + replid
                            + ", failover)");
                    replid = p[1];
                }
            }
            partialSyncs++;
            resp = new RespCommandReader(in, name, applied, opt.limits);
            phase = Phase.STREAM;
            synced();
            sendAck();
        } else if (reply.startsWith("-")) {
            checkAuth(reply);
            throw new ReplicationException("master refused PSYNC: " + text(reply), true);
        } else {
            throw bad(0, "PSYNC reply", "unexpected '" + preview(reply) + "' (expected +FULLRESYNC or +CONTINUE)");
        }
    }

    private void synced() {
        lastSyncNanos = System.nanoTime();
        backoffMillis = opt.minBackoffMillis;
        ackEnabled = true;
    }

    private void checkAuth(String reply) throws ReplicationException {
        if (reply.startsWith("-") && isAuthError(reply)) {
            throw new ReplicationException("master " + name + " requires authentication or more permissions: "
                    + text(reply), false);
        }
    }

    private static boolean isAuthError(String reply) {
        return reply.startsWith("-NOAUTH") || reply.startsWith("-NOPERM") || reply.startsWith("-WRONGPASS")
                || reply.startsWith("-ERR operation not permitted");
    }

    /** One reply line (empty keepalive lines skipped), without its line end. */
    private String readReply(InputStream in, String what) throws IOException {
        while (true) {
            String line = readLine(in, what);
            if (!line.isEmpty()) {
                return line;
            }
        }
    }

    /**
     * Reads one line byte by byte (nothing beyond it may be consumed: the payload follows). Bounded
     * by {@link #MAX_LINE}.
     */
    private String readLine(InputStream in, String what) throws IOException {
        byte[] line = new byte[64];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new ReplicationException("connection closed by the master while waiting for the reply to " + what,
                        true);
            }
            if (b == '\n') {
                int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (n + 1 >= MAX_LINE) {
                throw bad(0, "reply to " + what, "no line end within " + MAX_LINE + " bytes");
            }
            if (n == line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE, n * 2));
            }
            line[n++] = (byte) b;
        }
    }

    // ---- full resync -------------------------------------------------------------------------

    private void startPayload(InputStream in) throws IOException {
        String header = readReply(in, "PSYNC (payload header)");
        if (header.startsWith("-")) {
            throw new ReplicationException("master aborted the full resync: " + text(header), true);
        }
        if (!header.startsWith("$")) {
            throw bad(0, "RDB payload header", "found '" + preview(header) + "' (expected $<length> or $EOF:<mark>)");
        }
        long length = -1;
        eofMark = null;
        if (header.startsWith("$EOF:")) {
            eofMark = header.substring(5);
            if (eofMark.length() != 40) {
                throw bad(0, "RDB payload header", "EOF mark of " + eofMark.length() + " characters (expected 40)");
            }
        } else {
            String digits = header.substring(1);
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw bad(0, "RDB payload header", "length '" + preview(digits)
                        + "' is not a non-negative number of at most 18 digits");
            }
            length = Long.parseLong(digits);
            if (length > opt.maxPayloadBytes) {
                throw new io.redkit.core.LimitExceededException(name, 0, "RDB payload header", "payload length",
                        length, opt.maxPayloadBytes, "--max-payload");
            }
        }
        FileChannel save = null;
        if (opt.saveRdb != null && !saveDone) {
            closeSave();
            save = FileChannel.open(opt.saveRdb, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            saveChannel = save;
        }
        payload = new PayloadStream(in, length, save);
        snapshotDb = 0;
        rdb = RdbReader.builder(payload, name + " (snapshot)")
                .limits(opt.limits)
                .allowFutureVersion(opt.allowFutureVersion)
                .captureRawPayload(opt.captureRawPayload)
                // parse on this thread and never read past the RDB: the command stream follows it
                .readAhead(false)
                .build();
    }

    private Event snapshotStep() throws IOException {
        Event e = rdb.next();
        if (e == null) {
            throw bad(rdb.offset(), "RDB payload", "the RDB reader ended without an End event");
        }
        switch (e.kind()) {
            case BEGIN:
                // marks the start of each snapshot (a full resync after a lost one starts over)
                return opt.snapshot == SnapshotMode.EMIT ? e : null;
            case AUX: {
                Aux a = (Aux) e;
                if (Arrays.equals(a.name(), REPL_STREAM_DB)) {
                    Long v = io.redkit.core.Bytes.parseLong(a.value());
                    if (v != null && v >= 0 && v <= Integer.MAX_VALUE) {
                        snapshotDb = v.intValue();
                    }
                }
                return opt.snapshot == SnapshotMode.EMIT ? e : null;
            }
            case KEY_START:
                if (opt.snapshot == SnapshotMode.SKIP) {
                    rdb.skipValue();
                    return null;
                }
                return e;
            case END:
                endPayload((End) e);
                return opt.snapshotOnly ? finishSnapshotOnly((End) e) : null;
            default:
                return opt.snapshot == SnapshotMode.EMIT ? e : null;
        }
    }

    private Event finishSnapshotOnly(End end) {
        closeConnection();
        phase = Phase.DONE;
        return end;
    }

    private void endPayload(End end) throws IOException {
        long rdbBytes = rdb.offset();
        InputStream rest;
        if (eofMark == null) {
            if (payload.remaining() > 0) {
                throw bad(rdbBytes, "RDB payload", "the header announced " + payload.length()
                        + " bytes but the RDB ended after " + rdbBytes);
            }
            rest = payload.source();
        } else {
            payload.stopSaving();
            rest = rdb.remainder();
            byte[] mark = new byte[40];
            int n = 0;
            while (n < 40) {
                int r = rest.read(mark, n, 40 - n);
                if (r < 0) {
                    throw new ReplicationException("connection closed inside the EOF mark", true);
                }
                n += r;
            }
            String found = new String(mark, StandardCharsets.ISO_8859_1);
            if (!found.equals(eofMark)) {
                throw bad(rdbBytes, "RDB payload", "EOF mark '" + preview(found) + "' after the RDB (expected '"
                        + eofMark + "')");
            }
        }
        if (saveChannel != null) {
            saveChannel.truncate(rdbBytes);
            saveChannel.force(true);
            closeSave();
            saveDone = true;
        }
        replid = pendingReplid;
        applied = pendingOffset;
        db = snapshotDb;
        rdb = null;
        payload = null;
        if (!opt.snapshotOnly) {
            resp = new RespCommandReader(rest, name, applied, opt.limits);
            phase = Phase.STREAM;
            synced();
            // a master streaming a diskless RDB sends the command stream only after this first ACK
            sendAck();
        }
    }

    // ---- command stream ----------------------------------------------------------------------

    private Command streamStep() throws IOException {
        List<byte[]> argv = resp.next();
        if (argv == null) {
            throw new ReplicationException("connection closed by the master", true);
        }
        long end = resp.offset();
        byte[] cmd = argv.get(0);
        if (eq(cmd, PING)) {
            applied = end;
            return null;
        }
        if (eq(cmd, REPLCONF)) {
            applied = end;
            if (argv.size() >= 2 && eq(argv.get(1), GETACK)) {
                sendAck();
            }
            return null;
        }
        if (eq(cmd, SELECT)) {
            Long v = argv.size() == 2 ? io.redkit.core.Bytes.parseLong(argv.get(1)) : null;
            if (v == null || v < 0 || v > Integer.MAX_VALUE) {
                throw bad(resp.commandOffset(), "SELECT", "bad db index");
            }
            applied = end;
            db = v.intValue();
            return null;
        }
        applied = end;
        return new Command(db, argv, -1, end);
    }

    private void sendAck() {
        ReplicaConnection c = conn;
        if (c != null) {
            c.send(REPLCONF, ACK, bytes(Long.toString(applied)));
        }
    }

    private void periodicAck() {
        if (ackEnabled && !stopped) {
            sendAck();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void closeConnection() {
        ackEnabled = false;
        ReplicaConnection c = conn;
        conn = null;
        if (c != null) {
            c.close();
        }
        resp = null;
    }

    private void closeSave() {
        FileChannel s = saveChannel;
        saveChannel = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // a failed close of the copy is reported by the caller's own checks of the file
            }
        }
    }

    private void notice(String message) {
        if (opt.notices != null) {
            opt.notices.accept(message);
        }
    }

    private void sleep(long millis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (!stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                Thread.sleep(Math.min(50, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to reconnect");
        }
    }

    private RedkitException bad(long offset, String context, String detail) {
        return new RedkitException(ErrorKind.BAD_FORMAT, name, offset, context, detail);
    }

    private static String text(String reply) {
        return preview(reply.substring(1));
    }

    private static String preview(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return s.length() > 80 ? sb + "..." : sb.toString();
    }

    private static boolean eq(byte[] a, byte[] upper) {
        if (a.length != upper.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            int c = a[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != upper[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The payload as the RDB reader sees it: at most {@code length} bytes when the header gave one
     * (the master sends no CRLF after them), unbounded for an EOF-mark payload, copied to the
     * {@code --save-rdb} file as it passes.
     */
    private static final class PayloadStream extends InputStream {
        private final InputStream in;
        private final long length;
        private long remaining;
        private FileChannel save;

        PayloadStream(InputStream in, long length, FileChannel save) {
            this.in = in;
            this.length = length;
            this.remaining = length;
            this.save = save;
        }

        long length() {
            return length;
        }

        long remaining() {
            return remaining;
        }

        InputStream source() {
            return in;
        }

        void stopSaving() {
            save = null;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (length >= 0) {
                if (remaining == 0) {
                    return -1;
                }
                len = (int) Math.min(len, remaining);
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                if (length >= 0) {
                    remaining -= n;
                }
                if (save != null) {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, n);
                    while (buf.hasRemaining()) {
                        save.write(buf);
                    }
                }
            }
            return n;
        }
    }

    /** Options for a {@link ReplicationSource}; defaults follow a real replica's. */
    public static final class Builder {
        private final ReplicaUri uri;
        private SslContext ssl;
        private Limits limits = Limits.defaults();
        private boolean allowFutureVersion;
        private boolean captureRawPayload;
        private SnapshotMode snapshot = SnapshotMode.EMIT;
        private boolean snapshotOnly;
        private ReplicationPosition start;
        private Path saveRdb;
        private Consumer<String> notices;
        private Runnable idle = () -> { };
        private long readTimeoutMillis = 60_000;
        private int connectTimeoutMillis = 10_000;
        private long ackIntervalMillis = 1000;
        private int listeningPort;
        private long queueBytes = 4L << 20;
        private long minBackoffMillis = 50;
        private long maxBackoffMillis = 5000;
        private long giveUpMillis;
        private long maxPayloadBytes = Long.MAX_VALUE;

        private Builder(ReplicaUri uri) {
            this.uri = uri;
        }

        /** TLS for {@code rediss://} (built with {@link Tls#context}); null for plain TCP. */
        public Builder ssl(SslContext v) {
            this.ssl = v;
            return this;
        }

        /** Limits for the snapshot and for each command. */
        public Builder limits(Limits v) {
            this.limits = v;
            return this;
        }

        /** Read RDB versions newer than known on a best-effort basis. */
        public Builder allowFutureVersion(boolean v) {
            this.allowFutureVersion = v;
            return this;
        }

        /** Ask the RDB reader for each value's raw payload (for sinks that copy values verbatim). */
        public Builder captureRawPayload(boolean v) {
            this.captureRawPayload = v;
            return this;
        }

        /** Emit or skip the keys of a snapshot (default emit). */
        public Builder snapshot(SnapshotMode v) {
            this.snapshot = v;
            return this;
        }

        /** End after the first snapshot (one full sync, no command stream, no reconnect). */
        public Builder snapshotOnly(boolean v) {
            this.snapshotOnly = v;
            return this;
        }

        /** Resume from this position with a partial resync ({@code PSYNC replid offset+1}). */
        public Builder start(ReplicationPosition v) {
            this.start = v;
            return this;
        }

        /** Keep the raw RDB payload of the (first) full resync in this file. */
        public Builder saveRdb(Path v) {
            this.saveRdb = v;
            return this;
        }

        /** Receives one-line notices: reconnects, full resyncs, a new replication id. */
        public Builder notices(Consumer<String> v) {
            this.notices = v;
            return this;
        }

        /**
         * Called on the reading thread whenever no received byte is waiting: every event returned
         * so far has been consumed, a good moment to flush output and write a checkpoint.
         */
        public Builder idle(Runnable v) {
            this.idle = v;
            return this;
        }

        /** Longest silence of the master before the link is dropped and reopened (default 60 s). */
        public Builder readTimeoutMillis(long v) {
            this.readTimeoutMillis = v;
            return this;
        }

        /** Connect timeout (default 10 s). */
        public Builder connectTimeoutMillis(int v) {
            this.connectTimeoutMillis = v;
            return this;
        }

        /** Period of {@code REPLCONF ACK} (default 1 s). */
        public Builder ackIntervalMillis(long v) {
            this.ackIntervalMillis = v;
            return this;
        }

        /** The port announced with {@code REPLCONF listening-port} (default: the local port of the link). */
        public Builder listeningPort(int v) {
            this.listeningPort = v;
            return this;
        }

        /** Bytes received but not yet parsed before reading pauses (default 4 MiB). */
        public Builder queueBytes(long v) {
            this.queueBytes = v;
            return this;
        }

        /** Back-off between reconnects: first wait and cap (defaults 50 ms and 5 s). */
        public Builder backoffMillis(long min, long max) {
            this.minBackoffMillis = min;
            this.maxBackoffMillis = max;
            return this;
        }

        /** Give up after this long without a successful sync (default 0: never). */
        public Builder giveUpMillis(long v) {
            this.giveUpMillis = v;
            return this;
        }

        /** Largest {@code $<length>} payload accepted (default: no limit, the payload is streamed). */
        public Builder maxPayloadBytes(long v) {
            this.maxPayloadBytes = v;
            return this;
        }

        /** The source; it connects on the first {@link ReplicationSource#next()} after {@link Begin}. */
        public ReplicationSource build() {
            return new ReplicationSource(this);
        }
    }
}
