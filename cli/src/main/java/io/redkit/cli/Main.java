package io.redkit.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The {@code redkit} executable: builds the command line on the real standard streams and exits with its code. */
public final class Main {
    /**
     * Commands built alone when they are the first argument (see {@link Redkit#newCommandLine(CliContext, Class)}):
     * they neither look at the other commands nor need the root's options. Anything else builds the whole tree.
     */
    static final Set<String> ONE_COMMAND = Set.of("dump", "inspect", "verify", "diff", "tail", "migrate", "kv");

    private Main() {
    }

    /** Runs {@code redkit} with {@code args} and exits. */
    public static void main(String[] args) {
        if (args.length == 1 && ("--version".equals(args[0]) || "-V".equals(args[0]))) {
            // answered without building the command tree: picocli's classes are Java 5 bytecode,
            // which class-data sharing cannot archive, and loading them is most of a short run
            for (String line : new VersionProvider().getVersion()) {
                System.out.println(line);
            }
            System.exit(ExitCodes.OK);
        }
        // data goes to descriptor 1 unwrapped: a PrintStream would swallow a write error such as EPIPE
        FileOutputStream data = new FileOutputStream(FileDescriptor.out);
        PrintStream out = new PrintStream(new BufferedOutputStream(data, 1 << 16), false, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        CliContext ctx = new CliContext(new FileInputStream(FileDescriptor.in), out, err, data,
                isTerminal(0), isTerminal(1), isTerminal(2));
        Class<?> only = args.length > 0 && ONE_COMMAND.contains(args[0]) ? Redkit.subcommandClass(args[0]) : null;
        int code = (only != null ? Redkit.newCommandLine(ctx, only) : Redkit.newCommandLine(ctx)).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Whether file descriptor {@code fd} is a terminal. Java has no isatty, so on Linux the
     * descriptor's link in /proc is read; elsewhere a console means both stdin and stdout are terminals.
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
        } catch (Exception e) {
            // unreadable /proc: fall back to the portable approximation below
        }
        return System.console() != null;
    }
}
