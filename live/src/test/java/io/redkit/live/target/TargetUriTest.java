package io.redkit.live.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.live.net.HostPort;
import org.junit.jupiter.api.Test;

import java.util.List;

class TargetUriTest {
    @Test
    void standaloneWithUserPasswordAndDb() {
        TargetUri u = TargetUri.parse("redis://bob:s%40cret@10.0.0.5:6380/3");
        assertEquals(TargetUri.Kind.STANDALONE, u.kind());
        assertFalse(u.tls());
        assertEquals("bob", u.user());
        assertEquals("s@cret", u.password());
        assertEquals(List.of(new HostPort("10.0.0.5", 6380)), u.nodes());
        assertEquals(3, u.db());
        assertEquals("redis://bob@10.0.0.5:6380/3", u.toString(), "no password shown");
    }

    @Test
    void tlsAndSentinel() {
        assertTrue(TargetUri.parse("rediss://h:1").tls());
        TargetUri s = TargetUri.parse("redis-sentinel://a:26379,b:26380/mymaster");
        assertEquals(TargetUri.Kind.SENTINEL, s.kind());
        assertEquals("mymaster", s.master());
        assertEquals(List.of(new HostPort("a", 26379), new HostPort("b", 26380)), s.nodes());
    }

    @Test
    void clusterSeeds() {
        TargetUri c = TargetUri.parse("redis-cluster://pw@127.0.0.1:7000,127.0.0.1:7001,[::1]:7002");
        assertEquals(TargetUri.Kind.CLUSTER, c.kind());
        assertNull(c.user());
        assertEquals("pw", c.password());
        assertEquals(List.of(new HostPort("127.0.0.1", 7000), new HostPort("127.0.0.1", 7001),
                new HostPort("::1", 7002)), c.nodes());
        assertEquals("redis-cluster://127.0.0.1:7000,127.0.0.1:7001,[::1]:7002", c.toString());
        assertTrue(TargetUri.parse("rediss-cluster://h:1").tls());
    }

    @Test
    void badAddressesNameTheirFault() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("redis-cluster://h:1/2"))
                .getMessage().contains("db 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("redis-cluster://h:x"))
                .getMessage().contains("port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TargetUri.parse("redis-cluster://h:70000"))
                .getMessage().contains("out of range"));
        assertFalse(TargetUri.isTarget("kv:/tmp/x"));
        assertFalse(TargetUri.isTarget("dump.rdb"));
        assertTrue(TargetUri.isTarget("redis-cluster://h:1"));
    }

    @Test
    void everyFormSharesOneHostAndCredentialParser() {
        TargetUri s = TargetUri.parse("redis-sentinel://u:p%2Bw@[::1]:26380,h/m/2");
        assertEquals(List.of(new HostPort("::1", 26380), new HostPort("h", 26379)), s.nodes());
        assertEquals("u", s.user());
        assertEquals("p+w", s.password());
        assertEquals(2, s.db());
        TargetUri c = TargetUri.parse("redis-cluster://:secret@h:1,h:2/0");
        assertNull(c.user());
        assertEquals("secret", c.password());
        assertEquals(List.of(new HostPort("h", 1), new HostPort("h", 2)), c.nodes());
        assertEquals(new HostPort("::1", 7000), HostPort.parse("[::1]:7000", 1));
        assertEquals("[::1]:7000", new HostPort("::1", 7000).toString());
        for (String bad : new String[]{"redis://[::1", "redis://[::1]x", "redis://:1", "redis-cluster://h:1,",
                "redis-sentinel://h:0/m", "redis://h/x"}) {
            assertThrows(IllegalArgumentException.class, () -> TargetUri.parse(bad), bad);
        }
    }
}
