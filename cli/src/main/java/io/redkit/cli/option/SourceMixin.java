package io.redkit.cli.option;

import io.redkit.cli.CliContext;
import io.redkit.rdb.io.Inputs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The input of a reading command: an RDB or AOF file (plain or compressed), an AOF directory or manifest, or {@code -}. */
public final class SourceMixin {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "RDB file, AOF file (pure or with an RDB preamble), multi-part AOF directory or its "
                    + "manifest, or - for standard input; recognised by content. gzip, bzip2, xz, zstd and lz4 "
                    + "compression are recognised by content.")
    String source;

    /** The path as given, or {@code -}. */
    public String source() {
        return source;
    }

    /** Refuses {@code -} when standard input is a terminal: nobody types an RDB file, the command would just hang. */
    public void check(CliContext ctx) {
        if (Inputs.isStdin(source) && ctx.inTerminal()) {
            throw new ParameterException(mixee.commandLine(),
                    "SOURCE is - but standard input is a terminal: give a file, or pipe the data in");
        }
    }
}
