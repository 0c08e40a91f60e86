package io.redkit.verify;

import io.redkit.core.RedkitException;

/**
 * One thing wrong with an input.
 *
 * @param file    the file (or archive entry) it is in, as named in messages
 * @param offset  byte offset inside that file, or -1 when it has none (a manifest line, a missing file)
 * @param kind    a stable short name: an {@link io.redkit.core.ErrorKind} id, {@link #IO}, or a check's name
 * @param message what was found and what was expected
 */
public record Problem(String file, long offset, String kind, String message) {
    /** The kind of a problem reading the input itself (not its content): exit code 3. */
    public static final String IO = "io";
    /** The kind of a reader failing in a way no input should cause (a bug in redkit). */
    public static final String INTERNAL = "internal";

    /** A problem from a typed input error. */
    public static Problem of(RedkitException e) {
        return new Problem(e.source(), e.offset(), e.kind().id(), e.getMessage());
    }

    /** True when the input could not be read, as opposed to being read and found wrong. */
    public boolean isIo() {
        return IO.equals(kind);
    }
}
