package io.redkit.formats;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StreamPending;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.event.Elements;
import io.redkit.core.sink.Sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hand-built event sequences for sink tests. */
public final class Ev {
    private Ev() {
    }

    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static KeyHeader h(int db, byte[] key, DataType t, long expire) {
        return new KeyHeader(db, key, t, null, expire, -1, -1, -1, 0);
    }

    public static KeyHeader h(int db, String key, DataType t) {
        return h(db, b(key), t, -1);
    }

    /** KeyStart, the parts, KeyEnd. */
    public static List<Event> key(KeyHeader h, Event... parts) {
        List<Event> l = new ArrayList<>();
        l.add(new KeyStart(h));
        l.addAll(Arrays.asList(parts));
        l.add(new KeyEnd(h, null, 0));
        return l;
    }

    public static List<Event> string(int db, String key, String value) {
        return key(h(db, key, DataType.STRING), new StringPart(b(value), true, 0));
    }

    public static Elements elements(String... items) {
        List<byte[]> l = new ArrayList<>();
        for (String s : items) {
            l.add(b(s));
        }
        return new Elements(l, 0);
    }

    public static HashFields fields(Object... fieldValueTtl) {
        List<HashField> l = new ArrayList<>();
        for (int i = 0; i < fieldValueTtl.length; i += 3) {
            l.add(new HashField(b((String) fieldValueTtl[i]), b((String) fieldValueTtl[i + 1]),
                    ((Number) fieldValueTtl[i + 2]).longValue()));
        }
        return new HashFields(l, 0);
    }

    public static ZSetMembers zmembers(Object... memberScore) {
        List<ScoredMember> l = new ArrayList<>();
        for (int i = 0; i < memberScore.length; i += 2) {
            l.add(new ScoredMember(b((String) memberScore[i]), ((Number) memberScore[i + 1]).doubleValue()));
        }
        return new ZSetMembers(l, 0);
    }

    /** A stream: two entries, a group "g2" with consumer "bob" (1 pending) and "alice" (0), and an empty group "g1". */
    public static List<Event> stream(int db, String key) {
        StreamId id1 = new StreamId(1, 0);
        StreamId id2 = new StreamId(2, 5);
        StreamEntries entries = new StreamEntries(List.of(
                new StreamEntry(id1, List.of(b("f"), b("v1"))),
                new StreamEntry(id2, List.of(b("f"), b("v2"), b("g"), b("x")))), 0);
        StreamGroup g2 = new StreamGroup(b("g2"), id2, 2,
                List.of(new StreamPending(id1, 1700000000000L, 3)),
                List.of(new StreamConsumer(b("bob"), 1, -1, List.of(id1)),
                        new StreamConsumer(b("alice"), 1, -1, List.of())), List.of());
        StreamGroup g1 = new StreamGroup(b("g1"), StreamId.ZERO, -1, List.of(), List.of(), List.of());
        StreamMeta meta = new StreamMeta(2, new StreamId(3, 0), id1, new StreamId(1, 9), 4, List.of(g2, g1), null, 0);
        return key(h(db, key, DataType.STREAM), entries, meta);
    }

    /** Feeds every event and closes the sink. */
    @SafeVarargs
    public static void run(Sink sink, List<Event>... seqs) throws IOException {
        for (List<Event> s : seqs) {
            for (Event e : s) {
                sink.accept(e);
            }
        }
        sink.close();
    }
}
