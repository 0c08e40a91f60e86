package io.redkit.aof;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.io.Inputs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens any RDB or AOF input as an {@link EventSource}, deciding by content, never by name: a
 * directory is a multi-part AOF; a compressed file is decompressed first; then {@code REDIS} or
 * {@code VALKEY} is an RDB (read on as AOF commands when RESP follows its trailer, as in an AOF
 * with an RDB preamble), a manifest line ({@code file ...}) is a manifest, {@code *} or {@code #}
 * is an AOF, and anything else goes to the RDB reader, which rejects it with a clear error.
 */
public final class Sources {
    /** How far ahead a leading {@code #} block is scanned to tell a manifest from an AOF. */
    private static final int PEEK = 64 * 1024;

    private Sources() {
    }

    /** What {@link #detect} found. */
    public enum Kind {
        /** An RDB file, possibly followed by AOF commands (an AOF with an RDB preamble). */
        RDB,
        /** A RESP AOF file. */
        AOF,
        /** A Redis 7 multi-part AOF directory. */
        AOF_DIR,
        /** The manifest of a multi-part AOF. */
        MANIFEST
    }

    /**
     * Opens {@code pathOrDash} (a path, or {@code -} for standard input) by its content.
     *
     * @throws IOException a {@link io.redkit.core.RedkitException} for bad content, or a plain
     *                     IOException naming the path when it cannot be opened
     */
    public static EventSource open(String pathOrDash, SourceOptions options) throws IOException {
        if (!Inputs.isStdin(pathOrDash) && Files.isDirectory(Path.of(pathOrDash))) {
            return AofReader.openDirectory(Path.of(pathOrDash), options);
        }
        InputStream in = Inputs.open(pathOrDash);
        String name = Inputs.displayName(pathOrDash);
        try {
            return open(in, name, Inputs.isStdin(pathOrDash) ? null : Path.of(pathOrDash), options);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Opens an input that the caller has already opened and decompressed (to count its bytes for a
     * progress bar, or to read standard input from elsewhere), by its content. {@code in} must
     * support mark/reset (as {@link Inputs#decompress} returns); {@code path} is where it came from,
     * needed only when it is a manifest (null for standard input). A directory cannot come this way:
     * test {@code Files.isDirectory} and use {@link #open(String, SourceOptions)} for it.
     */
    public static EventSource open(InputStream in, String name, Path path, SourceOptions options) throws IOException {
        Kind kind = detectStream(in);
        switch (kind) {
            case MANIFEST:
                if (path == null) {
                    throw new RedkitException(ErrorKind.UNSUPPORTED, name, 0, "AOF manifest",
                            "a manifest read from a stream has no directory to find its files in: give its path");
                }
                in.close();
                return AofReader.openManifest(path, options);
            case AOF:
                return AofReader.openStream(in, name, options, false);
            default:
                return AofReader.openStream(in, name, options, true);
        }
    }

    /** What {@link #open} would read {@code pathOrDash} as. */
    public static Kind detect(String pathOrDash) throws IOException {
        if (!Inputs.isStdin(pathOrDash) && Files.isDirectory(Path.of(pathOrDash))) {
            return Kind.AOF_DIR;
        }
        try (InputStream in = Inputs.open(pathOrDash)) {
            return detectStream(in);
        }
    }

    /**
     * The kind of a markable stream from its first bytes, leaving its position unchanged. Only
     * RDB, AOF and MANIFEST are possible; unknown content is RDB (the reader reports its magic).
     */
    static Kind detectStream(InputStream markable) throws IOException {
        byte[] head = new byte[PEEK];
        markable.mark(PEEK);
        int n = 0;
        try {
            while (n < head.length) {
                int r = markable.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } finally {
            markable.reset();
        }
        return classify(head, n);
    }

    /** The kind of content starting with {@code head[0, n)}. */
    static Kind classify(byte[] head, int n) {
        if (n == 0) {
            return Kind.RDB;
        }
        if (head[0] == '*') {
            return Kind.AOF;
        }
        int i = 0;
        // like redis-check-aof: a manifest when the first line that is not a comment starts with "file"
        while (i < n && head[i] == '#') {
            while (i < n && head[i] != '\n') {
                i++;
            }
            i++;
        }
        if (i + 4 <= n && startsWithIgnoreCase(head, i, "file")) {
            return Kind.MANIFEST;
        }
        if (head[0] == '#') {
            return Kind.AOF;
        }
        return Kind.RDB;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int at, String s) {
        for (int k = 0; k < s.length(); k++) {
            int c = b[at + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** An RDB reader with {@code options}, for callers that know their input is a plain RDB. */
    public static RdbReader rdb(InputStream in, String name, SourceOptions options) {
        return RdbReader.builder(in, name)
                .limits(options.limits())
                .allowFutureVersion(options.allowFutureVersion())
                .captureRawPayload(options.captureRawPayload())
                .skipEmptyKeys(options.skipEmptyKeys())
                .build();
    }
}
