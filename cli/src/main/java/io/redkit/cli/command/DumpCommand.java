package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.OutputTarget;
import io.redkit.cli.io.PipelineRun;
import io.redkit.cli.option.Compat;
import io.redkit.cli.option.FilterMixin;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LimitsMixin;
import io.redkit.cli.option.OutputFormats;
import io.redkit.cli.option.OutputMixin;
import io.redkit.cli.option.ProgressMixin;
import io.redkit.cli.option.ReplicaMixin;
import io.redkit.cli.option.SourceMixin;
import io.redkit.formats.OutputFormat;
import io.redkit.formats.SinkOptions;
import io.redkit.formats.resp.RespSink;
import io.redkit.core.sink.Sink;
import io.redkit.rdb.writer.RdbWriter;
import io.redkit.replication.ReplicaUri;
import io.redkit.replication.ReplicationSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code redkit dump}: an RDB file (or stdin) through the key filters into one output format. */
@Command(name = "dump",
        sortOptions = false,
        description = {"Write the keys of an RDB file, or of a live master's snapshot (redis://...), in another format.",
                "The input may be compressed (recognised by content) or - for standard input. The output goes "
                        + "to standard output or, with -o, to a file that appears only when complete."})
public final class DumpCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    SourceMixin source;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "jsonl",
            converter = OutputFormats.class, completionCandidates = OutputFormats.class,
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Mixin
    OutputMixin output;

    @Mixin
    FilterMixin filter;

    @Option(names = "--sorted",
            description = "With -f jsonl or json: canonical order, keys by (db, key bytes) and set/hash/zset contents sorted.")
    boolean sorted;

    @Option(names = "--compat", paramLabel = "LAYOUT", converter = Compat.Converter.class,
            completionCandidates = Compat.Candidates.class,
            description = "With -f json: the layout of another tool (${COMPLETION-CANDIDATES}).")
    Compat compat;

    @Option(names = "--rdb-version", paramLabel = "N",
            description = "With -f rdb: the RDB version to write, 7 to 13 (default: 12, Redis 7.4; 13 is Redis 8.6).")
    Integer rdbVersion;

    @Option(names = "--skip-corrupt",
            description = "Skip empty collection keys like Redis's loader does, and on a corrupt input keep the "
                    + "output written up to the error (exit code 1 all the same).")
    boolean skipCorrupt;

    @Option(names = "--save-rdb", paramLabel = "FILE",
            description = "With a redis:// SOURCE: also keep the raw RDB payload of the full sync in FILE.")
    Path saveRdb;

    @Mixin
    ReplicaMixin replica;

    @Mixin
    LimitsMixin limits;

    @Mixin
    ProgressMixin progress;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public DumpCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        source.check(ctx);
        validate();
        SinkOptions options = sinkOptions();
        PipelineRun run = new PipelineRun(ctx)
                .source(source.source())
                .limits(limits.limits())
                .allowFutureVersion(limits.allowFutureVersion())
                // module and array values can only be written as RESTORE of their raw payload
                .captureRawPayload(format == OutputFormat.RESP)
                .skipEmptyKeys(skipCorrupt)
                .keepPartialOutput(skipCorrupt)
                .progress(!progress.disabled())
                .filter(filter.filter());
        ReplicationSource master = null;
        if (ReplicaUri.isUri(source.source())) {
            // one full sync from a live master, parsed as it streams (what redis-cli --rdb fetches)
            ReplicaUri u = replica.uri(source.source(), System.getenv());
            master = replica.builder(u, ctx)
                    .limits(limits.limits())
                    .allowFutureVersion(limits.allowFutureVersion())
                    .captureRawPayload(format == OutputFormat.RESP)
                    .snapshotOnly(true)
                    .saveRdb(saveRdb)
                    .build();
            run.source(u.toString()).eventSource(master);
        } else if (saveRdb != null) {
            throw new ParameterException(spec.commandLine(), "--save-rdb applies to a redis:// SOURCE only");
        }
        Sink[] made = new Sink[1];
        try (OutputTarget target = output.open(ctx.data())) {
            run.run(target, out -> made[0] = format.create(out, options));
        } finally {
            if (master != null) {
                master.close();
            }
        }
        if (made[0] instanceof RespSink resp && resp.skippedKeys() > 0) {
            ctx.err().println("redkit: warning: " + resp.skippedKeys() + " module or array key(s) too big to be "
                    + "written as RESTORE were left out of the resp output");
        }
        return ExitCodes.OK;
    }

    private void validate() {
        if (compat != null && format != OutputFormat.JSON) {
            throw new ParameterException(spec.commandLine(), "--compat applies to -f json only");
        }
        if (sorted && format != OutputFormat.JSONL && format != OutputFormat.JSON) {
            throw new ParameterException(spec.commandLine(), "--sorted applies to -f jsonl and -f json only");
        }
        if (rdbVersion != null && format != OutputFormat.RDB) {
            throw new ParameterException(spec.commandLine(), "--rdb-version applies to -f rdb only");
        }
        if (rdbVersion != null) {
            try {
                RdbWriter.Options.builder().version(rdbVersion).build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--rdb-version: " + e.getMessage());
            }
        }
        if (format == OutputFormat.RDB && output.isStdout() && ctx.outTerminal()) {
            throw new ParameterException(spec.commandLine(),
                    "refusing to write binary RDB data to a terminal: use -o FILE or a pipe");
        }
    }

    private SinkOptions sinkOptions() {
        SinkOptions.Builder b = SinkOptions.builder().sorted(sorted);
        if (compat != null) {
            b.compat(compat.id());
        }
        if (rdbVersion != null) {
            b.rdbVersion(rdbVersion);
        }
        return b.build();
    }
}
