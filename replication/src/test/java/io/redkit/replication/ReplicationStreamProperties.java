package io.redkit.replication;

import io.redkit.core.RedkitException;
import io.redkit.core.event.Event;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

import static io.redkit.replication.FakeMaster.ascii;
import static io.redkit.replication.FakeMaster.resp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The replication stream over a real socket: whatever way the master's bytes are cut into writes,
 * the same events and offsets come out; arbitrary bytes from a master end in a typed error, never a
 * hang or another exception.
 */
class ReplicationStreamProperties {
    private static final String ID = "c".repeat(40);

    private static byte[] stream(boolean diskless) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            ReplicationSourceTest.fullSync(b, ID, 100, ReplicationSourceTest.rdb("k1", "v1", "k2", "v2"), diskless);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        b.writeBytes(resp("SELECT", "1"));
        b.writeBytes(resp("SET", "a", "1"));
        b.writeBytes(resp("PING"));
        b.writeBytes(resp("MULTI"));
        b.writeBytes(resp("INCR", "a"));
        b.writeBytes(resp("EXEC"));
        return b.toByteArray();
    }

    /** Writes {@code bytes} cut at the given sizes (cycled), flushing each piece. */
    private static void writeCut(OutputStream out, byte[] bytes, List<Integer> cuts) throws Exception {
        int pos = 0;
        for (int i = 0; pos < bytes.length; i++) {
            int n = Math.min(bytes.length - pos, cuts.get(i % cuts.size()));
            out.write(bytes, pos, n);
            out.flush();
            pos += n;
            if (i % 7 == 0) {
                Thread.sleep(1);
            }
        }
    }

    @Property(tries = 40)
    void anyCutGivesTheSameEvents(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 40) Integer> cuts,
                                  @ForAll boolean diskless) throws Exception {
        byte[] bytes = stream(diskless);
        try (FakeMaster m = new FakeMaster(null, (psync, out, sock) -> {
            writeCut(out, bytes, cuts);
            Thread.sleep(2000);
        }); ReplicationSource s = ReplicationSourceTest.source(m).build()) {
            List<String> got = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> ReplicationSourceTest.take(s, 4));
            assertEquals(List.of("key k1", "key k2", "db1@150 SET a 1", "db1@179 MULTI", "db1@200 INCR a",
                    "db1@214 EXEC"), got);
        }
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
        // junk after a valid start reaches deeper states: inside the payload, inside the stream
        byte[] valid = stream(false);
        Arbitrary<Integer> prefix = Arbitraries.integers().between(0, valid.length);
        return prefix.flatMap(p -> random.map(r -> {
            byte[] b = new byte[p + r.length];
            System.arraycopy(valid, 0, b, 0, p);
            System.arraycopy(r, 0, b, p, r.length);
            return b;
        }));
    }

    @Property(tries = 25)
    void arbitraryBytesEndInATypedError(@ForAll("junk") byte[] bytes) throws Exception {
        FakeMaster.Session session = (psync, out, sock) -> {
            out.write(bytes);
            out.flush();
        };
        // three connections get the bytes, then the master is gone
        try (FakeMaster m = new FakeMaster(null, session, session, session); ReplicationSource s = ReplicationSourceTest.source(m).readTimeoutMillis(1000).giveUpMillis(300)
                .backoffMillis(10, 20).build()) {
            m.limited = true;
            Exception e = assertThrows(Exception.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (Event ev = s.next(); ev != null; ev = s.next()) {
                    // drain
                }
            }));
            if (!(e instanceof RedkitException) && !(e instanceof ReplicationException)) {
                throw new AssertionError("unexpected " + e, e);
            }
        }
    }
}
