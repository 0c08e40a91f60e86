package io.redkit.cli.shell;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The terminal side of the shell: a JLine line reader with history (a file unless disabled), completion of
 * command names and of keys (from the index, or SCAN on a server), Ctrl-C to drop a line or stop a listing,
 * Ctrl-D to leave.
 */
public final class InteractiveLoop {
    /** Keys offered by one completion. */
    static final int MAX_CANDIDATES = 200;

    private InteractiveLoop() {
    }

    /**
     * Runs the shell on the process's terminal until {@code quit} or Ctrl-D.
     *
     * @param history the history file, or null for none kept
     */
    public static int run(Shell shell, Path history) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("redkit").build()) {
            terminal.handle(Terminal.Signal.INT, s -> shell.interrupt());
            LineReaderBuilder b = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("redkit")
                    .completer(completer(shell));
            if (history != null) {
                b.variable(LineReader.HISTORY_FILE, history);
            }
            LineReader reader = b.build();
            PrintWriter out = terminal.writer();
            out.println("redkit shell over " + shell.backend().name() + " - type help for the commands, quit or Ctrl-D to leave");
            out.flush();
            while (true) {
                String line;
                try {
                    line = reader.readLine(shell.prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (!shell.execute(line, out, out)) {
                    break;
                }
            }
            if (history != null) {
                reader.getHistory().save();
            }
        }
        return 0;
    }

    static Completer completer(Shell shell) {
        return (LineReader reader, ParsedLine line, List<Candidate> candidates) -> {
            if (line.wordIndex() == 0) {
                for (String c : Shell.COMMANDS) {
                    candidates.add(new Candidate(c));
                }
                return;
            }
            String cmd = line.words().get(0).toLowerCase(Locale.ROOT);
            if (line.wordIndex() != 1 || !Shell.KEY_COMMANDS.contains(cmd)) {
                return;
            }
            String typed = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
            try {
                for (byte[] k : shell.complete(typed.getBytes(StandardCharsets.UTF_8), MAX_CANDIDATES)) {
                    if (io.redkit.core.Bytes.isUtf8(k)) {
                        // the reader escapes blanks and quotes on insertion; binary keys are typed in quotes instead
                        candidates.add(new Candidate(new String(k, StandardCharsets.UTF_8)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a failed lookup offers nothing; the command itself reports the problem when run
            }
        };
    }
}
