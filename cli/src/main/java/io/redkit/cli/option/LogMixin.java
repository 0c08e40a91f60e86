package io.redkit.cli.option;

import io.redkit.cli.log.Log;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Diagnostics options of the long-running commands (tail, migrate, kv serve): how much is said on
 * standard error and in which form. Quiet by default: warnings and a few notices a run.
 */
public final class LogMixin {
    @Option(names = {"-v", "--verbose"},
            description = "Say more on standard error: -v adds details of the run, -vv debugging detail.")
    boolean[] verbose = new boolean[0];

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Diagnostics as text lines or JSON lines (ts, level, msg, fields): ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE}).")
    Log.Format format = Log.Format.text;

    /** The least severe level these options ask for: notice, then info (-v), then debug (-vv). */
    public Log.Level threshold() {
        int v = Math.min(verbose.length, 2);
        return Log.Level.values()[Log.Level.NOTICE.ordinal() + v];
    }

    /** The chosen format. */
    public Log.Format format() {
        return format;
    }

    /** The log of a command writing to {@code err}, its text lines starting with {@code name}. */
    public Log log(PrintStream err, String name) {
        return new Log(err, name, threshold(), format, Clock.systemUTC());
    }

    /**
     * The receiver of a replication source's one-line notices: a lost connection (retried) is a
     * warning, the rest (full resync, new replication id, sentinel switch) notices.
     */
    public static Consumer<String> replicationNotices(Log log) {
        return m -> log.log(m.startsWith("connection lost") ? Log.Level.WARN : Log.Level.NOTICE, m);
    }
}
