package io.redkit.core.sink;

import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyStart;

import java.io.IOException;

/**
 * The push loop on top of a pull source: reads every event, drops keys the filter rejects
 * (skipping their values without decoding them) and hands the rest to the sink.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** Runs the source to its end into the sink. Does not close either. */
    public static void run(EventSource source, KeyFilter filter, Sink sink) throws IOException {
        boolean all = filter.keepsAll();
        boolean skipping = false;
        Event e;
        while ((e = source.next()) != null) {
            if (!all) {
                EventKind k = e.kind();
                if (k == EventKind.KEY_START) {
                    if (!filter.test(((KeyStart) e).header())) {
                        source.skipValue();
                        skipping = true;
                        continue;
                    }
                } else if (skipping && k == EventKind.KEY_END) {
                    skipping = false;
                    continue;
                } else if (k == EventKind.COMMAND && !filter.acceptsDb(((Command) e).db())) {
                    continue;
                }
                if (skipping) {
                    continue;
                }
            }
            sink.accept(e);
        }
    }
}
