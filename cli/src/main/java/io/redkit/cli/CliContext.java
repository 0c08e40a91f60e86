package io.redkit.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What a command needs from its surroundings, injected by {@link Redkit#newCommandLine}: the
 * streams for data, help text and messages, and whether they are terminals. Immutable.
 *
 * @param in          what a SOURCE of {@code -} reads (standard input)
 * @param out         help and version text
 * @param err         messages and the progress bar
 * @param data        where data goes when the output is {@code -}: standard output as a plain byte
 *                    stream, so that write errors (a closed pipe, a full disk) surface as exceptions
 * @param inTerminal  true when {@code in} is a terminal (binary data is not typed in)
 * @param outTerminal true when standard output is a terminal
 * @param errTerminal true when {@code err} is a terminal (the only case a progress bar is drawn)
 */
public record CliContext(InputStream in, PrintStream out, PrintStream err, OutputStream data, boolean inTerminal,
                         boolean outTerminal, boolean errTerminal) {

    /** A context whose data goes to {@code out} as well and whose standard input is empty (tests, embedding). */
    public CliContext(PrintStream out, PrintStream err, boolean outTerminal, boolean errTerminal) {
        this(InputStream.nullInputStream(), out, err, out, false, outTerminal, errTerminal);
    }

    /** This context reading {@code input} as standard input. */
    public CliContext withIn(InputStream input) {
        return new CliContext(input, out, err, data, false, outTerminal, errTerminal);
    }
}
