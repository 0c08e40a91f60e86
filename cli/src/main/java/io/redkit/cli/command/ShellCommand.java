package io.redkit.cli.command;

import io.redkit.aof.SourceOptions;
import io.redkit.cli.CliContext;
import io.redkit.cli.option.ConnectionMixin;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LimitsMixin;
import io.redkit.cli.shell.InteractiveLoop;
import io.redkit.cli.shell.RemoteSettings;
import io.redkit.cli.shell.Shell;
import io.redkit.live.scan.ScanOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code redkit shell SOURCE}: browse an RDB, an AOF, a KV data directory or a live server interactively. */
@Command(name = "shell",
        sortOptions = false,
        description = {"Browse the keys of an RDB file, an AOF, kv:DIR or a live redis://HOST:PORT interactively.",
                "Commands: ls, scan, get, type, ttl, info, top, prefix, select, help, quit. With a terminal: line "
                        + "editing, history and completion of commands and keys; otherwise commands are read from "
                        + "standard input and answered in plain text (echo 'get k' | redkit shell f.rdb)."})
public final class ShellCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "RDB file, AOF file, multi-part AOF directory or manifest (compressed ones too), "
                    + "kv:DIR, or redis[s]://[[USER]:PASSWORD@]HOST[:PORT][/DB].")
    String source;

    @Option(names = "--index",
            description = "Keep the key index of an RDB file beside it (FILE.rkidx) and reuse it while the file is "
                    + "unchanged. Without it nothing is written beside the file.")
    boolean index;

    @Option(names = "--no-history", description = "Keep no history file (default: ~/.redkit_history).")
    boolean noHistory;

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    @Option(names = "--page", paramLabel = "N", defaultValue = "20",
            description = "Elements of a value shown by get before '-- more (N) --' (default: ${DEFAULT-VALUE}).")
    int page;

    @Mixin
    LimitsMixin limits;

    @Mixin
    ConnectionMixin connection;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public ShellCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        if (page < 1) {
            throw new ParameterException(spec.commandLine(), "--page must be at least 1");
        }
        boolean interactive = ctx.inTerminal() && ctx.outTerminal();
        String noColorEnv = System.getenv("NO_COLOR");
        String term = System.getenv("TERM");
        boolean color = interactive && !noColor && (noColorEnv == null || noColorEnv.isEmpty())
                && !"dumb".equals(term);
        SourceOptions options = SourceOptions.defaults()
                .withLimits(limits.limits())
                .withAllowFutureVersion(limits.allowFutureVersion());
        if (interactive && ctx.errTerminal() && !source.contains("://")) {
            // the first use of a big file reads it whole to build the key index: say why nothing shows yet
            ctx.err().println("redkit: reading " + source + " to index its keys...");
        }
        boolean tlsSource = source.startsWith("rediss://");
        if (connection.tlsOptions() && !tlsSource) {
            throw new ParameterException(spec.commandLine(), "the --tls-* options need a rediss:// SOURCE");
        }
        RemoteSettings remote = new RemoteSettings(
                Math.multiplyExact(connection.connectTimeoutSeconds(), 1000),
                Math.multiplyExact(connection.readTimeoutSeconds(), 1000),
                source.contains("://") ? connection.password(System.getenv()) : null,
                tlsSource ? ScanOptions.socketFactory(connection.tls(ctx, "server")) : null);
        Shell shell;
        try {
            shell = Shell.open(source, options, index, remote, color, page, ctx.err());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (shell) {
            if (interactive) {
                // $HOME first, as shells do (the JVM's user.home comes from the password database)
                String home = System.getenv("HOME");
                Path history = noHistory ? null
                        : Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".redkit_history");
                return InteractiveLoop.run(shell, history);
            }
            PrintWriter out = new PrintWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), false);
            PrintWriter err = new PrintWriter(new OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true);
            BufferedReader in = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8));
            return shell.runScript(in, out, err);
        }
    }
}
