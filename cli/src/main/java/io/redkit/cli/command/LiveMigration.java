package io.redkit.cli.command;

import io.netty.handler.ssl.SslContext;
import io.redkit.aof.SourceOptions;
import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.KvSources;
import io.redkit.cli.option.ConnectionMixin;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.live.target.OnExisting;
import io.redkit.live.target.RedisTargetSink;
import io.redkit.live.target.TargetOptions;
import io.redkit.live.target.TargetReport;
import io.redkit.live.target.TargetUri;
import io.redkit.rdb.io.Inputs;
import io.redkit.replication.ReplicaUri;
import io.redkit.replication.ReplicationPosition;
import io.redkit.replication.ReplicationSource;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code redkit migrate SOURCE --to redis://...|redis-cluster://...}: any source through the filters into a
 * {@link RedisTargetSink}, with the progress line, the writer's report and, with {@code --follow}, a checkpoint
 * written only once the target acknowledged everything before it.
 */
final class LiveMigration {
    /** The environment variable a target password is read from when neither the address nor a file gives one. */
    static final String TARGET_PASSWORD_ENV = "REDKIT_TARGET_AUTH";
    /** How often, at most, the target is drained and the checkpoint written while following. */
    private static final long CHECKPOINT_MILLIS = 1000;

    private final MigrateCommand cmd;
    private final CliContext ctx;
    private volatile ReplicationSource running;
    private long lastCheckpoint;
    private ReplicationPosition written;

    LiveMigration(MigrateCommand cmd, CliContext ctx) {
        this.cmd = cmd;
        this.ctx = ctx;
    }

    Integer run() throws Exception {
        String source = cmd.source;
        boolean master = ReplicaUri.isUri(source);
        if (cmd.follow && !master) {
            throw usage("--follow applies to a redis:// SOURCE only");
        }
        if (cmd.checkpoint != null && !cmd.follow) {
            throw usage("--checkpoint applies with --follow only");
        }
        if (Inputs.isStdin(source) && ctx.inTerminal()) {
            throw usage("SOURCE is - but standard input is a terminal: give a file, or pipe the data in");
        }
        if (cmd.window < 1) {
            throw usage("--window must be at least 1");
        }
        TargetUri target;
        try {
            target = TargetUri.parse(cmd.to);
        } catch (IllegalArgumentException e) {
            throw usage("bad target address: " + e.getMessage());
        }
        target = withPassword(target);
        OnExisting mode = cmd.existing == null ? OnExisting.FAIL
                : cmd.existing.replace ? OnExisting.REPLACE : OnExisting.SKIP;
        PrintStream err = ctx.err();
        MigrateCommand.Meter meter = new MigrateCommand.Meter(cmd.progress.disabled() || !ctx.errTerminal() ? null
                : err);
        TargetOptions opt = TargetOptions.defaults()
                .withOnExisting(mode)
                .withWindow(cmd.window, TargetOptions.defaults().windowBytes())
                .withRates(cmd.rate, cmd.bytesPerS == null ? 0 : cmd.bytesPerS)
                .withRestore(!cmd.noRestore)
                .withTimeouts(cmd.retryTimeout * 1000L, 10_000, 60_000)
                .withSsl(ssl(target))
                .withNotices(n -> {
                    synchronized (err) {
                        meter.finish();
                        err.println("redkit: " + n);
                    }
                });
        StopHook hook = new StopHook(master, () -> running);
        try {
            RedisTargetSink sink = RedisTargetSink.open(target, opt);
            try {
                try {
                    MigrateCommand.Metered metered = new MigrateCommand.Metered(sink, meter);
                    if (master) {
                        fromMaster(sink, metered);
                    } else {
                        fromFile(sink, metered, meter);
                    }
                } finally {
                    sink.close();
                }
            } catch (Exception | Error e) {
                // what reached the target before the failure, for a decision on how to go on
                meter.finish();
                err.print("redkit: stopped after: " + sink.report().describe().replace("\n", "\nredkit:   ")
                        .replaceAll("redkit:   $", ""));
                throw e;
            }
            if (running == null && cmd.checkpoint != null && lastPosition != null && !lastPosition.equals(written)) {
                lastPosition.write(cmd.checkpoint);
            }
            meter.finish();
            TargetReport r = sink.report();
            summary(target, r, meter);
            if (r.uncertain() > 0) {
                err.println("redkit: " + r.uncertain() + " replicated command(s) lost their reply with a connection "
                        + "and were not sent again (not idempotent): the target may differ from the source there");
                hook.exitCode(ExitCodes.DATA);
                return ExitCodes.DATA;
            }
            return ExitCodes.OK;
        } catch (Exception | Error e) {
            meter.finish();
            hook.exitCode(ExitCodes.of(e));
            throw e;
        } finally {
            ctx.out().flush();
            err.flush();
            hook.close();
        }
    }

    private ReplicationPosition lastPosition;

    private ParameterException usage(String msg) {
        return new ParameterException(cmd.spec.commandLine(), msg);
    }

    private TargetUri withPassword(TargetUri t) throws IOException {
        if (t.password() != null) {
            return t;
        }
        if (cmd.toPasswordFile != null) {
            return t.withPassword(ConnectionMixin.firstLine(cmd.toPasswordFile));
        }
        String pw = System.getenv(TARGET_PASSWORD_ENV);
        return pw != null && !pw.isEmpty() ? t.withPassword(pw) : t;
    }

    private SslContext ssl(TargetUri t) throws IOException {
        boolean tlsOptions = cmd.toTlsCa != null || cmd.toTlsCert != null || cmd.toTlsKey != null || cmd.toTlsInsecure;
        if (!t.tls()) {
            if (tlsOptions) {
                throw usage("--to-tls-* options need a rediss:// or rediss-cluster:// target");
            }
            return null;
        }
        return ConnectionMixin.tls(ctx, "--to-tls-insecure", "target", cmd.toTlsCa, cmd.toTlsCert, cmd.toTlsKey,
                cmd.toTlsInsecure);
    }

    private void fromFile(RedisTargetSink target, MigrateCommand.Metered sink, MigrateCommand.Meter meter)
            throws IOException {
        String source = cmd.source;
        SourceOptions so = SourceOptions.defaults().withLimits(cmd.limits.limits())
                .withAllowFutureVersion(cmd.limits.allowFutureVersion()).withCaptureRawPayload(true);
        if (KvSources.isKv(source)) {
            try (EventSource s = KvSources.open(source, ctx.err())) {
                Pipeline.run(s, cmd.filter.filter(), sink);
            }
            return;
        }
        try (EventSource s = MigrateCommand.open(source, ctx, so, meter)) {
            run(s, cmd.filter.filter(), target, sink);
        }
    }

    /**
     * {@link Pipeline#run} for a source that captures raw payloads: a key the target writes from its raw payload alone
     * ({@link RedisTargetSink#rawPayloadOnly(boolean)}) is checked by the source without its value parts being made.
     */
    private static void run(EventSource s, KeyFilter filter, RedisTargetSink target, MigrateCommand.Metered sink)
            throws IOException {
        boolean all = filter.keepsAll();
        boolean skipping = false;
        boolean dropping = false;
        Event e;
        while ((e = s.next()) != null) {
            EventKind k = e.kind();
            if (skipping || dropping) {
                // a rejected key's events, or a kept key's parts the target does not need, up to its KeyEnd
                if (k != EventKind.KEY_END) {
                    continue;
                }
                boolean rejected = skipping;
                skipping = false;
                dropping = false;
                if (rejected) {
                    continue;
                }
            } else if (k == EventKind.KEY_START) {
                if (!all && !filter.test(((KeyStart) e).header())) {
                    s.skipValue();
                    skipping = true;
                    continue;
                }
                sink.accept(e);
                if (target.rawPayloadOnly(s.rawPayloadKept())) {
                    s.checkValue();
                    dropping = true;
                }
                continue;
            } else if (!all && k == EventKind.COMMAND && !filter.acceptsDb(((io.redkit.core.event.Command) e).db())) {
                continue;
            }
            sink.accept(e);
        }
    }

    private void fromMaster(RedisTargetSink target, MigrateCommand.Metered sink) throws Exception {
        ReplicaUri u = cmd.replica.uri(cmd.source, System.getenv());
        ReplicationPosition start = cmd.follow && cmd.checkpoint != null && Files.exists(cmd.checkpoint)
                ? ReplicationPosition.read(cmd.checkpoint) : null;
        ReplicationSource[] holder = new ReplicationSource[1];
        ReplicationSource.Builder b = cmd.replica.builder(u, ctx)
                .limits(cmd.limits.limits())
                .allowFutureVersion(cmd.limits.allowFutureVersion())
                .captureRawPayload(true)
                .snapshot(ReplicationSource.SnapshotMode.EMIT)
                .snapshotOnly(!cmd.follow)
                .notices(n -> ctx.err().println("redkit: " + n))
                .idle(() -> {
                    if (holder[0] != null && holder[0].streaming()) {
                        try {
                            checkpoint(target, holder[0], false);
                        } catch (IOException e) {
                            holder[0].stop();
                        }
                    }
                });
        if (start != null) {
            b.start(start);
        }
        ReplicationSource src = b.build();
        holder[0] = src;
        running = src;
        KeyFilter f = cmd.filter.filter();
        try (src) {
            Event e;
            boolean skipping = false;
            while ((e = src.next()) != null) {
                EventKind k = e.kind();
                if (k == EventKind.COMMAND) {
                    if (f.acceptsDb(((io.redkit.core.event.Command) e).db())) {
                        sink.accept(e);
                    }
                    checkpoint(target, src, false);
                    continue;
                }
                if (k == EventKind.KEY_START && !f.test(((KeyStart) e).header())) {
                    src.skipValue();
                    skipping = true;
                    continue;
                }
                if (skipping && k == EventKind.KEY_END) {
                    skipping = false;
                    continue;
                }
                if (!skipping) {
                    sink.accept(e);
                }
            }
            if (src.streaming() || !cmd.follow) {
                checkpoint(target, src, true);
            }
        } finally {
            running = null;
        }
    }

    /** Drains the target, then records the position: the checkpoint never runs ahead of what the target holds. */
    private void checkpoint(RedisTargetSink target, ReplicationSource src, boolean force) throws IOException {
        if (cmd.checkpoint == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastCheckpoint < TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MILLIS)) {
            return;
        }
        lastCheckpoint = now;
        ReplicationPosition p = src.position();
        if (p == null || !src.streaming() && !force) {
            return;
        }
        target.flush();
        lastPosition = p;
        if (!p.equals(written)) {
            p.write(cmd.checkpoint);
            written = p;
        }
    }

    private void summary(TargetUri target, TargetReport r, MigrateCommand.Meter meter) {
        PrintStream out = ctx.out();
        double secs = Math.max(1e-9, (System.nanoTime() - meter.start) / 1e9);
        out.printf(Locale.ROOT, "migrated %s into %s in %.2f s (%,.0f keys/s, %.1f MB/s sent)%n", cmd.source, target,
                secs, r.keys() / secs, r.bytes() / 1e6 / secs);
        for (String line : r.describe().split("\n")) {
            out.println("  " + line);
        }
    }
}
