package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.OutputFailure;
import io.redkit.cli.io.TailSink;
import io.redkit.cli.log.Log;
import io.redkit.cli.option.FilterMixin;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LimitsMixin;
import io.redkit.cli.option.LogMixin;
import io.redkit.cli.option.ReplicaMixin;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Event;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.core.sink.Sink;
import io.redkit.replication.ReplicaUri;
import io.redkit.replication.ReplicationPosition;
import io.redkit.replication.ReplicationSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code redkit tail URI}: connects to a master as a replica and prints its writes as they happen,
 * surviving reconnects and failovers; with {@code --checkpoint} a restart resumes where the output
 * stopped.
 */
@Command(name = "tail",
        sortOptions = false,
        description = {"Follow a Redis master as a replica and print every write as it happens.",
                "URI is redis://[user[:password]@]host[:port][/db], rediss://... (TLS) or "
                        + "redis-sentinel://host:port[,host:port]/NAME. The initial "
                        + "snapshot (full resync) is printed as keys unless --snapshot skip; then each command "
                        + "with its replication offset. A lost connection is resumed with a partial resync. "
                        + "Ctrl-C or SIGTERM stop cleanly: output flushed, checkpoint written, exit 0."})
public final class TailCommand implements Callable<Integer> {
    /** How often, at most, output is flushed and the checkpoint rewritten while commands stream in. */
    static final long CHECKPOINT_MILLIS = 100;

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "The master: redis://..., rediss://... or redis-sentinel://.../NAME")
    String uri;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "Output format: text (MONITOR-like lines), jsonl, resp (default: ${DEFAULT-VALUE}).")
    TailSink.Format format;

    @Option(names = "--snapshot", paramLabel = "MODE", defaultValue = "emit", converter = SnapshotConverter.class,
            description = "emit: print the keys of a full resync; skip: only commands (default: ${DEFAULT-VALUE}).")
    ReplicationSource.SnapshotMode snapshot;

    @Mixin
    FilterMixin filter;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Resume from the replication id, offset and db in FILE, and rewrite it (atomically) "
                    + "after each flushed batch of output.")
    Path checkpoint;

    @Option(names = "--from", paramLabel = "ID:OFFSET",
            description = "Start with PSYNC ID OFFSET+1 (OFFSET = the last offset already seen; :DB may follow).")
    String from;

    @Mixin
    ReplicaMixin replica;

    @Mixin
    LimitsMixin limits;

    @Mixin
    LogMixin logging;

    @Mixin
    GlobalMixin global;

    private Log log;

    private ReplicationSource source;
    private TailSink sink;
    private ReplicationPosition written;
    private long lastCheckpointNanos;
    private long lastStatusNanos;

    /** Created by the command factory with the streams of the run. */
    public TailCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        log = logging.log(ctx.err(), "redkit");
        ReplicaUri u = replica.uri(uri, System.getenv());
        ReplicationPosition start = startPosition();
        KeyFilter keys = filter.filter();
        if (u.db() >= 0 && keys.keepsAll()) {
            keys = KeyFilter.builder().dbs(Set.of(u.db())).build();
        }
        sink = new TailSink(ctx.data(), format);
        source = replica.builder(u, ctx)
                .limits(limits.limits())
                .allowFutureVersion(limits.allowFutureVersion())
                .captureRawPayload(format == TailSink.Format.RESP)
                .snapshot(snapshot)
                .start(start)
                .notices(LogMixin.replicationNotices(log))
                .idle(this::idle)
                .build();
        log.info("replicating", "master", u.toString(), "from", start == null ? null : start.toString());
        // a signal is the normal way to end a tail: the hook exits with the run's own code, not 128+signal
        try (StopHook stop = new StopHook(true, () -> source)) {
            try {
                Pipeline.run(source, keys, new Guard(sink, this::afterEvent));
                finish();
                return ExitCodes.OK;
            } catch (IOException | RuntimeException e) {
                stop.exitCode(ExitCodes.of(e));
                try {
                    // whatever was printed is kept and accounted for
                    finish();
                } catch (IOException | RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            } finally {
                source.close();
            }
        }
    }

    private ReplicationPosition startPosition() throws IOException {
        if (from != null) {
            try {
                return ReplicationPosition.parse(from);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--from: " + e.getMessage());
            }
        }
        return checkpoint == null ? null : ReplicationPosition.read(checkpoint);
    }

    /**
     * After each event written: under a steady stream the source is never idle, so the output is
     * also flushed and the checkpoint written here, at the same rate. The position is the one of
     * the event just written.
     */
    private void afterEvent(Event e) throws IOException {
        if (e.kind() == io.redkit.core.event.EventKind.COMMAND) {
            long now = System.nanoTime();
            if (now - lastCheckpointNanos >= TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MILLIS)) {
                lastCheckpointNanos = now;
                flushAndCheckpoint();
            }
        }
    }

    /** On the reading thread whenever the master has nothing more for now. */
    private void idle() {
        long now = System.nanoTime();
        if (now - lastCheckpointNanos >= TimeUnit.MILLISECONDS.toNanos(CHECKPOINT_MILLIS)) {
            lastCheckpointNanos = now;
            try {
                flushAndCheckpoint();
            } catch (IOException e) {
                // surfaced by the next write or by the final flush; stop reading now
                source.stop();
            }
        }
        // a status line redrawn with \r only makes sense for text on a terminal
        if (ctx.errTerminal() && logging.format() == Log.Format.text && now - lastStatusNanos >= TimeUnit.SECONDS.toNanos(1)) {
            lastStatusNanos = now;
            ctx.err().print("\rredkit: offset " + source.offset() + ", " + sink.commands() + " commands, "
                    + sink.keys() + " snapshot keys, " + source.reconnects() + " reconnects ");
            ctx.err().flush();
        }
    }

    private void flushAndCheckpoint() throws IOException {
        if (sink.inSnapshot() && !source.streaming()) {
            // a snapshot's sink writes until its end: nothing complete to account for yet
            return;
        }
        sink.endSnapshot();
        sink.flush();
        ReplicationPosition p = source.position();
        if (checkpoint != null && p != null && !p.equals(written)) {
            p.write(checkpoint);
            written = p;
            log.debug("checkpoint written", "position", p.toString());
        }
    }

    private void finish() throws IOException {
        sink.close();
        ReplicationPosition p = source.position();
        // the position only moves when a snapshot is complete or a command processed: always a safe resume point
        if (checkpoint != null && p != null && !p.equals(written)) {
            p.write(checkpoint);
            written = p;
        }
        if (ctx.errTerminal() && logging.format() == Log.Format.text) {
            ctx.err().println();
        }
        log.info("stopped", "offset", source.offset(), "commands", sink.commands(), "reconnects", source.reconnects());
    }

    /** What runs after each event reached the output. */
    @FunctionalInterface
    private interface AfterEvent {
        void run(Event e) throws IOException;
    }

    /** Output failures are reported as such (exit 3), not as bad input. */
    private static final class Guard implements Sink {
        private final Sink sink;
        private final AfterEvent after;

        Guard(Sink sink, AfterEvent after) {
            this.sink = sink;
            this.after = after;
        }

        @Override
        public void accept(Event event) throws IOException {
            try {
                sink.accept(event);
                after.run(event);
            } catch (RedkitException e) {
                throw e;
            } catch (IOException e) {
                throw new OutputFailure("standard output", e);
            }
        }
    }

    /** Parses the format case-insensitively. */
    static final class FormatConverter implements ITypeConverter<TailSink.Format> {
        @Override
        public TailSink.Format convert(String value) {
            try {
                return TailSink.Format.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected text, jsonl or resp, found '" + value + "'");
            }
        }
    }

    /** Parses the snapshot mode case-insensitively. */
    static final class SnapshotConverter implements ITypeConverter<ReplicationSource.SnapshotMode> {
        @Override
        public ReplicationSource.SnapshotMode convert(String value) {
            try {
                return ReplicationSource.SnapshotMode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected emit or skip, found '" + value + "'");
            }
        }
    }
}
