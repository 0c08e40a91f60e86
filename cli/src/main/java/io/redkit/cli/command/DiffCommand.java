package io.redkit.cli.command;

import io.redkit.aof.SourceOptions;
import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.OutputFailure;
import io.redkit.cli.io.Progress;
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
import io.redkit.rdb.io.Inputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
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
                        + "engine and its resulting data compared. Prints a summary and the first differences, the "
                        + "value differences explained element by element. Exit code 0 when the datasets are the "
                        + "same, 1 when they differ."})
public final class DiffCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The first dataset (the reference).")
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
        // Ctrl-C: leave a clean line behind the bar (spilled runs are removed by the JVM's exit)
        Thread hook = new Thread(bar::done, "redkit-diff-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            result = Differ.run(a, b, options);
        } finally {
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
