package io.redkit.core.sink;

import io.redkit.core.Bytes;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.SelectDb;
import io.redkit.core.event.StringPart;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PipelineTest {
    private static KeyHeader h(int db, String key, DataType t, long expire) {
        return new KeyHeader(db, Bytes.of(key), t, "x", expire, -1, -1, -1, 0);
    }

    /** A scripted source whose skipValue drops the parts up to KeyEnd, as a reader does. */
    private static final class Scripted implements EventSource {
        final Deque<Event> events;
        int skips;
        int checks;

        Scripted(List<Event> events) {
            this.events = new ArrayDeque<>(events);
        }

        @Override
        public Event next() {
            return events.poll();
        }

        @Override
        public void skipValue() {
            skips++;
            while (events.peek() != null && events.peek().kind() != EventKind.KEY_END) {
                events.poll();
            }
        }

        @Override
        public void checkValue() {
            checks++;
        }

        @Override
        public void close() {
        }
    }

    /** A sink that looks at key headers only and records what reaches it. */
    private static final class HeadersOnly implements Sink {
        final List<String> seen = new ArrayList<>();

        @Override
        public void accept(Event e) {
            seen.add(e.kind() + (e instanceof KeyStart ks ? ":" + new String(ks.header().key()) : ""));
        }

        @Override
        public boolean wantsValues() {
            return false;
        }
    }

    @Test
    void aSinkWithoutValuesGetsKeyStartAndKeyEndOnlyAndTheSourceChecksEachKeptValue() throws Exception {
        List<Event> in = new ArrayList<>();
        in.add(new SelectDb(0, 0));
        in.addAll(key(h(0, "user:1", DataType.STRING, -1)));
        in.addAll(key(h(0, "order:1", DataType.LIST, -1)));
        in.addAll(key(h(0, "user:2", DataType.LIST, -1)));
        Scripted src = new Scripted(in);
        HeadersOnly sink = new HeadersOnly();
        Pipeline.run(src, KeyFilter.builder().glob(Bytes.of("user:*")).build(), sink);
        assertEquals(List.of("SELECT_DB", "KEY_START:user:1", "KEY_END", "KEY_START:user:2", "KEY_END"), sink.seen);
        assertEquals(1, src.skips);
        assertEquals(2, src.checks);

        Scripted all = new Scripted(in);
        HeadersOnly sink2 = new HeadersOnly();
        Pipeline.run(all, KeyFilter.all(), sink2);
        assertEquals(List.of("SELECT_DB", "KEY_START:user:1", "KEY_END", "KEY_START:order:1", "KEY_END",
                "KEY_START:user:2", "KEY_END"), sink2.seen);
        assertEquals(3, all.checks);
    }

    private static List<Event> key(KeyHeader h) {
        return List.of(new KeyStart(h), h.type() == DataType.STRING ? new StringPart(Bytes.of("v"), true, 0)
                : new Elements(List.of(Bytes.of("e")), 0), new KeyEnd(h, null, 0));
    }

    @Test
    void filteredKeysAreSkippedWholeAndOthersPassInOrder() throws Exception {
        List<Event> in = new ArrayList<>();
        in.add(new SelectDb(0, 0));
        in.addAll(key(h(0, "user:1", DataType.STRING, -1)));
        in.addAll(key(h(0, "order:1", DataType.STRING, -1)));
        in.addAll(key(h(1, "user:2", DataType.LIST, -1)));
        in.addAll(key(h(0, "user:3", DataType.STRING, 1000)));
        Scripted src = new Scripted(in);
        List<String> seen = new ArrayList<>();
        KeyFilter f = KeyFilter.builder().glob(Bytes.of("user:*")).types(Set.of(DataType.STRING))
                .expiry(KeyFilter.Expiry.NOT_EXPIRED).nowMs(2000).build();
        Pipeline.run(src, f, e -> seen.add(e.kind() + (e instanceof KeyStart ks ? ":" + new String(ks.header().key()) : "")));
        assertEquals(List.of("SELECT_DB", "KEY_START:user:1", "STRING_PART", "KEY_END"), seen);
        assertEquals(3, src.skips);
    }

    @Test
    void regexAndDbFilters() {
        KeyFilter f = KeyFilter.builder().regex(Pattern.compile("^a.c$")).dbs(Set.of(2)).build();
        assertEquals(true, f.test(h(2, "abc", DataType.SET, -1)));
        assertEquals(false, f.test(h(1, "abc", DataType.SET, -1)));
        assertEquals(false, f.test(h(2, "abcd", DataType.SET, -1)));
        assertEquals(true, KeyFilter.all().keepsAll());
    }
}
