/**
 * The {@code redkit inspect} report as one self-contained HTML page: inline CSS and SVG drawn here,
 * no network access, no external scripts or fonts. The figures come from the inspect sink; this
 * package adds a bounded hierarchical prefix tree for the memory flame graph.
 */
package io.redkit.formats.html;
