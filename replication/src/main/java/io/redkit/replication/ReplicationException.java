package io.redkit.replication;

import java.io.IOException;

/**
 * A failure of the link to the master (connection lost or refused, timeout, refused handshake), as
 * opposed to malformed data, which is a {@link io.redkit.core.RedkitException}. Retryable failures
 * are answered with a reconnect; the others (a wrong password) end the run.
 */
public class ReplicationException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /** A failure; {@code retryable} says whether a reconnect may cure it. */
    public ReplicationException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** A failure with its cause. */
    public ReplicationException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True when reconnecting may cure it (lost connection, timeout, master busy loading). */
    public boolean retryable() {
        return retryable;
    }
}
