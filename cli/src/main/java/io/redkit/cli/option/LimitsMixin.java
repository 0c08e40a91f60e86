package io.redkit.cli.option;

import io.redkit.core.Limits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Bounds on what the reader accepts from an input, and version leniency. */
public final class LimitsMixin {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--max-string-bytes", paramLabel = "N", converter = SizeConverter.class,
            description = "Largest string or packed blob accepted (default: 512m). Suffixes k, m, g.")
    Long maxStringBytes;

    @Option(names = "--max-elements", paramLabel = "N", converter = SizeConverter.class,
            description = "Most elements accepted in one collection (default: 4294967295).")
    Long maxElements;

    @Option(names = "--allow-future-version",
            description = "Read an RDB version newer than this redkit knows, on a best-effort basis.")
    boolean allowFutureVersion;

    /** The limits these options describe, starting from the defaults; an out-of-range value is a usage error. */
    public Limits limits() {
        Limits.Builder b = Limits.builder();
        try {
            if (maxStringBytes != null) {
                b.maxStringBytes(maxStringBytes);
            }
            if (maxElements != null) {
                b.maxElements(maxElements);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "Invalid limit: " + e.getMessage());
        }
        return b.build();
    }

    /** True with {@code --allow-future-version}. */
    public boolean allowFutureVersion() {
        return allowFutureVersion;
    }
}
