/**
 * Small text outputs: {@link io.redkit.formats.text.KeysSink} (key names) and
 * {@link io.redkit.formats.text.CountSink} (counts per db, type and encoding).
 */
package io.redkit.formats.text;
