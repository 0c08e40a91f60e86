package io.redkit.cli.shell;

import io.redkit.core.event.Begin;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.SourceKind;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The key index kept beside an RDB file ({@code FILE.rkidx}, written only with {@code --index}). It is reused
 * only when the file is unchanged: same size, same modification time and the same CRC32 of its first and last
 * 64 KiB. The index file ends with a CRC32 of its own content.
 *
 * <pre>
 * "RKIDX" 0 0 2 | size:8 | mtime ms:8 | file crc:8 | dialect:1 | version:4 | keys... (KeyIndex.write) | crc32:8
 * </pre>
 */
final class IndexFile {
    private static final byte[] MAGIC = {'R', 'K', 'I', 'D', 'X', 0, 0, 2};
    private static final int SAMPLE = 64 * 1024;

    /** What identifies a version of the indexed file. */
    record Fingerprint(long size, long mtimeMs, long crc) {
    }

    /** An index read back, with the header of the file it indexes. */
    record Loaded(KeyIndex index, Begin begin) {
    }

    private IndexFile() {
    }

    /** Where the index of {@code source} is kept. */
    static Path pathFor(Path source) {
        return source.resolveSibling(source.getFileName() + ".rkidx");
    }

    /** The fingerprint of {@code source} as it is now. */
    static Fingerprint fingerprint(Path source) throws IOException {
        CRC32 crc = new CRC32();
        long size;
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
            size = ch.size();
            crcRange(ch, 0, Math.min(size, SAMPLE), crc);
            crcRange(ch, Math.max(0, size - SAMPLE), size, crc);
        }
        return new Fingerprint(size, Files.getLastModifiedTime(source).toMillis(), crc.getValue());
    }

    private static void crcRange(FileChannel ch, long from, long to, CRC32 crc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (to - from));
        long pos = from;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        b.flip();
        crc.update(b);
    }

    /**
     * The index at {@code idx} when it belongs to the file with {@code fp}; null when it is missing, stale or
     * damaged (the caller rebuilds it).
     */
    static Loaded load(Path idx, Fingerprint fp) {
        if (!Files.isRegularFile(idx)) {
            return null;
        }
        try {
            long length = Files.size(idx);
            if (length < MAGIC.length + 8 * 3 + 5 + 4 + 8) {
                return null;
            }
            // check the trailer first: a damaged file is rejected before any of it is trusted
            if (!trailerOk(idx, length)) {
                return null;
            }
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(idx), 1 << 16)) {
                DataInputStream in = new DataInputStream(raw);
                byte[] magic = new byte[MAGIC.length];
                in.readFully(magic);
                if (!Arrays.equals(magic, MAGIC)) {
                    return null;
                }
                if (in.readLong() != fp.size() || in.readLong() != fp.mtimeMs() || in.readLong() != fp.crc()) {
                    return null;
                }
                int dialect = in.readUnsignedByte();
                int version = in.readInt();
                if (dialect >= Dialect.values().length) {
                    return null;
                }
                KeyIndex ix = KeyIndex.read(in, idx.toString(), length);
                Begin begin = new Begin(SourceKind.RDB, idx.toString(), Dialect.values()[dialect], version, 0);
                return new Loaded(ix, begin);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean trailerOk(Path idx, long length) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(idx), 1 << 16), crc)) {
            long left = length - 8;
            byte[] buf = new byte[1 << 16];
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    return false;
                }
                left -= r;
            }
            long expected = crc.getValue();
            return new DataInputStream(in).readLong() == expected;
        }
    }

    /** Writes the index atomically (a temporary file renamed over {@code idx}). */
    static void save(Path idx, Fingerprint fp, Begin begin, KeyIndex ix) throws IOException {
        Path tmp = idx.resolveSibling(idx.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try {
            CRC32 crc = new CRC32();
            try (OutputStream raw = Files.newOutputStream(tmp)) {
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
                DataOutputStream out = new DataOutputStream(checked);
                out.write(MAGIC);
                out.writeLong(fp.size());
                out.writeLong(fp.mtimeMs());
                out.writeLong(fp.crc());
                out.writeByte(begin.dialect() == null ? 0 : begin.dialect().ordinal());
                out.writeInt(begin.rdbVersion());
                ix.write(out);
                out.flush();
                new DataOutputStream(raw).writeLong(crc.getValue());
            }
            try {
                Files.move(tmp, idx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, idx, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
