package io.redkit.formats.json;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import io.redkit.core.Bytes;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A string value that arrived in several parts. Whether it is written as a JSON string or as
 * {@code {"b64": ...}} depends on all of its bytes, so the parts are kept (in memory up to a
 * budget, then in a temporary file) while UTF-8 validity is tracked across part boundaries; the
 * value is then streamed out without ever being one array.
 */
final class BigString implements Closeable {
    private final long memoryBudget;
    private final Path tempDir;
    private final List<byte[]> parts = new ArrayList<>();
    private long memBytes;
    private long length;
    private Path file;
    private OutputStream fileOut;

    private boolean valid = true;
    private final byte[] carry = new byte[4];
    private int carryLen;

    BigString(long memoryBudget, Path tempDir) {
        this.memoryBudget = memoryBudget;
        this.tempDir = tempDir;
    }

    /** Adds the next part; the array is kept by reference while in memory (events are immutable). */
    void add(byte[] part) throws IOException {
        updateUtf8(part, 0, part.length);
        length += part.length;
        if (fileOut == null && memBytes + part.length <= memoryBudget) {
            parts.add(part);
            memBytes += part.length;
            return;
        }
        if (fileOut == null) {
            file = tempDir == null ? Files.createTempFile("redkit-str", ".tmp")
                    : Files.createTempFile(tempDir, "redkit-str", ".tmp");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            for (byte[] p : parts) {
                fileOut.write(p);
            }
            parts.clear();
            memBytes = 0;
        }
        fileOut.write(part);
    }

    /** Total bytes added. */
    long length() {
        return length;
    }

    /** True when every byte added so far forms well-formed UTF-8 (complete at the end). */
    boolean isUtf8() {
        return valid && carryLen == 0;
    }

    /**
     * Writes the value as the next JSON value of {@code g}. A UTF-8 string bypasses the generator
     * (which has no streaming string write for bytes): the generator is flushed, its separator
     * emitted through an empty raw value, and the escaped bytes go straight to {@code raw}.
     */
    void writeJson(JsonGenerator g, OutputStream raw) throws IOException {
        if (isUtf8()) {
            g.writeRawValue("");
            g.flush();
            raw.write('"');
            byte[] scratch = new byte[1 << 16];
            try (InputStream in = open()) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    JsonText.escapeUtf8(buf, 0, n, raw, scratch);
                }
            }
            raw.write('"');
        } else {
            g.writeStartObject();
            g.writeFieldName(JsonText.B64);
            try (InputStream in = open()) {
                g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, in, -1);
            }
            g.writeEndObject();
        }
    }

    /**
     * Writes the value as a JSON string in any case, as redis-rdb-tools does: when the bytes are
     * not UTF-8 each byte becomes the character of the same code (ISO-8859-1).
     */
    void writeLatin1Json(JsonGenerator g, OutputStream raw) throws IOException {
        boolean utf8 = isUtf8();
        g.writeRawValue("");
        g.flush();
        raw.write('"');
        byte[] scratch = new byte[1 << 16];
        try (InputStream in = open()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (utf8) {
                    JsonText.escapeUtf8(buf, 0, n, raw, scratch);
                } else {
                    JsonText.escapeLatin1(buf, 0, n, raw, scratch);
                }
            }
        }
        raw.write('"');
    }

    /** The bytes added, in order. */
    InputStream open() throws IOException {
        if (fileOut != null) {
            fileOut.flush();
            return Files.newInputStream(file);
        }
        List<InputStream> ins = new ArrayList<>(parts.size());
        for (byte[] p : parts) {
            ins.add(new ByteArrayInputStream(p));
        }
        return new SequenceInputStream(Collections.enumeration(ins));
    }

    @Override
    public void close() throws IOException {
        parts.clear();
        if (fileOut != null) {
            try {
                fileOut.close();
            } finally {
                fileOut = null;
                Files.deleteIfExists(file);
            }
        }
    }

    private void updateUtf8(byte[] b, int off, int len) {
        if (!valid) {
            return;
        }
        int i = off;
        int end = off + len;
        if (carryLen > 0) {
            int need = seqLen(carry[0] & 0xFF) - carryLen;
            while (need > 0 && i < end) {
                carry[carryLen++] = b[i++];
                need--;
            }
            if (need > 0) {
                return;
            }
            if (!Bytes.isUtf8(carry, 0, carryLen)) {
                valid = false;
                return;
            }
            carryLen = 0;
        }
        // a multi-byte sequence cut by the part boundary is carried over to the next part
        int cut = end;
        for (int k = end - 1; k >= Math.max(i, end - 3); k--) {
            int c = b[k] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue;
            }
            int n = seqLen(c);
            if (n > 0 && k + n > end) {
                cut = k;
            }
            break;
        }
        if (!Bytes.isUtf8(b, i, cut - i)) {
            valid = false;
            return;
        }
        for (int k = cut; k < end; k++) {
            carry[carryLen++] = b[k];
        }
    }

    private static int seqLen(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }
}
