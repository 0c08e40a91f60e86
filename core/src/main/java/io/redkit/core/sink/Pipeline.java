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

    /**
     * Runs the source to its end into the sink. Does not close either. For a sink that does not
     * want values, each kept key's parts are dropped here after {@link EventSource#checkValue()}.
     */
    public static void run(EventSource source, KeyFilter filter, Sink sink) throws IOException {
        boolean all = filter.keepsAll();
        boolean values = sink.wantsValues();
        boolean skipping = false;
        boolean dropping = false;
        Event e;
        while ((e = source.next()) != null) {
            if (!all || !values) {
                EventKind k = e.kind();
                if (skipping) {
                    // a rejected key's events, up to and with its KeyEnd
                    if (k == EventKind.KEY_END) {
                        skipping = false;
                    }
                    continue;
                }
                if (dropping) {
                    // a kept key's value parts, for a sink that does not want them; its KeyEnd goes on
                    if (k != EventKind.KEY_END) {
                        continue;
                    }
                    dropping = false;
                } else if (k == EventKind.KEY_START) {
                    if (!all && !filter.test(((KeyStart) e).header())) {
                        source.skipValue();
                        skipping = true;
                        continue;
                    }
                    if (!values) {
                        sink.accept(e);
                        source.checkValue();
                        dropping = true;
                        continue;
                    }
                } else if (!all && k == EventKind.COMMAND && !filter.acceptsDb(((Command) e).db())) {
                    continue;
                }
            }
            sink.accept(e);
        }
    }
}
