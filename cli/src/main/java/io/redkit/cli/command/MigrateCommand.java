package io.redkit.cli.command;

import io.redkit.aof.SourceOptions;
import io.redkit.aof.Sources;
import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.KvSources;
import io.redkit.cli.option.FilterMixin;
import io.redkit.cli.log.Log;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LimitsMixin;
import io.redkit.cli.option.LogMixin;
import io.redkit.cli.option.ProgressMixin;
import io.redkit.cli.option.ReplicaMixin;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Event;
import io.redkit.core.event.SourceKind;
import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.core.sink.Sink;
import io.redkit.kv.KvEngine;
import io.redkit.kv.KvLoader;
import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;
import io.redkit.live.target.TargetUri;
import io.redkit.rdb.io.Inputs;
import io.redkit.replication.ReplicaUri;
import io.redkit.replication.ReplicationPosition;
import io.redkit.replication.ReplicationSource;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code redkit migrate SOURCE --to kv:DIR}: an RDB, any AOF form or a live master loaded into the bundled KV
 * engine's data directory, with a progress line and a summary; {@code --follow} keeps applying a master's stream.
 * With a live target ({@code --to redis://...}) the work is done by {@link LiveMigration}.
 */
@Command(name = "migrate",
        sortOptions = false,
        description = {"Copy the keys of an RDB file, an AOF (file, RDB-preamble file, multi-part directory or "
                + "manifest) or a live master (redis://...) into the bundled KV store (--to kv:DIR), or into a live "
                + "Redis server or Redis Cluster (--to redis://..., redis-cluster://...).",
                "Keys keep their types and TTLs; keys already expired are not copied. The directory is created "
                        + "when missing; the copy becomes durable at the end with a rewrite of its base."})
public final class MigrateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "RDB or AOF file (compressed or not), AOF directory or manifest, - for standard input, "
                    + "or redis://[user:password@]host:port of a master.")
    String source;

    @Option(names = "--to", required = true, paramLabel = "TARGET",
            description = "kv:DIR (the KV data directory to fill), redis://[user:password@]host:port[/db], "
                    + "rediss://... (TLS), redis-sentinel://host:port[,host:port]/NAME or "
                    + "redis-cluster://host:port[,host:port...] (a live server or cluster).")
    String to;

    @Option(names = "--rate", paramLabel = "KEYS_PER_S",
            description = "Live target: write at most this many keys (and replicated commands) a second.")
    long rate;

    @Option(names = "--bytes-per-s", paramLabel = "SIZE", converter = io.redkit.cli.option.SizeConverter.class,
            description = "Live target: send at most this many bytes of commands a second (k, m, g suffixes).")
    Long bytesPerS;

    @Option(names = "--window", paramLabel = "N", defaultValue = "4096",
            description = "Live target: most commands in flight (sent, reply not read yet) (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--no-restore",
            description = "Live target: always rebuild values with commands, never RESTORE their raw payload.")
    boolean noRestore;

    @Option(names = "--retry-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Live target: how long a lost node is reconnected to (with back-off) before giving up "
                    + "(default: ${DEFAULT-VALUE}).")
    int retryTimeout;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Live target with --follow: the master's replication position, written once the target "
                    + "acknowledged everything before it; a restart resumes from it.")
    Path checkpoint;

    @Option(names = "--to-password-file", paramLabel = "FILE",
            description = "Live target: read its password from FILE (first line) when the address has none.")
    Path toPasswordFile;

    @Option(names = "--to-tls-ca", paramLabel = "PEM", description = "rediss:// target: trust the CAs in this file.")
    java.io.File toTlsCa;

    @Option(names = "--to-tls-cert", paramLabel = "PEM", description = "rediss:// target: client certificate.")
    java.io.File toTlsCert;

    @Option(names = "--to-tls-key", paramLabel = "PEM", description = "rediss:// target: client key (PKCS#8).")
    java.io.File toTlsKey;

    @Option(names = "--to-tls-insecure",
            description = "rediss:// target: accept any certificate (prints a warning; testing only).")
    boolean toTlsInsecure;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Existing existing;

    /** What to do with keys the store already has. */
    static final class Existing {
        @Option(names = "--replace", description = "Overwrite keys that exist in the store.")
        boolean replace;

        @Option(names = "--skip-existing", description = "Keep the store's keys; drop incoming ones with the same name.")
        boolean skip;
    }

    @Option(names = "--fsync", paramLabel = "POLICY", defaultValue = "everysec", converter = FsyncConverter.class,
            description = "When the store's log is fsynced: always, everysec or no (default: ${DEFAULT-VALUE}).")
    AofLog.Fsync fsync;

    @Option(names = "--follow",
            description = "With a redis:// SOURCE: after the full sync keep applying the master's writes until "
                    + "stopped (Ctrl-C); the replication position is stored with the data, so a restart resumes.")
    boolean follow;

    @Mixin
    FilterMixin filter;

    @Mixin
    ReplicaMixin replica;

    @Mixin
    LimitsMixin limits;

    @Mixin
    ProgressMixin progress;

    @Mixin
    LogMixin logging;

    @Mixin
    GlobalMixin global;

    private Log log;

    /** Where this run's diagnostics go (standard error, as --verbose and --log-format say). */
    Log log() {
        return log;
    }

    /** Created by the command factory with the streams of the run. */
    public MigrateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Case-insensitive {@code always|everysec|no}. */
    static final class FsyncConverter implements ITypeConverter<AofLog.Fsync> {
        @Override
        public AofLog.Fsync convert(String v) {
            try {
                return AofLog.Fsync.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected always, everysec or no, found '"
                        + v + "'");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        log = logging.log(ctx.err(), "redkit");
        if (TargetUri.isTarget(to)) {
            return new LiveMigration(this, ctx).run();
        }
        if (!KvSources.isKv(to)) {
            throw new ParameterException(spec.commandLine(), "--to must be kv:DIR or a redis://, rediss://, "
                    + "redis-sentinel:// or redis-cluster:// address, found '" + to + "'");
        }
        boolean master = ReplicaUri.isUri(source);
        if (follow && !master) {
            throw new ParameterException(spec.commandLine(), "--follow applies to a redis:// SOURCE only");
        }
        if (Inputs.isStdin(source) && ctx.inTerminal()) {
            throw new ParameterException(spec.commandLine(),
                    "SOURCE is - but standard input is a terminal: give a file, or pipe the data in");
        }
        KvLoader.OnExisting mode = existing == null ? KvLoader.OnExisting.ERROR
                : existing.replace ? KvLoader.OnExisting.REPLACE : KvLoader.OnExisting.SKIP;
        Path dir = KvSources.dir(to);
        log.info("migrating", "to", to, "follow", follow);
        boolean bar = !progress.disabled() && ctx.errTerminal() && logging.format() == Log.Format.text;
        Meter meter = new Meter(bar ? ctx.err() : null);
        // Ctrl-C or SIGTERM is the normal end of --follow: stop reading, close the store, exit with our code
        StopHook hook = new StopHook(master, () -> running);
        try {
            try (KvStore store = KvStore.open(dir, KvStore.Options.defaults().withFsync(fsync))) {
                KvLoader loader = new KvLoader(store.engine(), mode, false, source);
                if (master) {
                    fromMaster(store, loader, meter);
                } else {
                    fromFile(store, loader, meter);
                }
                meter.finish();
                summary(store, loader, meter);
            }
            return ExitCodes.OK;
        } catch (Exception | Error e) {
            hook.exitCode(ExitCodes.of(e));
            throw e;
        } finally {
            ctx.out().flush();
            ctx.err().flush();
            hook.close();
        }
    }

    private volatile ReplicationSource running;

    private void fromFile(KvStore store, KvLoader loader, Meter meter) throws Exception {
        SourceOptions so = SourceOptions.defaults().withLimits(limits.limits())
                .withAllowFutureVersion(limits.allowFutureVersion());
        EventSource src = open(source, ctx, so, meter);
        try (EventSource s = src) {
            store.unlogged(() -> {
                Pipeline.run(s, filter.filter(), new Metered(loader, meter));
                return null;
            });
        }
    }

    private void fromMaster(KvStore store, KvLoader loader, Meter meter) throws Exception {
        ReplicaUri u = replica.uri(source, System.getenv());
        ReplicationPosition start = null;
        if (follow && store.replicationId() != null && ReplicationPosition.isReplid(store.replicationId())) {
            start = new ReplicationPosition(store.replicationId(), store.replicationOffset(), store.replicationDb());
        }
        boolean[] inSnapshot = {false};
        ReplicationSource[] holder = new ReplicationSource[1];
        ReplicationSource.Builder b = replica.builder(u, ctx)
                .limits(limits.limits())
                .allowFutureVersion(limits.allowFutureVersion())
                .snapshot(ReplicationSource.SnapshotMode.EMIT)
                .snapshotOnly(!follow)
                .notices(LogMixin.replicationNotices(log))
                .idle(() -> {
                    if (inSnapshot[0] && holder[0] != null && holder[0].streaming()) {
                        inSnapshot[0] = false;
                        endSnapshot(store, holder[0]);
                    }
                });
        if (start != null) {
            b.start(start);
        }
        ReplicationSource src = b.build();
        holder[0] = src;
        running = src;
        KeyFilter f = filter.filter();
        Sink sink = new Metered(loader, meter);
        try (src) {
            Event e;
            boolean skipping = false;
            while ((e = src.next()) != null) {
                if (e instanceof Begin bg && bg.sourceKind() == SourceKind.RDB) {
                    // a full resync: the master's snapshot replaces everything
                    store.suspendLog();
                    for (int d = 0; d < KvEngine.DATABASES; d++) {
                        store.engine().execute(d, List.of("FLUSHDB".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                    }
                    inSnapshot[0] = true;
                    continue;
                }
                if (e instanceof io.redkit.core.event.Command c) {
                    if (inSnapshot[0]) {
                        inSnapshot[0] = false;
                        endSnapshot(store, src);
                    }
                    if (f.acceptsDb(c.db())) {
                        sink.accept(e);
                    }
                    ReplicationPosition p = src.position();
                    if (p != null) {
                        store.replication(p.replid(), p.offset(), p.db());
                    }
                    continue;
                }
                if (e.kind() == io.redkit.core.event.EventKind.KEY_START
                        && !f.test(((io.redkit.core.event.KeyStart) e).header())) {
                    src.skipValue();
                    skipping = true;
                    continue;
                }
                if (skipping && e.kind() == io.redkit.core.event.EventKind.KEY_END) {
                    skipping = false;
                    continue;
                }
                if (!skipping) {
                    sink.accept(e);
                }
            }
            if (inSnapshot[0]) {
                endSnapshot(store, src);
            }
        } finally {
            running = null;
        }
    }

    private static void endSnapshot(KvStore store, ReplicationSource src) {
        ReplicationPosition p = src.position();
        if (p != null) {
            store.replicationForBase(p.replid(), p.offset(), p.db());
        }
        try {
            store.resumeLog();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private void summary(KvStore store, KvLoader loader, Meter meter) {
        PrintStream out = ctx.out();
        double secs = Math.max(1e-9, (System.nanoTime() - meter.start) / 1e9);
        long keys = 0;
        for (int d = 0; d < KvEngine.DATABASES; d++) {
            keys += store.engine().dbSize(d);
        }
        out.printf(Locale.ROOT, "migrated %s into %s in %.2f s%n", source, to, secs);
        out.printf(Locale.ROOT, "  keys copied %,d (%,.0f keys/s), commands applied %,d, read %.1f MB (%.1f MB/s)%n",
                loader.keysLoaded(), loader.keysLoaded() / secs, loader.commandsApplied(), meter.bytes / 1e6,
                meter.bytes / 1e6 / secs);
        out.printf(Locale.ROOT, "  skipped: %,d existing, %,d expired, %,d unsupported (module/array); %,d command "
                        + "errors%n", loader.keysSkippedExisting(), loader.keysExpired(), loader.keysUnsupported(),
                loader.commandErrors());
        out.printf(Locale.ROOT, "  the store now holds %,d keys; %s%n", keys, String.join(", ", store.files()));
        KvStore.RewriteStats rw = store.lastRewrite();
        if (rw != null) {
            out.printf(Locale.ROOT, "  base written in %.2f s (%.1f MB, RDB %d)%n", rw.millis() / 1e3, rw.baseBytes() / 1e6,
                    rw.rdbVersion());
        }
        if (store.replicationId() != null) {
            out.printf(Locale.ROOT, "  replication position %s:%d (db %d)%n", store.replicationId(),
                    store.replicationOffset(), store.replicationDb());
        }
    }

    /**
     * A file, directory or standard-input source (any RDB or AOF form, compressed or not); the meter counts the
     * bytes read and takes a file's size as its total.
     */
    static EventSource open(String source, CliContext ctx, SourceOptions so, Meter meter) throws IOException {
        if (!Inputs.isStdin(source) && Files.isDirectory(Path.of(source))) {
            return Sources.open(source, so);
        }
        InputStream raw = Inputs.isStdin(source) ? shielded(ctx.in()) : Inputs.openRaw(source);
        meter.total = Inputs.isStdin(source) ? -1 : Files.size(Path.of(source));
        InputStream counted = new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    meter.bytes++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    meter.bytes += n;
                }
                return n;
            }
        };
        String name = Inputs.displayName(source);
        return Sources.open(Inputs.decompress(counted, name), name, Inputs.isStdin(source) ? null : Path.of(source), so);
    }

    private static InputStream shielded(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // standard input belongs to the process
            }
        };
    }

    /** Counts and draws keys/s and bytes/s on a terminal, at most ten times a second. */
    static final class Meter {
        final PrintStream err;
        final long start = System.nanoTime();
        long total = -1;
        long bytes;
        long keys;
        long commands;
        long next = start + 100_000_000L;
        boolean drawn;

        Meter(PrintStream err) {
            this.err = err;
        }

        void tick() {
            if (err == null || ((keys + commands) & 255) != 0) {
                return;
            }
            long now = System.nanoTime();
            if (now < next) {
                return;
            }
            next = now + 100_000_000L;
            double secs = Math.max(1e-9, (now - start) / 1e9);
            String pct = total > 0 ? String.format(Locale.ROOT, "%3d%% ", (int) Math.min(100, bytes * 100 / total)) : "";
            err.print(String.format(Locale.ROOT, "\r%s%,d keys %,.0f keys/s  %,d cmds  %.1f MB %.1f MB/s\033[K", pct,
                    keys, keys / secs, commands, bytes / 1e6, bytes / 1e6 / secs));
            err.flush();
            drawn = true;
        }

        void finish() {
            if (drawn) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }

    /** The loader, counting keys and commands for the meter. */
    static final class Metered implements Sink {
        private final Sink inner;
        private final Meter meter;

        Metered(Sink inner, Meter meter) {
            this.inner = inner;
            this.meter = meter;
        }

        @Override
        public void accept(Event e) throws IOException {
            inner.accept(e);
            switch (e.kind()) {
                case KEY_END -> {
                    meter.keys++;
                    meter.tick();
                }
                case COMMAND -> {
                    meter.commands++;
                    meter.tick();
                }
                default -> {
                }
            }
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
