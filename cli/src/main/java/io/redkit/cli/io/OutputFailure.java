package io.redkit.cli.io;

import java.io.IOException;

/**
 * Writing the output failed (disk full, closed pipe, ...): reported apart from input errors, so
 * a broken output is never blamed on the file being read.
 */
public final class OutputFailure extends IOException {
    private static final long serialVersionUID = 1L;

    public OutputFailure(String target, IOException cause) {
        super("cannot write " + target + ": " + cause.getMessage(), cause);
    }

    /** True when the reading end of a pipe went away, which a pipeline like {@code | head} does on purpose. */
    public boolean isBrokenPipe() {
        String m = getCause() == null ? null : getCause().getMessage();
        return m != null && m.contains("Broken pipe");
    }
}
