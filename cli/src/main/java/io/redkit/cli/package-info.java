/**
 * The {@code redkit} command: the entry point, the one factory that builds the picocli command
 * tree for {@code main} and for tests, and the mapping of failures to exit codes.
 */
package io.redkit.cli;
