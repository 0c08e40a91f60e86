package io.redkit.core;

/**
 * An input length or count is larger than a configured {@link Limits} value. The message names
 * the value found, the maximum, and the command-line flag that raises it.
 */
public final class LimitExceededException extends RedkitException {
    private static final long serialVersionUID = 1L;

    public LimitExceededException(String source, long offset, String context, String what, long found, long max, String flag) {
        super(ErrorKind.LIMIT, source, offset, context,
                what + ": found " + found + " (maximum " + max + ", raise with " + flag + ")");
    }
}
