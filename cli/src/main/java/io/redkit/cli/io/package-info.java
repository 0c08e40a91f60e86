/**
 * The command line's plumbing around a pipeline: atomic output files, the sink guard that
 * separates output errors from input errors, and the progress bar fed by a counting stream.
 */
package io.redkit.cli.io;
