/**
 * The event stream every source emits and every sink consumes: immutable records in source
 * order. A key arrives as {@link io.redkit.core.event.KeyStart}, one or more value parts
 * (a small value in one part, a big one in bounded chunks), then {@link io.redkit.core.event.KeyEnd}.
 * Byte strings are {@code byte[]} owned by the event: sinks must not modify them.
 */
package io.redkit.core.event;
