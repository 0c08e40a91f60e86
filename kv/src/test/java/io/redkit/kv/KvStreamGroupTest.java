package io.redkit.kv;

import static io.redkit.kv.Kv.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redkit.core.event.Event;
import io.redkit.core.sink.EventSource;

import org.junit.jupiter.api.Test;

/** Consumer groups where replies depend on the clock (idle times), and groups surviving a snapshot and a load. */
class KvStreamGroupTest {
    private static KvEngine filled(ManualClock clock) {
        KvEngine e = new KvEngine(clock);
        run(e, "XADD s 1-1 a 1");
        run(e, "XADD s 2-1 b 2");
        run(e, "XADD s 3-1 c 3");
        run(e, "XGROUP CREATE s g 0");
        run(e, "XREADGROUP GROUP g alice COUNT 2 STREAMS s >");
        clock.advance(500);
        run(e, "XREADGROUP GROUP g bob STREAMS s >");
        clock.advance(100);
        return e;
    }

    @Test
    void extendedPendingAndConsumersReportIdleTimes() {
        ManualClock clock = new ManualClock(1_000_000);
        KvEngine e = filled(clock);
        assertEquals("[[\"1-1\", \"alice\", :600, :1], [\"2-1\", \"alice\", :600, :1], [\"3-1\", \"bob\", :100, :1]]",
                run(e, "XPENDING s g - + 10"));
        assertEquals("[[\"1-1\", \"alice\", :600, :1], [\"2-1\", \"alice\", :600, :1]]",
                run(e, "XPENDING s g IDLE 200 - + 10"));
        assertEquals("[[\"3-1\", \"bob\", :100, :1]]", run(e, "XPENDING s g - + 10 bob"));
        assertEquals("[[\"2-1\", \"alice\", :600, :1]]", run(e, "XPENDING s g (1-1 + 1"));
        assertEquals("[[\"name\", \"alice\", \"pending\", :2, \"idle\", :600], "
                + "[\"name\", \"bob\", \"pending\", :1, \"idle\", :100]]", run(e, "XINFO CONSUMERS s g"));
        // a history read counts a delivery and restarts the idle time
        run(e, "XREADGROUP GROUP g alice COUNT 1 STREAMS s 0");
        assertEquals("[[\"1-1\", \"alice\", :0, :2]]", run(e, "XPENDING s g - 1-1 10"));
        assertEquals("[[\"name\", \"alice\", \"pending\", :2, \"idle\", :0], "
                + "[\"name\", \"bob\", \"pending\", :1, \"idle\", :100]]", run(e, "XINFO CONSUMERS s g"));
    }

    @Test
    void groupsSurviveSnapshotAndLoad() throws Exception {
        ManualClock clock = new ManualClock(1_000_000);
        KvEngine e = filled(clock);
        KvEngine copy = new KvEngine(clock);
        KvLoader loader = new KvLoader(copy, KvLoader.OnExisting.ERROR, true, "test");
        try (EventSource src = e.snapshot()) {
            for (Event ev = src.next(); ev != null; ev = src.next()) {
                loader.accept(ev);
            }
        }
        for (String cmd : new String[] {"XPENDING s g", "XPENDING s g - + 10", "XINFO GROUPS s",
            "XINFO CONSUMERS s g"}) {
            assertEquals(run(e, cmd), run(copy, cmd), cmd);
        }
        // the loaded group is mutable and independent of the source
        assertEquals(":2", run(copy, "XACK s g 1-1 2-1"));
        assertEquals("[:1, \"3-1\", \"3-1\", [[\"bob\", \"1\"]]]", run(copy, "XPENDING s g"));
        assertEquals("[:3, \"1-1\", \"3-1\", [[\"alice\", \"2\"], [\"bob\", \"1\"]]]", run(e, "XPENDING s g"));
    }

    @Test
    void claimSetsDeliveryTimeAndCount() {
        ManualClock clock = new ManualClock(1_000_000);
        KvEngine e = filled(clock);
        // alice's entries are 600 ms idle: a 1000 ms minimum leaves them, 500 ms takes them
        assertEquals("[]", run(e, "XCLAIM s g carol 1000 1-1 2-1 JUSTID"));
        assertEquals("[\"1-1\", \"2-1\"]", run(e, "XCLAIM s g carol 500 1-1 2-1 JUSTID"));
        assertEquals("[[\"1-1\", \"carol\", :0, :1]]", run(e, "XPENDING s g - 1-1 10"));
        run(e, "XCLAIM s g dave 0 1-1 IDLE 250");
        assertEquals("[[\"1-1\", \"dave\", :250, :2]]", run(e, "XPENDING s g - 1-1 10"));
        run(e, "XCLAIM s g dave 0 1-1 TIME 999000 RETRYCOUNT 7");
        assertEquals("[[\"1-1\", \"dave\", :1600, :7]]", run(e, "XPENDING s g - 1-1 10"));
        // a time in the future is taken as now
        run(e, "XCLAIM s g dave 0 1-1 TIME 99999999999 JUSTID");
        assertEquals("[[\"1-1\", \"dave\", :0, :7]]", run(e, "XPENDING s g - 1-1 10"));
    }

    @Test
    void claimIsLoggedWithoutClockDependentChoices() {
        ManualClock clock = new ManualClock(1_000_000);
        KvEngine e = filled(clock);
        run(e, "XDEL s 3-1");
        java.util.List<String> logged = new java.util.ArrayList<>();
        e.writeLog(new WriteLog() {
            @Override
            public long append(int db, long nowMs, long cutGen, java.util.List<byte[]> argv) {
                java.util.List<String> words = new java.util.ArrayList<>();
                for (byte[] b : argv) {
                    words.add(new String(b, java.nio.charset.StandardCharsets.UTF_8));
                }
                logged.add(String.join(" ", words));
                return 1;
            }

            @Override
            public boolean await(long ticket) {
                return true;
            }
        });
        run(e, "XCLAIM s g carol 500 1-1 2-1 3-1 IDLE 100 RETRYCOUNT 4 LASTID 5-0");
        assertEquals(java.util.List.of("XCLAIM s g carol 0 1-1 2-1 3-1 TIME 1000500 RETRYCOUNT 4 LASTID 5-0"),
                logged);
        KvEngine replay = filled(new ManualClock(1_000_000));
        run(replay, "XDEL s 3-1");
        run(replay, logged.get(0));
        assertEquals(run(e, "XPENDING s g - + 10"), run(replay, "XPENDING s g - + 10"));
        assertEquals(run(e, "XINFO GROUPS s"), run(replay, "XINFO GROUPS s"));
    }
}
