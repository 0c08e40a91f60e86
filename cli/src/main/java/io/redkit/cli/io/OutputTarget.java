package io.redkit.cli.io;

import io.redkit.rdb.writer.AtomicFileOutput;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

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
    private final Set<PosixFilePermission> permissions;
    private boolean done;

    private OutputTarget(String name, AtomicFileOutput file, OutputStream stream, Set<PosixFilePermission> permissions) {
        this.name = name;
        this.file = file;
        this.stream = stream;
        this.permissions = permissions;
    }

    /**
     * Writes to {@code out} (normally standard output), which is flushed but never closed. A
     * {@link PrintStream}, which hides write errors, is checked after every buffer written.
     */
    public static OutputTarget stdout(OutputStream out) {
        PrintStream ps = out instanceof PrintStream p ? p : null;
        OutputStream shielded = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                check();
            }

            @Override
            public void flush() throws IOException {
                out.flush();
                check();
            }

            @Override
            public void close() throws IOException {
                // standard output outlives the command; flushing is all a close may do
                flush();
            }

            private void check() throws IOException {
                if (ps != null && ps.checkError()) {
                    throw new IOException("write error");
                }
            }
        };
        return new OutputTarget("standard output", null, new BufferedOutputStream(shielded, BUFFER_SIZE), null);
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
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a device or pipe (/dev/null, a FIFO): written in place, never replaced by a rename
            OutputStream direct = Files.newOutputStream(file, java.nio.file.StandardOpenOption.WRITE);
            return new OutputTarget(file.toString(), null, new BufferedOutputStream(direct, BUFFER_SIZE) {
                @Override
                public void close() throws IOException {
                    try {
                        flush();
                    } finally {
                        direct.close();
                    }
                }
            }, null);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + file + ": no such directory " + dir);
        }
        Set<PosixFilePermission> perms = permissionsFor(file);
        try {
            AtomicFileOutput f = AtomicFileOutput.open(file, force);
            return new OutputTarget(file.toString(), f, f, perms);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write " + file + ": permission denied", e);
        }
    }

    /**
     * The permissions the output file should end with: those of the file it replaces, else
     * rw-rw-rw- less the umask, as a plain open would give. The temporary file is created
     * owner-only, so without this the result would be unreadable by others.
     */
    private static Set<PosixFilePermission> permissionsFor(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.getPosixFilePermissions(file);
            }
            Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-rw-rw-");
            int umask = umask();
            for (PosixFilePermission p : PosixFilePermission.values()) {
                // enum order is owner rwx, group rwx, others rwx: bit 8 down to bit 0
                if ((umask & (1 << (8 - p.ordinal()))) != 0) {
                    perms.remove(p);
                }
            }
            return perms;
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: the temporary file's permissions stay
            return null;
        }
    }

    /** The process umask from /proc (Linux 4.7+), else the common default 022. */
    private static int umask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the default
        }
        return 022;
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
        return file == null && "standard output".equals(name);
    }

    /** Flushes everything; for a file, syncs it to disk and renames it into place. */
    public synchronized void commit() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            if (file == null) {
                if (isStdout()) {
                    stream.flush();
                } else {
                    stream.close();
                }
            } else {
                file.commit();
                restorePermissions();
            }
        } catch (FileAlreadyExistsException e) {
            abortFile();
            throw e;
        } catch (IOException e) {
            abortFile();
            throw new OutputFailure(name, e);
        }
    }

    private void restorePermissions() {
        if (permissions != null) {
            try {
                Files.setPosixFilePermissions(file.target(), permissions);
            } catch (IOException | RuntimeException e) {
                // the data is in place; owner-only permissions are the worst outcome
            }
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
