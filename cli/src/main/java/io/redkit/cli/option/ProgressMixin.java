package io.redkit.cli.option;

import picocli.CommandLine.Option;

/** Switches the progress bar off; it is only ever drawn when stderr is a terminal. */
public final class ProgressMixin {
    @Option(names = "--no-progress", description = "Never draw the progress bar (it is only drawn on a terminal).")
    boolean noProgress;

    /** True with {@code --no-progress}. */
    public boolean disabled() {
        return noProgress;
    }
}
