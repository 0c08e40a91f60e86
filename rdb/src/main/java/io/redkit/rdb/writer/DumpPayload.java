package io.redkit.rdb.writer;

import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyStart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Builds DUMP/RESTORE payloads: {@code <type><value><rdb version uint16 LE><CRC64 LE>} with the
 * same encoding choices as {@link RdbWriter}. The whole payload is in the heap, as RESTORE needs it.
 */
public final class DumpPayload {
    private DumpPayload() {
    }

    /** The payload of one key from its events (KeyStart, value parts, KeyEnd), LZF on. */
    public static byte[] build(List<Event> keyEvents, int rdbVersion) throws IOException {
        return build(keyEvents, rdbVersion, true);
    }

    /**
     * The payload of one key from its events (KeyStart, value parts, KeyEnd; other events are refused).
     * Throws {@link io.redkit.core.RedkitException} of kind UNSUPPORTED when the version cannot hold the value.
     */
    public static byte[] build(List<Event> keyEvents, int rdbVersion, boolean compress) throws IOException {
        if (rdbVersion < RdbFormat.MIN_VERSION || rdbVersion > RdbFormat.MAX_VERSION) {
            throw new IllegalArgumentException("RDB version " + rdbVersion + " cannot be written");
        }
        if (keyEvents.isEmpty() || keyEvents.get(0).kind() != EventKind.KEY_START
                || keyEvents.get(keyEvents.size() - 1).kind() != EventKind.KEY_END) {
            throw new IllegalArgumentException("expected KeyStart, value parts, KeyEnd");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RdbOut out = new RdbOut(bytes, compress);
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
        try (KeyWriter kw = new KeyWriter(out, rdbVersion, compress, true, 8 << 20, tmp, "dump payload")) {
            kw.start(((KeyStart) keyEvents.get(0)).header());
            for (int i = 1; i < keyEvents.size() - 1; i++) {
                kw.part(keyEvents.get(i));
            }
            kw.end();
        }
        if (out.position() == 0) {
            throw new IllegalArgumentException("empty collection: RESTORE has nothing to restore");
        }
        out.writeUint16Le(rdbVersion);
        out.writeInt64Le(out.crc());
        out.flush();
        return bytes.toByteArray();
    }
}
