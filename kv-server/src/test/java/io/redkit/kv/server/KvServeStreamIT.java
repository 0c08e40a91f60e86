package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;

/**
 * Streams beyond the random sequences, side by side with a real redis-server 7: XREADGROUP BLOCK woken by XADD
 * (with and without NOACK), its timeout, XINFO STREAM and XINFO STREAM FULL (fields without clock values). A
 * client is known to be blocked when CLIENT LIST shows its {@code b} flag, so no step depends on timing.
 */
class KvServeStreamIT {
    @RegisterExtension
    static final SideBySide servers = new SideBySide();

    /** Runs the scenario on one server; returns the replies in order. */
    private static List<String> blockingScenario(int port) throws IOException, InterruptedException {
        try (RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
            java.util.List<String> out = new java.util.ArrayList<>();
            out.add(b.call("FLUSHALL"));
            out.add(b.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"));
            out.add(b.call("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "20", "STREAMS", "s", ">"));
            // woken by an XADD
            a.send(RawClient.encode(RawClient.args("XREADGROUP", "GROUP", "g", "c1", "COUNT", "5", "BLOCK", "0",
                    "STREAMS", "s", ">")));
            awaitBlocked(b, 1);
            out.add(b.call("XADD", "s", "1-1", "f", "v"));
            out.add(a.read());
            out.add(b.call("XPENDING", "s", "g"));
            // NOACK: delivered, not pending
            a.send(RawClient.encode(RawClient.args("XREADGROUP", "GROUP", "g", "c2", "NOACK", "BLOCK", "0",
                    "STREAMS", "s", ">")));
            awaitBlocked(b, 1);
            out.add(b.call("XADD", "s", "2-1", "f", "w"));
            out.add(a.read());
            out.add(b.call("XPENDING", "s", "g"));
            // a history read does not block
            out.add(b.call("XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", "0"));
            out.add(b.call("XREADGROUP", "GROUP", "nog", "c1", "BLOCK", "0", "STREAMS", "s", ">"));
            out.add(b.call("XINFO", "STREAM", "s"));
            out.add(b.call("XDEL", "s", "2-1"));
            out.add(b.call("XINFO", "STREAM", "s"));
            out.add(b.call("XINFO", "GROUPS", "s"));
            out.add(b.call("XGROUP", "CREATE", "s", "fresh", "0"));
            out.add(b.call("XADD", "t", "5-5", "a", "b"));
            out.add(b.call("XGROUP", "CREATE", "t", "gt", "0"));
            out.add(b.call("XINFO", "STREAM", "t", "FULL"));
            out.add(b.call("XINFO", "STREAM", "t", "FULL", "COUNT", "1"));
            out.add(b.call("XINFO", "STREAM", "t", "FULLX"));
            out.add(b.call("XINFO", "STREAM", "t", "FULL", "COUNT"));
            out.add(b.call("XINFO", "STREAM"));
            out.add(b.call("XINFO", "STREAM", "nokey"));
            out.add(b.call("SET", "str", "x"));
            out.add(b.call("XINFO", "STREAM", "str"));
            return out;
        }
    }

    private static void awaitBlocked(RawClient observer, int n) throws IOException, InterruptedException {
        for (int i = 0; i < 2000; i++) {
            String list = observer.call("CLIENT", "LIST");
            if (list.split("flags=b", -1).length - 1 >= n) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IOException("the reader never blocked");
    }

    @Test
    void blockingReadGroupAndInfoAgree() throws Exception {
        List<String> ours = blockingScenario(servers.kv.port());
        List<String> theirs = blockingScenario(servers.redisPort);
        assertEquals(theirs.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            assertEquals(theirs.get(i), ours.get(i), "step " + i);
        }
    }

    @Test
    void readGroupTimesOut() throws Exception {
        try (RawClient a = new RawClient(servers.kv.port())) {
            a.call("XGROUP", "CREATE", "to", "g", "$", "MKSTREAM");
            assertEquals("*-1", a.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "30", "STREAMS", "to", ">"));
            a.call("HELLO", "3");
            assertEquals("_", a.call("XREADGROUP", "GROUP", "g", "c", "BLOCK", "30", "STREAMS", "to", ">"));
            assertTrue(a.call("PING").contains("PONG"));
        }
    }
}
