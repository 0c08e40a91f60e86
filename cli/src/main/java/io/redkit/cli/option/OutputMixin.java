package io.redkit.cli.option;

import io.redkit.cli.io.OutputTarget;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Where the output goes: standard output by default, or a file that is replaced only on success. */
public final class OutputMixin {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE (via a temporary file renamed at the end) instead of standard output; - is standard output.")
    String output = "-";

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    /** True when the output is standard output. */
    public boolean isStdout() {
        return output == null || "-".equals(output);
    }

    /** The output path as given, or {@code -}. */
    public String output() {
        return output;
    }

    /** Whether {@code --force} was given. */
    public boolean force() {
        return force;
    }

    /** Opens the target: {@code stdout} itself, or a temporary file beside the requested one. */
    public OutputTarget open(OutputStream stdout) throws IOException {
        return isStdout() ? OutputTarget.stdout(stdout) : OutputTarget.file(Path.of(output), force);
    }
}
