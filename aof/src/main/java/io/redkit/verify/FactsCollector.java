package io.redkit.verify;

import io.redkit.core.Bytes;
import io.redkit.core.event.Aux;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.DataType;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/** Gathers {@link Facts} from events; one per report, merged over the files of a directory. */
final class FactsCollector {
    private static final byte[] CTIME = "ctime".getBytes(StandardCharsets.US_ASCII);

    private long keys;
    private long commands;
    private int rdbParts;
    private long ctimeS = -1;
    private long newestTs = -1;
    private final Set<DataType> types = EnumSet.noneOf(DataType.class);
    private long largestKeyBytes = -1;
    private byte[] largestKey;
    private boolean checksumVerified;

    void accept(Event e) {
        switch (e.kind()) {
            case BEGIN:
                if (((Begin) e).rdbVersion() >= 0) {
                    rdbParts++;
                }
                break;
            case AUX: {
                Aux a = (Aux) e;
                if (java.util.Arrays.equals(a.name(), CTIME)) {
                    Long v = Bytes.parseLong(a.value());
                    if (v != null) {
                        ctimeS = Math.max(ctimeS, v);
                    }
                }
                break;
            }
            case KEY_START: {
                KeyHeader h = ((KeyStart) e).header();
                keys++;
                types.add(h.type());
                if (h.key().length > largestKeyBytes) {
                    largestKeyBytes = h.key().length;
                    // a reader may reuse the array after the next event: keep a copy (only on a new maximum)
                    largestKey = h.key().clone();
                }
                break;
            }
            case COMMAND: {
                Command c = (Command) e;
                commands++;
                newestTs = Math.max(newestTs, c.timestampS());
                break;
            }
            case END:
                checksumVerified |= ((End) e).checksumVerified();
                break;
            default:
                break;
        }
    }

    Facts facts() {
        return new Facts(keys, commands, rdbParts, ctimeS, newestTs, Set.copyOf(types), largestKeyBytes,
                largestKey == null ? null : Bytes.preview(largestKey), checksumVerified);
    }
}
