/**
 * The {@code redkit inspect} report: {@link io.redkit.formats.inspect.InspectSink} gathers header,
 * AUX fields, key counts, TTLs, the biggest keys and memory per key prefix in bounded memory while
 * the events stream, and prints it as text or JSON at close.
 */
package io.redkit.formats.inspect;
