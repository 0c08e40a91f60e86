package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.OutputTarget;
import io.redkit.cli.io.PipelineRun;
import io.redkit.cli.option.FilterMixin;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LimitsMixin;
import io.redkit.cli.option.OutputMixin;
import io.redkit.cli.option.ProgressMixin;
import io.redkit.cli.option.SourceMixin;
import io.redkit.formats.SinkOptions;
import io.redkit.formats.html.HtmlReportSink;
import io.redkit.formats.inspect.InspectSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code redkit inspect}: a summary report of an RDB file, as aligned text, JSON or an HTML page. */
@Command(name = "inspect",
        sortOptions = false,
        description = {"Print a summary report of an RDB file.",
                "Header and AUX fields, keys per database, type and encoding, TTLs, the biggest keys, memory per "
                        + "key prefix, functions and the checksum status. The input may be compressed (recognised by "
                        + "content) or - for standard input. --html FILE writes the report as one self-contained "
                        + "HTML page with charts (no network access needed to view it)."})
public final class InspectCommand implements Callable<Integer> {
    /** The values of {@code inspect --format}. */
    public enum ReportFormat {
        /** Aligned text for people. */
        text,
        /** One JSON document for scripts. */
        json,
        /** One self-contained HTML page with SVG charts, for people with a browser. */
        html
    }

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    SourceMixin source;

    @Option(names = "--top", paramLabel = "N", defaultValue = "" + SinkOptions.DEFAULT_TOP_N,
            description = "How many of the biggest keys to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write the report as a self-contained HTML page to FILE: the same as --format html -o FILE.")
    String html;

    @Option(names = "--prefix-delimiters", paramLabel = "CHARS", defaultValue = ":",
            description = "Characters that end a key prefix for the per-prefix table (default: '${DEFAULT-VALUE}'); "
                    + "empty turns prefixes off.")
    String delimiters;

    @Mixin
    OutputMixin output;

    @Mixin
    FilterMixin filter;

    @Mixin
    LimitsMixin limits;

    @Mixin
    ProgressMixin progress;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public InspectCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        source.check(ctx);
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1");
        }
        ReportFormat f = format;
        String path = output.output();
        if (html != null) {
            if (!output.isStdout()) {
                throw new ParameterException(spec.commandLine(), "--html names the output file: give --html or -o, not both");
            }
            if (format != ReportFormat.text && format != ReportFormat.html) {
                throw new ParameterException(spec.commandLine(), "--html writes HTML: --format " + format + " contradicts it");
            }
            f = ReportFormat.html;
            path = html;
        }
        SinkOptions options = SinkOptions.builder()
                .topN(top)
                .jsonReport(f == ReportFormat.json)
                .prefixDelimiters(delimiters)
                .build();
        PipelineRun run = new PipelineRun(ctx)
                .source(source.source())
                .limits(limits.limits())
                .allowFutureVersion(limits.allowFutureVersion())
                .progress(!progress.disabled())
                .filter(filter.filter());
        boolean asHtml = f == ReportFormat.html;
        try (OutputTarget target = "-".equals(path) ? OutputTarget.stdout(ctx.data())
                : OutputTarget.file(Path.of(path), output.force())) {
            run.run(target, out -> asHtml ? new HtmlReportSink(out, options) : new InspectSink(out, options));
        }
        return ExitCodes.OK;
    }
}
