package io.redkit.cli;

import java.io.PrintStream;

/**
 * What a command needs from its surroundings, injected by {@link Redkit#newCommandLine}: the byte
 * streams for output and messages, and whether they are terminals. Immutable.
 *
 * @param out         where data goes when the output is {@code -} (bytes, not text)
 * @param err         messages and the progress bar
 * @param outTerminal true when {@code out} is a terminal
 * @param errTerminal true when {@code err} is a terminal (the only case a progress bar is drawn)
 */
public record CliContext(PrintStream out, PrintStream err, boolean outTerminal, boolean errTerminal) {
}
