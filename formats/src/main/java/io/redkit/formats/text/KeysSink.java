package io.redkit.formats.text;

import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.Sink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The {@code keys} format: one key per line, its raw bytes followed by a newline (a key holding a
 * newline therefore spans lines; the bytes are never altered). With {@code printDb} each line
 * starts with the db number and a tab. Flushes but does not close the stream.
 */
public final class KeysSink implements Sink {
    private final BufferedOutputStream out;
    private final boolean printDb;
    private final byte[] digits = new byte[12];

    /** A keys sink; {@code printDb} prefixes each key with {@code db<TAB>}. */
    public KeysSink(OutputStream out, boolean printDb) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.printDb = printDb;
    }

    @Override
    public void accept(Event e) throws IOException {
        if (e.kind() != EventKind.KEY_START) {
            return;
        }
        KeyHeader h = ((KeyStart) e).header();
        if (printDb) {
            int db = h.db();
            int n = digits.length;
            do {
                digits[--n] = (byte) ('0' + db % 10);
                db /= 10;
            } while (db > 0);
            out.write(digits, n, digits.length - n);
            out.write('\t');
        }
        out.write(h.key());
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
