/**
 * Output sinks for the redkit event stream and the factory that picks one by format name
 * ({@link io.redkit.formats.OutputFormat}). Subpackages hold one format family each.
 */
package io.redkit.formats;
