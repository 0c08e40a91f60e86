package io.redkit.cli.option;

import picocli.CommandLine.Option;

/** Options every command takes. */
public final class GlobalMixin {
    /** Print the stack trace of a failure; read by {@link io.redkit.cli.ExitCodes} from the parse result. */
    @Option(names = "--stacktrace", description = "Print the full stack trace of an error.")
    boolean stacktrace;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
