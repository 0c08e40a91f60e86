package io.redkit.rdb.writer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * An output file that appears only when complete: bytes go to a temp file in the target's
 * directory, {@link #commit()} syncs it and renames it onto the target, and {@link #close()}
 * without a commit deletes it. An existing target is never replaced unless {@code overwrite} is set.
 *
 * <pre>
 * try (AtomicFileOutput o = AtomicFileOutput.open(path, force)) {
 *     ... write to o ...
 *     o.commit();
 * }
 * </pre>
 */
public final class AtomicFileOutput extends OutputStream {
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private final FileChannel channel;
    private final OutputStream out;
    private boolean committed;
    private boolean closed;

    private AtomicFileOutput(Path target, Path temp, boolean overwrite, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.overwrite = overwrite;
        this.channel = channel;
        this.out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
    }

    /**
     * Opens a temp file next to {@code target}. Fails with {@link FileAlreadyExistsException} when the
     * target exists and {@code overwrite} is false (the CLI's {@code --force}).
     */
    public static AtomicFileOutput open(Path target, boolean overwrite) throws IOException {
        Path abs = target.toAbsolutePath();
        if (!overwrite && Files.exists(abs)) {
            throw new FileAlreadyExistsException(target.toString(), null, "output exists (use --force to overwrite)");
        }
        Path dir = abs.getParent();
        // not Files.createTempFile: its 0600 mode would stick to the final file; this one gets the umask's
        SecureRandom rnd = new SecureRandom();
        while (true) {
            Path temp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(rnd.nextLong(), 36) + ".tmp");
            try {
                FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                return new AtomicFileOutput(abs, temp, overwrite, ch);
            } catch (FileAlreadyExistsException e) {
                // name taken: draw another
            }
        }
    }

    /** The final path. */
    public Path target() {
        return target;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes, syncs and renames the temp file onto the target; the stream is closed afterwards. */
    public void commit() throws IOException {
        if (closed) {
            throw new IOException("output already closed: " + target);
        }
        out.flush();
        channel.force(true);
        out.close();
        closed = true;
        if (overwrite) {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } else {
            // a plain move refuses to replace a file that appeared meanwhile
            Files.move(temp, target);
        }
        committed = true;
    }

    /** Closes; without a prior {@link #commit()} the temp file is deleted and the target left untouched. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        try {
            if (!closed) {
                closed = true;
                out.close();
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
