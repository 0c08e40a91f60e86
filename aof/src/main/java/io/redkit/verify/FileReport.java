package io.redkit.verify;

import java.util.List;

/**
 * The verdict on one input: a file, an AOF directory, or one entry (or AOF directory) of an archive.
 *
 * @param name     the input as named in messages, e.g. {@code backup.tar.gz!data/dump.rdb}
 * @param format   what it was read as: {@code rdb}, {@code aof}, {@code aof-dir}, {@code archive}
 * @param bytes    bytes of content read (decompressed), summed over a directory's files
 * @param problems every problem found, in the order found; empty when valid
 * @param facts    what the input holds, as far as it was read
 */
public record FileReport(String name, String format, long bytes, List<Problem> problems, Facts facts) {
    /** Copies the list. */
    public FileReport {
        problems = List.copyOf(problems);
    }

    /** True without problems. */
    public boolean valid() {
        return problems.isEmpty();
    }

    /** True when a problem is an I/O failure rather than bad content. */
    public boolean hasIoProblem() {
        return problems.stream().anyMatch(Problem::isIo);
    }
}
