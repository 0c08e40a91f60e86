package io.redkit.cli.io;

import io.redkit.rdb.writer.AtomicFileOutput;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a command writes: standard output, or a file that appears only when complete (an
 * {@link AtomicFileOutput}: temporary file renamed by {@link #commit()}). Owns the stream it hands
 * out; {@link #abort()} may race a writer (shutdown hook), so both ends are synchronized.
 */
public final class OutputTarget implements Closeable {
    /** Buffer in front of standard output. */
    public static final int BUFFER_SIZE = 256 * 1024;

    private final String name;
    private final AtomicFileOutput file;
    private final OutputStream stream;
    private boolean done;

    private OutputTarget(String name, AtomicFileOutput file, OutputStream stream) {
        this.name = name;
        this.file = file;
        this.stream = stream;
    }

    /** Writes to {@code out} (normally standard output), which is flushed but never closed. */
    public static OutputTarget stdout(OutputStream out) {
        OutputStream shielded = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                // standard output outlives the command; flushing is all a close may do
                out.flush();
            }
        };
        return new OutputTarget("standard output", null, new BufferedOutputStream(shielded, BUFFER_SIZE));
    }

    /**
     * Writes to a temporary file beside {@code file}; {@link #commit()} renames it into place.
     *
     * @throws FileAlreadyExistsException when {@code file} exists and {@code force} is false
     */
    public static OutputTarget file(Path file, boolean force) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("cannot write " + file + ": is a directory");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + file + ": no such directory " + dir);
        }
        try {
            return new OutputTarget(file.toString(), null, null).withFile(AtomicFileOutput.open(file, force));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot write " + file + ": permission denied", e);
        }
    }

    private OutputTarget withFile(AtomicFileOutput f) {
        return new OutputTarget(name, f, f);
    }

    /** The stream to write to; buffered. */
    public OutputStream stream() {
        return stream;
    }

    /** A name for messages: the path as given, or {@code standard output}. */
    public String name() {
        return name;
    }

    /** True when this writes to standard output. */
    public boolean isStdout() {
        return file == null;
    }

    /** Flushes everything; for a file, syncs it to disk and renames it into place. */
    public synchronized void commit() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            if (file == null) {
                stream.flush();
            } else {
                file.commit();
            }
        } catch (FileAlreadyExistsException e) {
            abortFile();
            throw e;
        } catch (IOException e) {
            abortFile();
            throw new OutputFailure(name, e);
        }
    }

    /**
     * Gives up: standard output is flushed (what was written stays written), a file's temporary
     * copy is deleted and the target left as it was. Never throws.
     */
    public synchronized void abort() {
        if (done) {
            return;
        }
        done = true;
        if (file == null) {
            try {
                stream.flush();
            } catch (IOException | RuntimeException e) {
                // the reader of standard output is gone; nothing more to do
            }
        } else {
            abortFile();
        }
    }

    private void abortFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException | RuntimeException e) {
                // at worst a hidden temporary file stays behind; the target is untouched
            }
        }
    }

    /** Same as {@link #abort()} unless already committed. */
    @Override
    public void close() {
        abort();
    }
}
