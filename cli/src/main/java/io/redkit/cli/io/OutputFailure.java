package io.redkit.cli.io;

import java.io.IOException;

/**
 * Writing the output failed (disk full, closed pipe, ...): reported apart from input errors, so
 * a broken output is never blamed on the file being read.
 */
public final class OutputFailure extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean interrupted;

    /** A failure writing {@code target} (a path or "standard output"), caused by {@code cause}. */
    public OutputFailure(String target, IOException cause) {
        this(target, cause, false);
    }

    private OutputFailure(String target, IOException cause, boolean interrupted) {
        super("cannot write " + target + ": " + cause.getMessage(), cause);
        this.interrupted = interrupted;
    }

    /** The writer found the output closed by the shutdown hook: the process is exiting on a signal. */
    public static OutputFailure interrupted(String target) {
        return new OutputFailure(target, new IOException("interrupted"), true);
    }

    /**
     * True when there is nothing worth saying: the reading end of a pipe went away (as {@code | head}
     * does on purpose), or the process is exiting on a signal.
     */
    public boolean isQuiet() {
        if (interrupted) {
            return true;
        }
        String m = getCause() == null ? null : getCause().getMessage();
        return m != null && m.contains("Broken pipe");
    }
}
