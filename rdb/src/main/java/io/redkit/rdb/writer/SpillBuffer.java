package io.redkit.rdb.writer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An append-only byte store that lives in the heap up to a threshold and then moves to a temp file,
 * so a value of any size can be held until its count is known. Owns its memory and temp file;
 * {@link #reset()} and {@link #close()} delete the file.
 */
final class SpillBuffer implements Closeable {
    private static final int INITIAL = 1 << 12;
    private static final int KEEP_AFTER_RESET = 1 << 20;

    private final int threshold;
    private final Path tempDir;
    private byte[] mem = new byte[INITIAL];
    private int memLen;
    private Path file;
    private OutputStream fileOut;
    private long size;
    private final byte[] scratch = new byte[8];

    SpillBuffer(int threshold, Path tempDir) {
        this.threshold = threshold;
        this.tempDir = tempDir;
    }

    long size() {
        return size;
    }

    boolean spilled() {
        return file != null;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (file == null && memLen + (long) len > threshold) {
            spill();
        }
        if (file != null) {
            fileOut.write(b, off, len);
        } else {
            if (memLen + len > mem.length) {
                long want = Math.max((long) mem.length * 2, memLen + (long) len);
                mem = Arrays.copyOf(mem, (int) Math.min(want, Math.max(threshold, memLen + (long) len)));
            }
            System.arraycopy(b, off, mem, memLen, len);
            memLen += len;
        }
        size += len;
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void writeInt(int v) throws IOException {
        for (int i = 0; i < 4; i++) {
            scratch[i] = (byte) (v >>> (8 * (3 - i)));
        }
        write(scratch, 0, 4);
    }

    void writeLong(long v) throws IOException {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (8 * (7 - i)));
        }
        write(scratch, 0, 8);
    }

    /** A length-prefixed byte string, read back with {@link #readBytes(DataInputStream)}. */
    void writeBytes(byte[] b) throws IOException {
        writeInt(b.length);
        write(b, 0, b.length);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private void spill() throws IOException {
        file = Files.createTempFile(tempDir, "redkit-rdbw-", ".spill");
        fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        fileOut.write(mem, 0, memLen);
        memLen = 0;
        if (mem.length > KEEP_AFTER_RESET) {
            mem = new byte[INITIAL];
        }
    }

    /** The heap array holding the content while not spilled (valid up to {@link #size()}). */
    byte[] memArray() {
        return mem;
    }

    /** An OutputStream view, for encoders that write into this buffer. */
    OutputStream asOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                scratch[0] = (byte) b;
                SpillBuffer.this.write(scratch, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                SpillBuffer.this.write(b, off, len);
            }
        };
    }

    /** A stream over everything written so far; the caller closes it before writing again. */
    InputStream open() throws IOException {
        if (file == null) {
            return new ByteArrayInputStream(mem, 0, memLen);
        }
        fileOut.flush();
        return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** Forgets the content and deletes the temp file, keeping a modest heap buffer for reuse. */
    void reset() throws IOException {
        memLen = 0;
        size = 0;
        if (mem.length > KEEP_AFTER_RESET) {
            mem = new byte[INITIAL];
        }
        deleteFile();
    }

    private void deleteFile() throws IOException {
        if (file != null) {
            Path f = file;
            file = null;
            try {
                fileOut.close();
            } finally {
                fileOut = null;
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public void close() throws IOException {
        mem = new byte[0];
        memLen = 0;
        size = 0;
        deleteFile();
    }
}
