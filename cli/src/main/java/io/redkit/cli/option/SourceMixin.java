package io.redkit.cli.option;

import picocli.CommandLine.Parameters;

/** The input of a reading command: a file (plain or compressed) or {@code -} for standard input. */
public final class SourceMixin {
    @Parameters(index = "0", paramLabel = "SOURCE",
            description = "RDB file to read, or - for standard input. gzip, bzip2, xz, zstd and lz4 "
                    + "compression are recognised by content.")
    String source;

    /** The path as given, or {@code -}. */
    public String source() {
        return source;
    }
}
