package io.redkit.cli.command;

import io.redkit.aof.SourceOptions;
import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.OutputFailure;
import io.redkit.cli.io.Progress;
import io.redkit.cli.option.ConnectionMixin;
import io.redkit.cli.option.FilterMixin;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LimitsMixin;
import io.redkit.cli.option.ProgressMixin;
import io.redkit.cli.option.SizeConverter;
import io.redkit.diff.DiffListener;
import io.redkit.diff.DiffOptions;
import io.redkit.diff.DiffResult;
import io.redkit.diff.Differ;
import io.redkit.diff.ReportWriter;
import io.redkit.live.scan.ScanOptions;
import io.redkit.live.scan.ScanSource;
import io.redkit.rdb.io.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code redkit diff A B}: compares two datasets key by key; exit 0 when they hold the same data, 1 when not. */
@Command(name = "diff",
        sortOptions = false,
        description = {"Compare two datasets key by key: keys missing from B, extra in B, of another type, "
                + "with another value or TTL.",
                "A and B are each an RDB file, an AOF file, an append-only directory or its manifest, in any mix, "
                        + "recognised by content (files may be compressed). An AOF is replayed into the bundled KV "
                        + "engine and its resulting data compared. A side may also be a live server, redis://HOST:PORT[/DB] "
                        + "or rediss://..., or a cluster, redis-cluster://HOST:PORT[,HOST:PORT...], read by SCAN and "
                        + "DUMP. Prints a summary and the first differences, the "
                        + "value differences explained element by element. Exit code 0 when the datasets are the "
                        + "same, 1 when they differ."})
public final class DiffCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The first dataset (the reference): a path, "
            + "redis://, rediss:// or redis-cluster://.")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "The second dataset, compared with A.")
    String b;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: text or jsonl (a summary line, then one line per difference; "
                    + "default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--ttl-tolerance", paramLabel = "MS", defaultValue = "0",
            description = "Expiry times that differ by at most this many milliseconds count as equal "
                    + "(default: ${DEFAULT-VALUE}).")
    long ttlTolerance;

    @Option(names = "--memory-budget", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "64m",
            description = "Heap for the per-key digests of both sides; beyond it sorted runs are spilled to "
                    + "temporary files (default: ${DEFAULT-VALUE}). An AOF's replay needs memory for its data "
                    + "on top.")
    long memoryBudget;

    @Option(names = "--max-diffs", paramLabel = "N", defaultValue = "10",
            description = "Differing keys listed; all are counted (default: ${DEFAULT-VALUE}).")
    int maxDiffs;

    @Option(names = "--max-details", paramLabel = "N", defaultValue = "10",
            description = "Element differences (members, fields, indexes...) listed per key (default: ${DEFAULT-VALUE}).")
    int maxDetails;

    @Option(names = "--temp-dir", paramLabel = "DIR",
            description = "Where spilled runs go (default: the system temporary directory).")
    Path tempDir;

    @Option(names = "--scan-batch", paramLabel = "N", defaultValue = "100",
            description = "Live sides: keys per SCAN, their DUMPs sent as one pipeline (default: ${DEFAULT-VALUE}).")
    int scanBatch;

    @Mixin
    ConnectionMixin connection;

    @Mixin
    FilterMixin filter;

    @Mixin
    LimitsMixin limits;

    @Mixin
    ProgressMixin progress;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public DiffCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        ReportWriter.Format fmt = validate();
        List<String> warnings = new ArrayList<>();
        Bar bar = new Bar(!progress.disabled() && ctx.errTerminal(), warnings);
        DiffOptions options = DiffOptions.defaults()
                .withSources(SourceOptions.defaults().withLimits(limits.limits())
                        .withAllowFutureVersion(limits.allowFutureVersion()))
                .withFilter(filter.filter())
                .withMemoryBudget(memoryBudget)
                .withTtlTolerance(ttlTolerance)
                .withMaxDiffs(maxDiffs)
                .withMaxDetails(maxDetails)
                .withTempDir(tempDir)
                .withListener(bar);
        DiffResult result;
        LiveSide liveA = null;
        LiveSide liveB = null;
        // Ctrl-C: leave a clean line behind the bar (spilled runs are removed by the JVM's exit)
        Thread hook = new Thread(bar::done, "redkit-diff-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            liveA = ScanSource.isLive(a) ? LiveSide.scan(a, scanOptions(), tempDir, warnings) : null;
            liveB = ScanSource.isLive(b) ? LiveSide.scan(b, scanOptions(), tempDir, warnings) : null;
            result = Differ.run(liveA != null ? liveA.file.toString() : a,
                    liveB != null ? liveB.file.toString() : b, options);
            result = new DiffResult(side(result.a(), a, liveA), side(result.b(), b, liveB), result.same(),
                    result.missing(), result.extra(), result.type(), result.value(), result.ttl(), result.different(),
                    result.differences(), result.spilledRuns());
        } finally {
            if (liveA != null) {
                Files.deleteIfExists(liveA.file);
            }
            if (liveB != null) {
                Files.deleteIfExists(liveB.file);
            }
            bar.done();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // the hook is running or has run
            }
        }
        for (String w : warnings) {
            ctx.err().println("redkit: warning: " + w);
        }
        ctx.err().flush();
        Writer out = new OutputStreamWriter(ctx.data(), StandardCharsets.UTF_8);
        try {
            ReportWriter.write(result, fmt, out);
        } catch (IOException e) {
            throw new OutputFailure("standard output", e);
        }
        return result.isSame() ? ExitCodes.OK : ExitCodes.DATA;
    }

    private ReportWriter.Format validate() {
        ReportWriter.Format fmt;
        switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> fmt = ReportWriter.Format.TEXT;
            case "jsonl" -> fmt = ReportWriter.Format.JSONL;
            default -> throw usage("--format: '" + format + "' is not one of text, jsonl");
        }
        if (scanBatch < 1 || scanBatch > 100_000) {
            throw usage("--scan-batch must be within 1..100000");
        }
        if (connection.connectTimeoutSeconds() < 0 || connection.readTimeoutSeconds() < 0) {
            throw usage("--connect-timeout and --read-timeout must not be negative");
        }
        if (connection.tlsOptions() && !a.startsWith("rediss://") && !b.startsWith("rediss://")) {
            throw usage("--tls-* options need a rediss:// side");
        }
        for (String side : new String[] {a, b}) {
            if (side.startsWith(ScanSource.CLUSTER_SCHEME) || side.startsWith("redis://") || side.startsWith("rediss://")) {
                try {
                    ScanSource.parse(side);
                } catch (IllegalArgumentException e) {
                    throw usage("bad address '" + side + "': " + e.getMessage());
                }
            }
        }
        if (Inputs.isStdin(a) || Inputs.isStdin(b)) {
            throw usage("diff reads files and directories, not standard input: give A and B as paths");
        }
        if (ttlTolerance < 0) {
            throw usage("--ttl-tolerance must not be negative");
        }
        if (maxDiffs < 0 || maxDetails < 0) {
            throw usage("--max-diffs and --max-details must not be negative");
        }
        if (tempDir != null && !Files.isDirectory(tempDir)) {
            throw usage("--temp-dir: " + tempDir + " is not a directory");
        }
        return fmt;
    }

    /** How live sides are read: batch, limits, timeouts, password (file or environment) and TLS. */
    private ScanOptions scanOptions() throws IOException {
        ScanOptions o = ScanOptions.defaults().withBatch(scanBatch).withLimits(limits.limits())
                .withTimeouts(Math.multiplyExact(connection.connectTimeoutSeconds(), 1000),
                        Math.multiplyExact(connection.readTimeoutSeconds(), 1000));
        String pw = connection.password(System.getenv());
        if (pw != null) {
            // the address's own password still wins: only a missing one is filled in
            o = o.withCredentials(null, pw);
        }
        if (connection.tlsOptions()) {
            o = o.withTls(ScanOptions.socketFactory(connection.tls(ctx, "server")));
        }
        return o;
    }

    /** A side of the report: the address as given and what was scanned, or the file's own side as it is. */
    private static DiffResult.Side side(DiffResult.Side s, String given, LiveSide live) {
        return live == null ? s : new DiffResult.Side(given, live.description, s.keys());
    }

    /**
     * A live side copied into a temporary RDB file by one SCAN pass, so that both passes of the comparison read the
     * same data (a live server changes between passes) and the server is read only once.
     */
    private static final class LiveSide {
        final Path file;
        final String description;

        private LiveSide(Path file, String description) {
            this.file = file;
            this.description = description;
        }

        static LiveSide scan(String address, ScanOptions o, Path tempDir, List<String> warnings) throws IOException {
            Path file = tempDir != null ? Files.createTempFile(tempDir, "redkit-scan-", ".rdb")
                    : Files.createTempFile("redkit-scan-", ".rdb");
            file.toFile().deleteOnExit();
            try (ScanSource src = ScanSource.open(address, o);
                 OutputStream out = Files.newOutputStream(file)) {
                src.copyTo(out, tempDir);
                if (src.vanished() > 0) {
                    warnings.add(src.name() + ": " + src.vanished() + " key(s) were deleted or expired during the scan");
                }
                if (src.moved() > 0) {
                    warnings.add(src.name() + ": " + src.moved() + " key(s) moved to another master during the "
                            + "scan and may be missing");
                }
                return new LiveSide(file, src.description());
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * The progress bar of each phase (both sides' first pass together, then the second pass), on a terminal
     * only; collects warnings. Synchronized: the first pass feeds it from two threads.
     */
    private final class Bar implements DiffListener {
        private final boolean enabled;
        private final List<String> warnings;
        private Progress current;

        Bar(boolean enabled, List<String> warnings) {
            this.enabled = enabled;
            this.warnings = warnings;
        }

        @Override
        public synchronized void start(String phase, long totalBytes) {
            done();
            if (enabled) {
                current = new Progress(ctx.err(), totalBytes);
            }
        }

        @Override
        public synchronized void bytes(long n) {
            if (current != null) {
                current.addBytes(n);
            }
        }

        @Override
        public synchronized void key() {
            if (current != null) {
                current.addKey();
            }
        }

        @Override
        public synchronized void end() {
            done();
        }

        @Override
        public synchronized void warning(String message) {
            warnings.add(message);
        }

        synchronized void done() {
            if (current != null) {
                current.finish();
                current = null;
            }
        }
    }
}
