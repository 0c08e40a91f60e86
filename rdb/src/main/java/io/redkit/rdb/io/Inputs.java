package io.redkit.rdb.io;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a file or standard input ({@code -}) for reading, decompressing it when its first bytes
 * are those of gzip, bzip2, xz, zstd or an LZ4 frame; the file name plays no part.
 */
public final class Inputs {
    /** Size of the read buffers: large enough that a 10 GB file costs few system calls. */
    public static final int BUFFER_SIZE = 256 * 1024;

    /** The name used in messages for standard input. */
    public static final String STDIN_NAME = "<stdin>";

    private Inputs() {
    }

    /**
     * Opens {@code pathOrDash} (a path, or {@code -} for standard input), detects compression by
     * content and returns a buffered stream of the decompressed bytes.
     *
     * @throws IOException with a message naming the path when it is missing, a directory or unreadable
     */
    public static InputStream open(String pathOrDash) throws IOException {
        return decompress(openRaw(pathOrDash), displayName(pathOrDash));
    }

    /**
     * Opens the raw bytes of a file or standard input, without decompression or buffering, so a
     * caller can count them (progress) before handing them to {@link #decompress}. Closing the
     * stream of standard input does not close file descriptor 0.
     */
    public static InputStream openRaw(String pathOrDash) throws IOException {
        if (isStdin(pathOrDash)) {
            return new FilterInputStream(new FileInputStream(FileDescriptor.in)) {
                @Override
                public void close() {
                    // descriptor 0 belongs to the process, not to this stream
                }
            };
        }
        Path p = Path.of(pathOrDash);
        if (Files.isDirectory(p)) {
            throw new IOException("cannot open " + pathOrDash + ": is a directory");
        }
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("cannot open " + pathOrDash + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot open " + pathOrDash + ": permission denied", e);
        } catch (IOException e) {
            throw new IOException("cannot open " + pathOrDash + ": " + e.getMessage(), e);
        }
    }

    /**
     * Wraps raw bytes in the decompressor their magic bytes call for (none when they match no
     * format) and buffers the result. A damaged or truncated compressed stream surfaces as a
     * {@link RedkitException} naming {@code sourceName}; an I/O error of {@code raw} passes unchanged.
     */
    public static InputStream decompress(InputStream raw, String sourceName) throws IOException {
        RawGuard guard = new RawGuard(raw);
        BufferedInputStream buffered = new BufferedInputStream(guard, BUFFER_SIZE);
        Compression c = peek(buffered);
        if (c == Compression.NONE) {
            return buffered;
        }
        InputStream decoder;
        try {
            decoder = decoder(c, buffered);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            if (guard.failed) {
                throw e;
            }
            throw translate(e, c, sourceName, guard.count);
        }
        return new BufferedInputStream(new Decompressed(decoder, c, sourceName, guard), BUFFER_SIZE);
    }

    /** The compression of a stream that supports mark/reset, leaving its position unchanged. */
    public static Compression peek(InputStream markable) throws IOException {
        byte[] head = new byte[Compression.MAGIC_LENGTH];
        markable.mark(head.length);
        int n = 0;
        while (n < head.length) {
            int r = markable.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        markable.reset();
        return Compression.detect(head, n);
    }

    /**
     * The size in bytes of the raw input when it is known (a regular file, or standard input
     * redirected from one), else -1. This is the compressed size for compressed inputs.
     */
    public static long size(String pathOrDash) {
        try {
            Path p = isStdin(pathOrDash) ? Path.of("/dev/stdin") : Path.of(pathOrDash);
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException | RuntimeException e) {
            // the size only feeds a progress bar; not knowing it is normal for pipes and sockets
            return -1;
        }
    }

    /** True for {@code -}, the conventional name of standard input. */
    public static boolean isStdin(String pathOrDash) {
        return "-".equals(pathOrDash);
    }

    /** The name to use in messages: the path, or {@code <stdin>}. */
    public static String displayName(String pathOrDash) {
        return isStdin(pathOrDash) ? STDIN_NAME : pathOrDash;
    }

    private static InputStream decoder(Compression c, InputStream in) throws IOException {
        switch (c) {
            case GZIP:
                return new GZIPInputStream(in, BUFFER_SIZE);
            case BZIP2:
                return new BZip2CompressorInputStream(in, true);
            case XZ:
                return new XZInputStream(in);
            case ZSTD:
                return new ZstdCompressorInputStream(in);
            case LZ4:
                return new LZ4FrameInputStream(in);
            default:
                return in;
        }
    }

    private static RedkitException translate(Throwable e, Compression c, String source, long rawCount) {
        // the compressed offset is only where the decoder had read up to, so it goes in the detail
        ErrorKind kind = e instanceof EOFException ? ErrorKind.TRUNCATED : ErrorKind.INTEGRITY;
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new RedkitException(kind, source, -1, c.id() + " stream",
                what + " (after " + rawCount + " compressed bytes)", e);
    }

    /** Counts raw bytes and remembers whether the raw stream itself failed. */
    private static final class RawGuard extends FilterInputStream {
        long count;
        boolean failed;

        RawGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                if (b >= 0) {
                    count++;
                }
                return b;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    count += n;
                }
                return n;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** Turns decoder failures into typed input errors, leaving raw I/O errors alone. */
    private static final class Decompressed extends FilterInputStream {
        private final Compression compression;
        private final String source;
        private final RawGuard guard;

        Decompressed(InputStream decoder, Compression compression, String source, RawGuard guard) {
            super(decoder);
            this.compression = compression;
            this.source = source;
            this.guard = guard;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException | RuntimeException e) {
                throw fail(e);
            }
        }

        private IOException fail(Exception e) {
            if (e instanceof RedkitException) {
                return (RedkitException) e;
            }
            if (guard.failed && e instanceof IOException) {
                return (IOException) e;
            }
            return translate(e, compression, source, guard.count);
        }
    }
}
