package io.redkit.rdb;

import io.redkit.core.ErrorKind;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import io.redkit.rdb.encoding.Crc64;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * DUMP payloads (what DUMP returns and RESTORE takes) read as one-key RDB streams by {@link RdbReader}.
 *
 * <pre>
 * &lt;type byte&gt; &lt;value, as in an RDB file&gt; &lt;RDB version: 2 bytes LE&gt; &lt;CRC64 of all before: 8 bytes LE&gt;
 * </pre>
 *
 * The wrapper puts an RDB header, the database, the expiry and the key in front of the value and an EOF opcode
 * with a zero (unchecked) checksum behind it; the payload's own CRC64 is what is checked.
 */
public final class DumpPayloads {
    /** Bytes after the value: the version and the CRC64. */
    public static final int FOOTER_BYTES = 10;
    /** The smallest payload: a type byte and the footer. */
    public static final int MIN_BYTES = 1 + FOOTER_BYTES;
    /** The first version of the Valkey dialect; payloads from this version on get a {@code VALKEY} header. */
    private static final int VALKEY_FIRST = RdbTables.VALKEY_MIN_VERSION;
    /** EOF opcode and a zero checksum, which readers do not check. */
    private static final byte[] TRAILER = {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0};

    private DumpPayloads() {
    }

    /** The RDB version in the footer of {@code payload}, or -1 when it is too short to have one. */
    public static int version(byte[] payload) {
        int n = payload.length;
        return n < MIN_BYTES ? -1 : (payload[n - 10] & 0xff) | (payload[n - 9] & 0xff) << 8;
    }

    /** True when the footer's CRC64 matches the bytes before it. */
    public static boolean checksumValid(byte[] payload) {
        int n = payload.length;
        if (n < MIN_BYTES) {
            return false;
        }
        return Crc64.update(0, payload, 0, n - 8) == storedChecksum(payload, n - 8);
    }

    /** The little-endian CRC64 stored at {@code off} (8 bytes). */
    public static long storedChecksum(byte[] b, int off) {
        long stored = 0;
        for (int i = 7; i >= 0; i--) {
            stored = stored << 8 | (b[off + i] & 0xff);
        }
        return stored;
    }

    /**
     * A reader of one key from a whole payload: footer checked first (at least {@link #MIN_BYTES}, version at most
     * {@code maxVersion}, CRC64), then events Begin, [SelectDb], KeyStart..KeyEnd, End.
     *
     * @param expireAtMs absolute expiry in unix ms, or -1 for none
     * @throws RedkitException BAD_VERSION or CHECKSUM when the footer is wrong
     */
    public static RdbReader read(byte[] payload, byte[] key, int db, long expireAtMs, int maxVersion,
                                 String source, Limits limits) throws RedkitException {
        int n = payload.length;
        int version = version(payload);
        if (version < 0) {
            throw new RedkitException(ErrorKind.TRUNCATED, source, n, "DUMP payload",
                    "length: found " + n + " (expected at least " + MIN_BYTES + ")");
        }
        if (version > maxVersion) {
            throw new RedkitException(ErrorKind.BAD_VERSION, source, n - 10, "DUMP payload",
                    "RDB version: found " + version + " (expected at most " + maxVersion + ")");
        }
        long computed = Crc64.update(0, payload, 0, n - 8);
        long stored = storedChecksum(payload, n - 8);
        if (computed != stored) {
            throw new RedkitException(ErrorKind.CHECKSUM, source, n - 8, "DUMP payload",
                    String.format(Locale.ROOT, "CRC64: found %016x (expected %016x)", stored, computed));
        }
        InputStream in = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(header(version)),
                new ByteArrayInputStream(keyPrefix(db != 0 ? db : -1, expireAtMs, payload[0] & 0xff, key)),
                new ByteArrayInputStream(payload, 1, n - MIN_BYTES),
                new ByteArrayInputStream(TRAILER))));
        return RdbReader.builder(in, source).limits(limits).readAhead(false).build();
    }

    /** The RDB header a payload of {@code version} is read under: {@code REDIS0010}, or {@code VALKEY080}. */
    public static byte[] header(int version) {
        String h = version >= VALKEY_FIRST ? String.format(Locale.ROOT, "VALKEY%03d", version)
                : String.format(Locale.ROOT, "REDIS%04d", Math.max(1, version));
        return h.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What goes in an RDB stream before a payload's value: SELECTDB when {@code db >= 0}, EXPIRETIME_MS when
     * {@code expireAtMs >= 0}, the type byte and the key.
     */
    public static byte[] keyPrefix(int db, long expireAtMs, int type, byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(key.length + 20);
        if (db >= 0) {
            out.write(RdbTables.OP_SELECTDB);
            writeLength(out, db);
        }
        if (expireAtMs >= 0) {
            out.write(RdbTables.OP_EXPIRETIME_MS);
            for (int i = 0; i < 8; i++) {
                out.write((int) (expireAtMs >>> (8 * i)) & 0xff);
            }
        }
        out.write(type);
        writeLength(out, key.length);
        out.writeBytes(key);
        return out.toByteArray();
    }

    /** The EOF opcode and a zero checksum: the end of a wrapped stream. */
    public static byte[] trailer() {
        return TRAILER.clone();
    }

    /** An RDB length: 6, 14 or 32 bits. */
    private static void writeLength(ByteArrayOutputStream out, long len) {
        if (len < 64) {
            out.write((int) len);
        } else if (len < 16384) {
            out.write(0x40 | (int) (len >>> 8));
            out.write((int) len & 0xff);
        } else {
            out.write(0x80);
            out.write((int) (len >>> 24) & 0xff);
            out.write((int) (len >>> 16) & 0xff);
            out.write((int) (len >>> 8) & 0xff);
            out.write((int) len & 0xff);
        }
    }
}
