package io.redkit.cli;

import io.redkit.cli.command.CompletionCommand;
import io.redkit.cli.command.DiffCommand;
import io.redkit.cli.command.DumpCommand;
import io.redkit.cli.command.InspectCommand;
import io.redkit.cli.command.KvCommand;
import io.redkit.cli.command.MigrateCommand;
import io.redkit.cli.command.ShellCommand;
import io.redkit.cli.command.TailCommand;
import io.redkit.cli.command.VerifyCommand;
import io.redkit.cli.option.GlobalMixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** The top-level {@code redkit} command and the one factory that builds the command tree. */
@Command(name = "redkit",
        versionProvider = VersionProvider.class,
        description = "Redis RDB toolkit: dump and inspect Redis and Valkey data files.",
        subcommands = {DumpCommand.class, InspectCommand.class, VerifyCommand.class, DiffCommand.class,
                TailCommand.class, MigrateCommand.class, KvCommand.class, ShellCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success",
                "  1  invalid input data (the message says where), or the datasets compared by diff differ",
                "  2  usage error",
                "  3  I/O error: a file could not be opened, read or written; a master could not be reached or refused the password",
                "  4  internal error (a bug: please report it with the stack trace)"})
public final class Redkit implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GlobalMixin global;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    boolean version;

    @Override
    public Integer call() {
        // `redkit` alone: show what there is to run
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** A command line writing to {@code out} and {@code err}, neither taken to be a terminal (tests, embedding). */
    public static CommandLine newCommandLine(PrintStream out, PrintStream err) {
        return newCommandLine(new CliContext(out, err, false, false));
    }

    /** The command line for a context: every command and mixin gets the context through the factory. */
    public static CommandLine newCommandLine(CliContext ctx) {
        return configure(new CommandLine(Redkit.class, new Factory(ctx)), ctx);
    }

    /**
     * The command line of one subcommand under a bare {@code redkit} root, for a run whose first argument
     * names it: picocli's model of every command (reflection over each command and mixin) is most of a short
     * run's start-up, and a command reading one small file need not pay for the others. Usage text, errors
     * and exit codes are those of {@link #newCommandLine(CliContext)}; a command that needs the whole tree
     * (completion, help) must not be built this way.
     */
    public static CommandLine newCommandLine(CliContext ctx, Class<?> subcommand) {
        Factory factory = new Factory(ctx);
        CommandLine root = new CommandLine(new Root(), factory);
        root.addSubcommand(new CommandLine(subcommand, factory));
        return configure(root, ctx);
    }

    /** The class of the subcommand named {@code name} (from this command's annotation), or null. */
    public static Class<?> subcommandClass(String name) {
        for (Class<?> c : Redkit.class.getAnnotation(Command.class).subcommands()) {
            Command a = c.getAnnotation(Command.class);
            if (a != null && a.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The root of a command line built for one subcommand: the name only, as the others are not built. */
    @Command(name = "redkit")
    static final class Root {
    }

    private static CommandLine configure(CommandLine cl, CliContext ctx) {
        cl.setOut(new PrintWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(ctx.err(), StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler(ExitCodes.handler(ctx.err()));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine bad = ex.getCommandLine();
            PrintWriter w = bad.getErr();
            w.println("redkit: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, w)) {
                w.println("Try '" + bad.getCommandSpec().qualifiedName() + " --help' for more information.");
            }
            w.flush();
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /** Creates commands and mixins, passing the {@link CliContext} to constructors that take one. */
    private static final class Factory implements CommandLine.IFactory {
        private final CliContext ctx;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> c : cls.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliContext.class) {
                    return cls.cast(c.newInstance(ctx));
                }
            }
            return fallback.create(cls);
        }
    }
}
