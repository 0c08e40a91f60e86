/** One class per {@code redkit} subcommand; each only wires options to a pipeline of reader, filter and sink. */
package io.redkit.cli.command;
