package io.redkit.kv;

/** The engine's time source in unix milliseconds; tests supply their own to control expiry. */
@FunctionalInterface
public interface Clock {
    /** The system clock. */
    Clock SYSTEM = System::currentTimeMillis;

    /** Now, in unix milliseconds. */
    long nowMs();
}
