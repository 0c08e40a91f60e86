package io.redkit.cli;

import io.redkit.core.RedkitException;
import io.redkit.cli.io.OutputFailure;
import io.redkit.cli.log.Log;
import io.redkit.cli.option.LogMixin;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileAlreadyExistsException;

/**
 * The exit codes of every command and the one place that maps an exception to a code and a
 * message: input errors are one line on stderr, stack traces only with {@code --stacktrace}.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The input is invalid (a {@link RedkitException}), or compared inputs differ. */
    public static final int DATA = 1;
    /** The command line is wrong: unknown option, missing argument, bad value, output exists without --force. */
    public static final int USAGE = 2;
    /** A file could not be opened, read or written, or a connection failed. */
    public static final int IO = 3;
    /** A bug in redkit: an unexpected exception (its stack trace is always printed). */
    public static final int INTERNAL = 4;

    private ExitCodes() {
    }

    /** The exit code for a failure, following the table above. */
    public static int of(Throwable t) {
        if (t instanceof CommandLine.ParameterException || t instanceof FileAlreadyExistsException) {
            // an existing output file is a command-line matter: --force decides
            return USAGE;
        }
        if (t instanceof OutputFailure) {
            return IO;
        }
        if (t instanceof RedkitException) {
            return DATA;
        }
        if (t instanceof IOException) {
            return IO;
        }
        return INTERNAL;
    }

    /**
     * Reports a failure on {@code err} and returns its exit code. Expected failures print one
     * line ({@code redkit: message}); the trace follows with {@code --stacktrace} or for bugs.
     */
    public static int report(Throwable t, PrintStream err, boolean stacktrace) {
        int code = of(t);
        if (t instanceof OutputFailure && ((OutputFailure) t).isQuiet() && !stacktrace) {
            // the reader of our output went away (e.g. `| head`), or a signal ends the run
            return code;
        }
        if (code == INTERNAL) {
            err.println("redkit: internal error: " + t);
        } else {
            err.println("redkit: " + message(t));
        }
        if (stacktrace || code == INTERNAL) {
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isEmpty() ? t.getClass().getSimpleName() : m;
    }

    /**
     * picocli hook: maps what a command threw, honouring {@code --stacktrace} on any level of the command line.
     * A command run with {@code --log-format json} gets its failure as one more JSON line.
     */
    static CommandLine.IExecutionExceptionHandler handler(PrintStream err) {
        return (ex, cl, parseResult) -> {
            Log json = jsonLog(cl, err);
            return json != null ? report(ex, json, err, stacktraceRequested(parseResult))
                    : report(ex, err, stacktraceRequested(parseResult));
        };
    }

    /** The failure as a JSON line ({@code level} error, fields {@code exit} and, when asked for, {@code stacktrace}). */
    static int report(Throwable t, Log log, PrintStream err, boolean stacktrace) {
        int code = of(t);
        if (t instanceof OutputFailure && ((OutputFailure) t).isQuiet() && !stacktrace) {
            return code;
        }
        String msg = code == INTERNAL ? "internal error: " + t : message(t);
        if (stacktrace || code == INTERNAL) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            log.error(msg, "exit", code, "stacktrace", trace.toString());
        } else {
            log.error(msg, "exit", code);
        }
        return code;
    }

    /** The log of a command whose {@code --log-format} is json, or null. */
    private static Log jsonLog(CommandLine cl, PrintStream err) {
        for (CommandSpec mixin : cl.getCommandSpec().mixins().values()) {
            if (mixin.userObject() instanceof LogMixin m && m.format() == Log.Format.json) {
                return m.log(err, "redkit");
            }
        }
        return null;
    }

    static boolean stacktraceRequested(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--stacktrace")) {
                return true;
            }
        }
        return false;
    }
}
