package io.redkit.cli;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What a command needs from its surroundings, injected by {@link Redkit#newCommandLine}: the
 * streams for data, help text and messages, and whether they are terminals. Immutable.
 *
 * @param out         help and version text
 * @param err         messages and the progress bar
 * @param data        where data goes when the output is {@code -}: standard output as a plain byte
 *                    stream, so that write errors (a closed pipe, a full disk) surface as exceptions
 * @param outTerminal true when standard output is a terminal
 * @param errTerminal true when {@code err} is a terminal (the only case a progress bar is drawn)
 */
public record CliContext(PrintStream out, PrintStream err, OutputStream data, boolean outTerminal,
                         boolean errTerminal) {

    /** A context whose data goes to {@code out} as well (tests, embedding). */
    public CliContext(PrintStream out, PrintStream err, boolean outTerminal, boolean errTerminal) {
        this(out, err, out, outTerminal, errTerminal);
    }
}
