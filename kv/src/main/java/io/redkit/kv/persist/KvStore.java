package io.redkit.kv.persist;

import io.redkit.aof.AofManifest;
import io.redkit.aof.AofReader;
import io.redkit.aof.SourceOptions;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Aux;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.sink.EventSource;
import io.redkit.kv.Clock;
import io.redkit.kv.KvEngine;
import io.redkit.kv.KvLoader;
import io.redkit.kv.Reply;
import io.redkit.rdb.writer.RdbWriter;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link KvEngine} persisted in a Redis 7 data directory: {@code DIR/appendonlydir} holds
 * {@code appendonly.aof.manifest}, a base {@code appendonly.aof.<n>.base.rdb} written by redkit's RDB writer (RDB 10,
 * which redis-server 7.0 loads, or RDB 12 when hash fields have TTLs) and increments {@code appendonly.aof.<m>.incr.aof}
 * written by an {@link AofLog}. So {@code redis-server --dir DIR --appendonly yes} loads it. Opening recovers base then
 * increments (a torn tail in the last increment is cut at the last whole command and reported);
 * {@link #rewrite()} replaces base and increments by a snapshot, like BGREWRITEAOF. The replication id and offset
 * of a follower are kept as AUX fields of the base and as {@code PING redkit:repl:<id>:<offset>} records.
 */
public final class KvStore implements Closeable {
    /** Name of the AOF directory inside the data directory (Redis's default {@code appenddirname}). */
    public static final String AOF_DIR = "appendonlydir";
    /** Redis's default {@code appendfilename}, the stem of every file name. */
    public static final String STEM = "appendonly.aof";
    static final byte[] AUX_REPL_ID = "redkit-repl-id".getBytes(StandardCharsets.US_ASCII);
    static final byte[] AUX_REPL_OFFSET = "redkit-repl-offset".getBytes(StandardCharsets.US_ASCII);
    static final byte[] AUX_REPL_DB = "redkit-repl-db".getBytes(StandardCharsets.US_ASCII);

    /**
     * How to open a store.
     *
     * @param fsync           the log's fsync policy
     * @param clock           the engine's clock
     * @param shardsPerDb     engine shards per database
     * @param readOnly        recover only: no file is created, cut or appended to, and no log is attached
     * @param maxPendingBytes unwritten log bytes beyond which writers wait
     */
    public record Options(AofLog.Fsync fsync, Clock clock, int shardsPerDb, boolean readOnly, long maxPendingBytes) {
        /** fsync everysec, system clock, default shards, read-write, 64 MB of pending log. */
        public static Options defaults() {
            return new Options(AofLog.Fsync.EVERYSEC, Clock.SYSTEM, KvEngine.DEFAULT_SHARDS, false, 64L << 20);
        }

        /** This with another fsync policy. */
        public Options withFsync(AofLog.Fsync f) {
            return new Options(f, clock, shardsPerDb, readOnly, maxPendingBytes);
        }

        /** This with another clock. */
        public Options withClock(Clock c) {
            return new Options(fsync, c, shardsPerDb, readOnly, maxPendingBytes);
        }

        /** This read-only (or not). */
        public Options withReadOnly(boolean ro) {
            return new Options(fsync, clock, shardsPerDb, ro, maxPendingBytes);
        }
    }

    /**
     * What opening found.
     *
     * @param keysLoaded      keys loaded from the base
     * @param commands        commands replayed from the increments
     * @param commandErrors   replayed commands whose reply was an error (0 for a log redkit wrote)
     * @param truncatedFile   the increment whose torn tail was cut (or, read-only, ignored), or null
     * @param truncatedBytes  bytes cut from it
     * @param millis          time taken
     */
    public record Recovery(long keysLoaded, long commands, long commandErrors, String truncatedFile,
                           long truncatedBytes, long millis) {
    }

    /** The statistics of the last {@link #rewrite()}. */
    public record RewriteStats(boolean ok, long millis, long baseBytes, int rdbVersion, String error) {
    }

    private final Path dir;
    private final Path aofDir;
    private final Options options;
    private final ReplayClock clock;
    private final KvEngine engine;
    private AofLog log;
    private String baseName;
    private long baseSeq;
    private final List<String> incrNames = new ArrayList<>();
    private long incrSeq;
    private Recovery recovery;
    private volatile String replId;
    private volatile long replOffset = -1;
    private volatile int replDb;
    private boolean preferV12;
    /** The last base held stream IDMP state, which only RDB 13 stores: the next rewrite starts there too. */
    private boolean preferV13;
    /** The last base write was refused for a stream's IDMP state (so RDB 12 would not do either). */
    private boolean idmpRefused;
    private RewriteStats lastRewrite;

    private KvStore(Path dir, Options options) {
        this.dir = dir;
        this.aofDir = dir.resolve(AOF_DIR);
        this.options = options;
        this.clock = new ReplayClock(options.clock());
        this.engine = new KvEngine(clock, options.shardsPerDb());
    }

    /**
     * Opens (creating it when missing, unless read-only) the store in data directory {@code dir} and recovers its
     * data. Read-write, the engine logs every change from then on.
     */
    public static KvStore open(Path dir, Options options) throws IOException {
        KvStore s = new KvStore(dir, options);
        try {
            s.start();
        } catch (IOException | RuntimeException e) {
            s.closeQuietly();
            throw e;
        }
        return s;
    }

    /** True when {@code dir} holds a store (its manifest exists). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(AOF_DIR).resolve(STEM + ".manifest"));
    }

    private void start() throws IOException {
        Path manifest = aofDir.resolve(STEM + ".manifest");
        long t0 = System.nanoTime();
        if (!Files.isRegularFile(manifest)) {
            if (options.readOnly()) {
                throw new RedkitException(ErrorKind.MISSING_FILE, dir.toString(), -1, "kv store",
                        "no " + AOF_DIR + "/" + STEM + ".manifest (not a redkit kv directory)");
            }
            Files.createDirectories(aofDir);
            recovery = new Recovery(0, 0, 0, null, 0, 0);
            initialise();
        } else {
            AofManifest m = AofManifest.read(manifest);
            if (m.base() != null) {
                baseName = m.base().fileName();
                baseSeq = m.base().seq();
            }
            for (AofManifest.Entry e : m.incrs()) {
                incrNames.add(e.fileName());
                incrSeq = Math.max(incrSeq, e.seq());
            }
            recover(t0);
            if (!options.readOnly()) {
                if (incrNames.isEmpty()) {
                    incrSeq++;
                    incrNames.add(incrName(incrSeq));
                    writeManifest(baseName, incrNames);
                }
                log = new AofLog(aofDir.resolve(incrNames.get(incrNames.size() - 1)), options.fsync(),
                        options.maxPendingBytes());
            }
        }
        clock.release();
        // the replay ran on the logged clock: keys count as loaded now for eviction, as in Redis
        engine.resetAccessClocks();
        if (log != null) {
            engine.writeLog(log);
        }
    }

    /** A new directory: an empty base 1, an empty increment 1 and their manifest. */
    private void initialise() throws IOException {
        baseSeq = 1;
        baseName = baseName(1);
        incrSeq = 1;
        incrNames.add(incrName(1));
        Path tmp = aofDir.resolve("temp-rewriteaof-init.aof");
        try (EventSource src = engine.snapshot()) {
            writeBase(src, tmp, 10);
        }
        Files.move(tmp, aofDir.resolve(baseName), StandardCopyOption.ATOMIC_MOVE);
        Files.write(aofDir.resolve(incrNames.get(0)), new byte[0]);
        writeManifest(baseName, incrNames);
        log = new AofLog(aofDir.resolve(incrNames.get(0)), options.fsync(), options.maxPendingBytes());
    }

    private void recover(long t0) throws IOException {
        // nothing expires while the files replay: each increment command runs at the time it first ran
        clock.freeze(0);
        SourceOptions so = SourceOptions.defaults();
        KvLoader loader = new KvLoader(engine, KvLoader.OnExisting.REPLACE, false, dir.toString());
        long keys = 0;
        if (baseName != null) {
            keys = replay(aofDir.resolve(baseName), so, loader, false);
        }
        long commands = 0;
        long errors = 0;
        String cutFile = null;
        long cut = 0;
        for (int i = 0; i < incrNames.size(); i++) {
            Path p = aofDir.resolve(incrNames.get(i));
            ReplayResult r = replayIncr(p, so);
            commands += r.commands;
            errors += r.errors;
            if (r.tornAt >= 0) {
                long size = Files.size(p);
                cutFile = p.toString();
                cut = size - r.tornAt;
                if (!options.readOnly()) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.truncate(r.tornAt);
                        ch.force(true);
                    }
                }
            }
        }
        recovery = new Recovery(keys, commands, errors, cutFile, cut, (System.nanoTime() - t0) / 1_000_000);
    }

    private long replay(Path file, SourceOptions so, KvLoader loader, boolean incr) throws IOException {
        long keys = 0;
        try (AofReader r = AofReader.openFile(file, so)) {
            Event e;
            while ((e = r.next()) != null) {
                if (e.kind() == EventKind.AUX) {
                    aux((Aux) e);
                } else if (e.kind() == EventKind.COMMAND) {
                    command((Command) e);
                } else {
                    if (e.kind() == EventKind.KEY_END) {
                        keys++;
                    }
                    loader.accept(e);
                }
            }
        }
        return keys;
    }

    private record ReplayResult(long commands, long errors, long tornAt) {
    }

    private ReplayResult replayIncr(Path file, SourceOptions so) throws IOException {
        long commands = 0;
        long errors = 0;
        AofReader r = AofReader.openFile(file, so);
        // a transaction's commands wait for its EXEC: a file cut inside MULTI drops them all, as Redis's loader
        List<Command> tx = null;
        try {
            Event e;
            while ((e = r.next()) != null) {
                if (e.kind() == EventKind.COMMAND) {
                    Command c = (Command) e;
                    if (c.argv().size() == 1 && eq(c.argv().get(0), "MULTI")) {
                        tx = new java.util.ArrayList<>();
                        continue;
                    }
                    if (c.argv().size() == 1 && eq(c.argv().get(0), "EXEC") && tx != null) {
                        for (Command q : tx) {
                            commands++;
                            if (!command(q)) {
                                errors++;
                            }
                        }
                        tx = null;
                        continue;
                    }
                    if (tx != null) {
                        tx.add(c);
                        continue;
                    }
                    commands++;
                    if (!command(c)) {
                        errors++;
                    }
                }
            }
        } catch (RedkitException ex) {
            AofReader.Position safe = r.safeCutPosition();
            if (ex.kind() != ErrorKind.TRUNCATED || safe == null) {
                throw ex;
            }
            return new ReplayResult(commands, errors, safe.offset());
        } finally {
            r.close();
        }
        return new ReplayResult(commands, errors, -1);
    }

    /** Replays one command; false when its reply was an error. */
    private boolean command(Command c) {
        List<byte[]> argv = c.argv();
        if (argv.size() == 2 && eq(argv.get(0), "PING")) {
            String arg = new String(argv.get(1), StandardCharsets.ISO_8859_1);
            if (arg.startsWith(AofLog.TIME_PREFIX)) {
                try {
                    clock.freeze(Long.parseLong(arg.substring(AofLog.TIME_PREFIX.length())));
                } catch (NumberFormatException ignored) {
                    // not ours: a PING is a no-op anyway
                }
                return true;
            }
            if (arg.startsWith(AofLog.REPL_PREFIX)) {
                String[] p = arg.substring(AofLog.REPL_PREFIX.length()).split(":");
                if (p.length == 3) {
                    try {
                        replOffset = Long.parseLong(p[1]);
                        replDb = Integer.parseInt(p[2]);
                        replId = p[0];
                    } catch (NumberFormatException ignored) {
                        // not ours
                    }
                }
                return true;
            }
        }
        return !(engine.execute(c.db(), argv) instanceof Reply.Error);
    }

    private void aux(Aux a) {
        if (java.util.Arrays.equals(a.name(), AUX_REPL_ID)) {
            replId = new String(a.value(), StandardCharsets.ISO_8859_1);
        } else if (java.util.Arrays.equals(a.name(), AUX_REPL_DB)) {
            try {
                replDb = Integer.parseInt(new String(a.value(), StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException ignored) {
                replDb = 0;
            }
        } else if (java.util.Arrays.equals(a.name(), AUX_REPL_OFFSET)) {
            try {
                replOffset = Long.parseLong(new String(a.value(), StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException ignored) {
                replOffset = -1;
            }
        }
    }

    private static boolean eq(byte[] b, String s) {
        return new String(b, StandardCharsets.ISO_8859_1).equalsIgnoreCase(s);
    }

    /** The engine holding the data. */
    public KvEngine engine() {
        return engine;
    }

    /** The data directory. */
    public Path directory() {
        return dir;
    }

    /** What opening recovered. */
    public Recovery recovery() {
        return recovery;
    }

    /** The log, or null when read-only. */
    public AofLog log() {
        return log;
    }

    /** The replication id stored with the data (of the master followed), or null. */
    public String replicationId() {
        return replId;
    }

    /** The replication offset stored with the data, or -1. */
    public long replicationOffset() {
        return replOffset;
    }

    /** The database selected in the master's stream at the stored offset. */
    public int replicationDb() {
        return replDb;
    }

    /**
     * Records the replication position reached (after the commands up to it were applied through the engine) in
     * the log, and waits for it like a write; false when the log failed. A crash between a command and its
     * position record makes a resume apply that command again.
     */
    public boolean replication(String id, long offset, int db) {
        if (log == null) {
            throw new IllegalStateException("read-only store");
        }
        if (id.indexOf(':') >= 0 || id.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("replication id: " + id);
        }
        replId = id;
        replOffset = offset;
        replDb = db;
        return log.appendReplication(id + ":" + offset + ":" + db);
    }

    /** Base and increment files, in load order (names inside {@code appendonlydir}). */
    public synchronized List<String> files() {
        List<String> out = new ArrayList<>();
        if (baseName != null) {
            out.add(baseName);
        }
        out.addAll(incrNames);
        return out;
    }

    /** The statistics of the last rewrite, or null. */
    public synchronized RewriteStats lastRewrite() {
        return lastRewrite;
    }

    /**
     * Rewrites the directory as BGREWRITEAOF does: a new increment takes the changes from now on, a point-in-time
     * snapshot becomes the new base, then the manifest lists only those two and the older files are deleted.
     * Writers keep going meanwhile (see {@link KvEngine#snapshot()}). If the base cannot be written, the old files
     * stay live with the new increment after them, and the error is thrown.
     */
    /**
     * Starts the log switch and its snapshot between write groups: a transaction is wholly before the new base or
     * wholly after it, and a group ending meanwhile can take the log's lock (the switch holds it while it starts).
     */
    private EventSource beginSwitch(Path newIncr) throws IOException {
        try {
            return engine.outsideGroups(() -> log.beginSwitch(newIncr, engine));
        } catch (IllegalStateException e) {
            // a rewrite already running, or a transaction that stayed open: this rewrite does not start
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    public synchronized RewriteStats rewrite() throws IOException {
        if (log == null) {
            throw new IllegalStateException("read-only store");
        }
        long t0 = System.nanoTime();
        // RDB 10 unless the data needs more, so redis-server 7.0 loads the directory
        int version = preferV13 ? 13 : preferV12 ? 12 : 10;
        long newIncrSeq = incrSeq + 1;
        String newIncr = incrName(newIncrSeq);
        Files.write(aofDir.resolve(newIncr), new byte[0]);
        List<String> withNew = new ArrayList<>(incrNames);
        withNew.add(newIncr);
        // listed first, so a crash during the rewrite keeps both increments live
        writeManifest(baseName, withNew);
        incrSeq = newIncrSeq;
        incrNames.add(newIncr);
        Path tmp = aofDir.resolve("temp-rewriteaof-bg-" + ProcessHandle.current().pid() + ".aof");
        EventSource src = beginSwitch(aofDir.resolve(newIncr));
        IOException error = null;
        boolean unsupported = false;
        boolean sawIdmp = false;
        try {
            sawIdmp = writeBase(src, tmp, version);
        } catch (RedkitException e) {
            unsupported = e.kind() == ErrorKind.UNSUPPORTED && version < 13;
            error = e;
        } catch (IOException e) {
            error = e;
        } finally {
            try {
                // every shard must reach the snapshot, so each later change is logged to the new increment only
                while (src.next() != null) {
                    // drain
                }
            } finally {
                src.close();
            }
        }
        log.finishSwitch();
        if (error != null) {
            Files.deleteIfExists(tmp);
            lastRewrite = new RewriteStats(false, (System.nanoTime() - t0) / 1_000_000, 0, version,
                    error.getMessage());
            if (unsupported) {
                if (version < 12 && !idmpRefused) {
                    preferV12 = true;
                } else {
                    preferV13 = true;
                }
                return rewrite();
            }
            throw error;
        }
        long newBaseSeq = baseSeq + 1;
        String newBase = baseName(newBaseSeq);
        long size = Files.size(tmp);
        Files.move(tmp, aofDir.resolve(newBase), StandardCopyOption.ATOMIC_MOVE);
        writeManifest(newBase, List.of(newIncr));
        List<String> old = new ArrayList<>(incrNames.subList(0, incrNames.size() - 1));
        if (baseName != null) {
            old.add(baseName);
        }
        baseName = newBase;
        baseSeq = newBaseSeq;
        incrNames.clear();
        incrNames.add(newIncr);
        for (String f : old) {
            Files.deleteIfExists(aofDir.resolve(f));
        }
        // once the IDMP state is gone, the base goes back to a version older servers load
        preferV13 = sawIdmp;
        lastRewrite = new RewriteStats(true, (System.nanoTime() - t0) / 1_000_000, size, version, null);
        return lastRewrite;
    }

    /** Writes the base; true when a stream in it has idempotent-producer state (what needs RDB 13). */
    private boolean writeBase(EventSource src, Path tmp, int version) throws IOException {
        boolean sawIdmp = false;
        boolean keyIdmp = false;
        idmpRefused = false;
        RdbWriter.Options wo = RdbWriter.Options.builder().version(version).tempDir(aofDir).build();
        String id = replId;
        long off = replOffset;
        int rdb = replDb;
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
             OutputStream out = new BufferedOutputStream(fos, 1 << 20)) {
            RdbWriter w = new RdbWriter(out, wo);
            Event e;
            while ((e = src.next()) != null) {
                if (e.kind() == EventKind.KEY_START) {
                    keyIdmp = false;
                } else if (e.kind() == EventKind.STREAM_META && hasIdmpState((StreamMeta) e)) {
                    keyIdmp = true;
                    sawIdmp = true;
                }
                try {
                    w.accept(e);
                } catch (RedkitException x) {
                    idmpRefused = keyIdmp && x.kind() == ErrorKind.UNSUPPORTED;
                    throw x;
                }
                if (e.kind() == EventKind.BEGIN && id != null) {
                    w.accept(new Aux(AUX_REPL_ID, id.getBytes(StandardCharsets.ISO_8859_1), -1));
                    w.accept(new Aux(AUX_REPL_OFFSET, Long.toString(off).getBytes(StandardCharsets.US_ASCII), -1));
                    w.accept(new Aux(AUX_REPL_DB, Integer.toString(rdb).getBytes(StandardCharsets.US_ASCII), -1));
                }
            }
            w.close();
            out.flush();
            fos.getChannel().force(true);
        }
        return sawIdmp;
    }

    /** What the RDB writer refuses below RDB 13: recorded producers (a bare IDMP config is not kept then). */
    private static boolean hasIdmpState(StreamMeta m) {
        return m.idmp() != null && !m.idmp().producers().isEmpty();
    }

    /** Replaces the manifest atomically: temp file, fsync, rename, fsync of the directory. */
    private void writeManifest(String base, List<String> incrs) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            sb.append("file ").append(base).append(" seq ").append(seqOf(base)).append(" type b\n");
        }
        for (String i : incrs) {
            sb.append("file ").append(i).append(" seq ").append(seqOf(i)).append(" type i\n");
        }
        Path tmp = aofDir.resolve("temp-" + STEM + ".manifest");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, aofDir.resolve(STEM + ".manifest"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(aofDir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static long seqOf(String name) {
        // appendonly.aof.<seq>.base.rdb / appendonly.aof.<seq>.incr.aof
        String rest = name.substring(STEM.length() + 1);
        return Long.parseLong(rest.substring(0, rest.indexOf('.')));
    }

    static String baseName(long seq) {
        return STEM + "." + seq + ".base.rdb";
    }

    static String incrName(long seq) {
        return STEM + "." + seq + ".incr.aof";
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // the open failure is what the caller sees
        }
    }

    /**
     * Runs a bulk load without logging each change, then rewrites, so the new base holds the result (a crash
     * meanwhile leaves the directory as it was before). For one loading thread; other writers must wait.
     */
    public synchronized <T> T unlogged(java.util.concurrent.Callable<T> work) throws Exception {
        suspendLog();
        T result;
        try {
            result = work.call();
        } catch (Exception | Error e) {
            engine.writeLog(log);
            throw e;
        }
        resumeLog();
        return result;
    }

    /**
     * Stops logging changes (for a bulk load by one thread, e.g. a full resync); {@link #resumeLog()} makes them
     * durable with a rewrite. Until then a crash leaves the directory as it was.
     */
    public synchronized void suspendLog() {
        if (log == null) {
            throw new IllegalStateException("read-only store");
        }
        engine.writeLog(null);
    }

    /** Logs changes again and rewrites, so the new base holds what was loaded while the log was suspended. */
    public synchronized RewriteStats resumeLog() throws IOException {
        engine.writeLog(log);
        return rewrite();
    }

    /**
     * Sets the replication position without logging it: for the state a suspended bulk load reached (a full
     * resync), which the next {@link #rewrite()} stores in the base.
     */
    public void replicationForBase(String id, long offset, int db) {
        replId = id;
        replOffset = offset;
        replDb = db;
    }

    /** Detaches and closes the log (everything appended is written and fsynced) and stops the engine. */
    @Override
    public synchronized void close() throws IOException {
        engine.writeLog(null);
        try {
            if (log != null) {
                log.close();
            }
        } finally {
            log = null;
            engine.close();
        }
    }

    /** The engine's clock: frozen while the files replay (each command at its logged time), then the real one. */
    static final class ReplayClock implements Clock {
        private final Clock real;
        private volatile boolean frozen;
        private volatile long at;

        ReplayClock(Clock real) {
            this.real = real;
        }

        void freeze(long ms) {
            at = ms;
            frozen = true;
        }

        void release() {
            frozen = false;
        }

        @Override
        public long nowMs() {
            return frozen ? at : real.nowMs();
        }
    }
}
