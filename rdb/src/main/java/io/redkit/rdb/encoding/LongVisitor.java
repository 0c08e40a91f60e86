package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;

/**
 * Receives the integers of an intset in order; unlike {@link java.util.function.LongConsumer} it may
 * throw {@link RedkitException}, e.g. when a limit trips.
 */
@FunctionalInterface
public interface LongVisitor {
    /** One member of the set. */
    void value(long v) throws RedkitException;
}
