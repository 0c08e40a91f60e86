package io.redkit.diff;

import io.redkit.core.event.DataType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * What one side knows of one key after the first pass: its place (db, key bytes), type, expiry, size and a
 * 128-bit digest of its canonical value, plus a short preview of string values for the report.
 *
 * @param db       database number
 * @param key      the key bytes
 * @param type     the user-visible type
 * @param expireMs absolute expiry in unix ms, or -1 for none
 * @param size     string length in bytes, or element count of a collection (stream: entries)
 * @param hi       high 64 bits of the value digest
 * @param lo       low 64 bits of the value digest
 * @param preview  the first bytes of a string value, empty for other types
 */
public record DigestRecord(int db, byte[] key, DataType type, long expireMs, long size, long hi, long lo,
                           byte[] preview) {
    /** How many bytes of a string value the record keeps for the report. */
    public static final int PREVIEW_BYTES = 48;

    /** The order of both sides in the merge-join: db, then key bytes unsigned. */
    public static final Comparator<DigestRecord> ORDER = (a, b) -> {
        int c = Integer.compare(a.db, b.db);
        return c != 0 ? c : Arrays.compareUnsigned(a.key, b.key);
    };

    /** Keys longer than this in a spill file mean the file is damaged (Redis caps keys at 512 MB). */
    private static final int MAX_KEY = 512 << 20;
    private static final DataType[] TYPES = DataType.values();

    /** True when both records describe the same value (type and digest). */
    public boolean sameValue(DigestRecord o) {
        return type == o.type && hi == o.hi && lo == o.lo;
    }

    /** A rough count of heap bytes this record holds, for the memory budget. */
    long heapEstimate() {
        // record, two arrays and their headers, the list slot that holds it
        return 112L + key.length + preview.length;
    }

    /** Writes the record to a spill file. */
    void write(DataOutput out) throws IOException {
        out.writeInt(db);
        out.writeInt(key.length);
        out.write(key);
        out.writeByte(type.ordinal());
        out.writeLong(expireMs);
        out.writeLong(size);
        out.writeLong(hi);
        out.writeLong(lo);
        out.writeByte(preview.length);
        out.write(preview);
    }

    /** Reads a record written by {@link #write}; null at a clean end of the file. */
    static DigestRecord read(DataInput in) throws IOException {
        int db;
        try {
            db = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        int keyLen = in.readInt();
        if (keyLen < 0 || keyLen > MAX_KEY) {
            throw new IOException("damaged diff spill file: key length " + keyLen);
        }
        byte[] key = new byte[keyLen];
        in.readFully(key);
        int t = in.readUnsignedByte();
        if (t >= TYPES.length) {
            throw new IOException("damaged diff spill file: type " + t);
        }
        long expire = in.readLong();
        long size = in.readLong();
        long hi = in.readLong();
        long lo = in.readLong();
        int pl = in.readUnsignedByte();
        if (pl > PREVIEW_BYTES) {
            throw new IOException("damaged diff spill file: preview length " + pl);
        }
        byte[] preview = new byte[pl];
        in.readFully(preview);
        return new DigestRecord(db, key, TYPES[t], expire, size, hi, lo, preview);
    }
}
