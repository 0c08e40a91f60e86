package io.redkit.cli.command;

import io.redkit.aof.SourceOptions;
import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.CountingInputStream;
import io.redkit.cli.io.Progress;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LimitsMixin;
import io.redkit.cli.option.ProgressMixin;
import io.redkit.cli.option.SizeConverter;
import io.redkit.core.RedkitException;
import io.redkit.core.event.DataType;
import io.redkit.rdb.io.Inputs;
import io.redkit.verify.AofRepair;
import io.redkit.verify.Checks;
import io.redkit.verify.FileReport;
import io.redkit.verify.Problem;
import io.redkit.verify.ReportWriter;
import io.redkit.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code redkit verify}: checks backups (RDB, AOF, AOF directories, archives) and reports every problem. */
@Command(name = "verify",
        sortOptions = false,
        description = {"Check RDB files, AOF files, AOF directories and archives of them, and list every problem.",
                "Every value is decoded and every checksum compared. An AOF directory has its manifest, the presence "
                        + "of every listed file, its one base and each file checked, even after one fails. Archives "
                        + "(.tar, .tar.gz, .tgz, .zip) and compressed files are checked as they stream. Exit status: "
                        + "0 all valid, 1 something invalid or a check failed, 2 usage, 3 I/O error."})
public final class VerifyCommand implements Callable<Integer> {
    /** The values of {@code --report}. */
    public enum ReportFormat {
        /** One line per input and per problem, then a summary. */
        text,
        /** One JSON document. */
        json
    }

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "RDB file, AOF file, AOF directory or manifest, or archive; - for standard input.")
    List<String> paths;

    @Option(names = "--report", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report on standard output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ReportFormat report;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write a JUnit XML report to FILE: one test case per input, for CI dashboards.")
    Path junit;

    @Option(names = "--min-keys", paramLabel = "N", converter = SizeConverter.class,
            description = "Fail an input whose RDB data holds fewer than N keys (AOF commands are not replayed).")
    Long minKeys;

    @Option(names = "--max-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Fail an input older than DURATION (e.g. 90m, 26h, 7d, or ISO-8601 like PT1H), by its RDB "
                    + "ctime aux field or its newest AOF #TS: annotation.")
    Duration maxAge;

    @Option(names = "--expect-type", paramLabel = "TYPE", split = ",",
            description = "Fail an input without any key of TYPE (string, list, set, zset, hash, stream, array, "
                    + "module); repeatable.")
    List<String> expectTypes;

    @Option(names = "--max-key-bytes", paramLabel = "N", converter = SizeConverter.class,
            description = "Fail an input with a key name longer than N bytes.")
    Long maxKeyBytes;

    @Option(names = "--fix",
            description = "Write a repaired copy of an AOF whose last command is truncated (like redis-check-aof "
                    + "--fix), then verify the copy.")
    boolean fix;

    @Option(names = "--in-place", description = "With --fix: repair the AOF itself, keeping the cut file as FILE.bak.")
    boolean inPlace;

    @Option(names = "--truncate-to-timestamp", paramLabel = "T", converter = TimestampConverter.class,
            description = "Write a copy of a timestamped AOF holding only the commands up to T (unix seconds or "
                    + "ISO-8601 instant): a point-in-time restore.")
    Long truncateTo;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH",
            description = "Where --fix or --truncate-to-timestamp write the copy (default: PATH.fixed or PATH.at-T); "
                    + "it must not exist.")
    Path output;

    @Mixin
    LimitsMixin limits;

    @Mixin
    ProgressMixin progress;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public VerifyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Checks checks = checks();
        boolean repair = fix || truncateTo != null;
        if (fix && truncateTo != null) {
            throw usage("--fix and --truncate-to-timestamp cannot be combined");
        }
        if (inPlace && !fix) {
            throw usage("--in-place needs --fix (--truncate-to-timestamp always writes a copy)");
        }
        if (output != null && (!repair || inPlace)) {
            throw usage("--output only names the copy written by --fix or --truncate-to-timestamp");
        }
        if (repair && paths.size() != 1) {
            throw usage("--fix and --truncate-to-timestamp take exactly one PATH");
        }
        for (String p : paths) {
            if (Inputs.isStdin(p)) {
                if (repair) {
                    throw usage("a repair needs a file or directory, not standard input");
                }
                if (ctx.inTerminal()) {
                    throw usage("PATH is - but standard input is a terminal: give a file, or pipe the data in");
                }
            }
        }
        SourceOptions options = SourceOptions.defaults().withLimits(limits.limits())
                .withAllowFutureVersion(limits.allowFutureVersion());
        List<String> toVerify = paths;
        if (repair) {
            Path written = repair(Path.of(paths.get(0)), options);
            if (written != null) {
                toVerify = List.of(written.toString());
            }
        }
        long start = System.nanoTime();
        List<FileReport> reports = verifyAll(toVerify, options, checks);
        double seconds = (System.nanoTime() - start) / 1e9;
        writeReports(reports, seconds);
        boolean io = reports.stream().anyMatch(FileReport::hasIoProblem);
        if (io) {
            return ExitCodes.IO;
        }
        if (reports.stream().flatMap(r -> r.problems().stream()).anyMatch(p -> p.kind().equals(Problem.INTERNAL))) {
            // a reader failed in a way no input should cause: a bug, whatever else was found
            return ExitCodes.INTERNAL;
        }
        return reports.stream().allMatch(FileReport::valid) ? ExitCodes.OK : ExitCodes.DATA;
    }

    private List<FileReport> verifyAll(List<String> inputs, SourceOptions options, Checks checks) {
        Progress bar = !progress.disabled() && ctx.errTerminal() ? new Progress(ctx.err(), totalSize(inputs)) : null;
        Verifier v = bar == null ? new Verifier(options) : new Verifier(options, raw -> new CountingInputStream(raw, bar));
        Instant now = Instant.now();
        List<FileReport> reports = new ArrayList<>();
        try {
            for (String p : inputs) {
                for (FileReport r : Inputs.isStdin(p) ? v.verifyStream(ctx.in(), Inputs.STDIN_NAME, null)
                        : v.verify(p)) {
                    reports.add(checks.check(r, now));
                }
            }
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        return reports;
    }

    /** Runs the repair; returns what to verify instead of the input, or null to verify the input. */
    private Path repair(Path input, SourceOptions options) throws IOException {
        try {
            AofRepair.Outcome o;
            if (truncateTo != null) {
                Path out = output != null ? output : sibling(input, ".at-" + truncateTo);
                o = AofRepair.truncateToTimestamp(input, out, truncateTo, options);
                if (!o.changed()) {
                    ctx.err().println("redkit: no command after " + Instant.ofEpochSecond(truncateTo)
                            + ": nothing to cut, no copy written");
                    return null;
                }
                ctx.err().println("redkit: cut " + o.file() + " at offset " + o.cutOffset() + " (" + o.bytesDropped()
                        + " bytes dropped" + (o.filesDropped().isEmpty() ? "" : ", files left out: " + o.filesDropped())
                        + "), " + o.commandsKept() + " commands kept; copy in " + o.written());
                return o.written();
            }
            if (inPlace) {
                o = AofRepair.fixInPlace(input, options);
            } else {
                o = AofRepair.fix(input, output != null ? output : sibling(input, ".fixed"), options);
            }
            if (!o.changed()) {
                ctx.err().println("redkit: " + input + " has no truncated command: nothing to fix");
                return null;
            }
            ctx.err().println("redkit: cut " + o.file() + " at offset " + o.cutOffset() + " (" + o.bytesDropped()
                    + " bytes of an incomplete command dropped), " + o.commandsKept() + " commands kept; "
                    + (o.backup() != null ? "repaired in place, backup in " + o.backup() : "repaired copy in " + o.written()));
            return o.written();
        } catch (RedkitException e) {
            // not repairable: the report below lists what is wrong
            ctx.err().println("redkit: cannot repair: " + e.getMessage());
            return null;
        }
    }

    private static Path sibling(Path input, String suffix) {
        Path abs = input.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + suffix);
    }

    private void writeReports(List<FileReport> reports, double seconds) throws IOException {
        Writer w = new OutputStreamWriter(ctx.data(), StandardCharsets.UTF_8);
        if (report == ReportFormat.json) {
            ReportWriter.json(reports, w);
        } else {
            ReportWriter.text(reports, w);
        }
        w.flush();
        if (junit != null) {
            StringBuilder xml = new StringBuilder();
            ReportWriter.junit(reports, "redkit verify", seconds, xml);
            Path tmp = junit.toAbsolutePath().resolveSibling(junit.getFileName() + ".tmp-redkit");
            Files.writeString(tmp, xml, StandardCharsets.UTF_8);
            Files.move(tmp, junit, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Checks checks() {
        Set<DataType> types = EnumSet.noneOf(DataType.class);
        if (expectTypes != null) {
            for (String t : expectTypes) {
                DataType d = DataType.fromId(t.trim());
                if (d == null) {
                    throw usage("--expect-type: unknown type '" + t + "' (expected string, list, set, zset, hash, "
                            + "stream, array or module)");
                }
                types.add(d);
            }
        }
        return new Checks(minKeys == null ? -1 : minKeys, maxAge, types, maxKeyBytes == null ? -1 : maxKeyBytes);
    }

    private static long totalSize(List<String> inputs) {
        long total = 0;
        for (String p : inputs) {
            long s = sizeOf(p);
            if (s < 0) {
                return -1;
            }
            total += s;
        }
        return total;
    }

    private static long sizeOf(String p) {
        if (!Inputs.isStdin(p) && Files.isDirectory(Path.of(p))) {
            try (Stream<Path> s = Files.walk(Path.of(p))) {
                return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            } catch (IOException | RuntimeException e) {
                // the size only feeds the progress bar
                return -1;
            }
        }
        return Inputs.size(p);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code 90s}, {@code 15m}, {@code 26h}, {@code 7d}, {@code 2w}, or ISO-8601 ({@code PT1H}, {@code P1D}). */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            try {
                if (v.length() > 1 && (v.charAt(0) == 'P' || v.charAt(0) == 'p')) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                char unit = Character.toLowerCase(v.charAt(v.length() - 1));
                long n = Long.parseLong(Character.isDigit(unit) ? v : v.substring(0, v.length() - 1));
                if (n < 0) {
                    throw new TypeConversionException("'" + value + "' is negative");
                }
                switch (unit) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    case 'w': return Duration.ofDays(Math.multiplyExact(n, 7));
                    default:
                        if (Character.isDigit(unit)) {
                            return Duration.ofSeconds(n);
                        }
                        throw new TypeConversionException("'" + value + "': unknown unit '" + unit + "' (s, m, h, d, w)");
                }
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException | StringIndexOutOfBoundsException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (e.g. 90m, 26h, 7d, PT1H)");
            }
        }
    }

    /** Unix seconds, or an ISO-8601 instant such as {@code 2026-11-25T16:00:00Z}. */
    public static final class TimestampConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            try {
                if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                    return Long.parseLong(v);
                }
                return Instant.parse(v).getEpochSecond();
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not unix seconds or an ISO-8601 instant");
            }
        }
    }
}
