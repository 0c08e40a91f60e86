package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.option.GlobalMixin;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code redkit completion bash|zsh}: prints the shell completion script for every command and option. */
@Command(name = "completion",
        description = {"Print a completion script for bash or zsh.",
                "bash: source <(redkit completion bash), or save it under /etc/bash_completion.d/. "
                        + "zsh: the same script, loaded through bashcompinit."})
public final class CompletionCommand implements Callable<Integer> {
    /** The shells a script is generated for. */
    public enum ShellKind {
        /** GNU bash 4 and later. */
        bash,
        /** zsh, through its bash completion compatibility. */
        zsh
    }

    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
    ShellKind shell;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public CompletionCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String script = AutoComplete.bash("redkit", spec.root().commandLine());
        PrintStream out = ctx.out();
        if (shell == ShellKind.zsh) {
            // the generated script loads zsh's bashcompinit itself when it runs under zsh
            out.println("#compdef redkit");
        }
        out.print(script);
        out.flush();
        return ExitCodes.OK;
    }
}
