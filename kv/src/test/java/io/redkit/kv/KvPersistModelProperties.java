package io.redkit.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.redkit.kv.persist.AofLog;
import io.redkit.kv.persist.KvStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Acceptance 2 of issue 5: random command sequences (all types, TTLs, two databases, a manual clock) run against a
 * persistent store with fsync always and against the reference model of {@link KvModelProperties}; at random
 * points the store is closed and reopened from its directory (sometimes after a rewrite), and the recovered data
 * must equal the model's state then and at the end.
 */
class KvPersistModelProperties {
    /** A step: a command (db >= 0), clock advance (-1), restart (-2) or rewrite (-3). */
    @Provide
    Arbitrary<List<KvModelProperties.Op>> steps() {
        Arbitrary<KvModelProperties.Op> base = new KvModelProperties().ops().flatMap(l -> Arbitraries.of(l));
        Arbitrary<KvModelProperties.Op> restart = Arbitraries.just(new KvModelProperties.Op(-2, "restart"));
        Arbitrary<KvModelProperties.Op> rewrite = Arbitraries.just(new KvModelProperties.Op(-3, "rewrite"));
        Arbitrary<KvModelProperties.Op> flush = Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.of("FLUSHDB", "SPOP a")).as(KvModelProperties.Op::new);
        return Arbitraries.frequencyOf(Tuple.of(20, base), Tuple.of(2, restart), Tuple.of(1, rewrite),
                Tuple.of(1, flush)).list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 120)
    void restartGivesTheModelState(@ForAll("steps") List<KvModelProperties.Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("kv-persist-model");
        ManualClock clock = new ManualClock(1_000_000);
        KvStore.Options opts = KvStore.Options.defaults().withFsync(AofLog.Fsync.ALWAYS).withClock(clock);
        KvStore store = KvStore.open(dir, opts);
        KvModelProperties.Model model = new KvModelProperties.Model(clock);
        List<KvModelProperties.Op> done = new ArrayList<>();
        try {
            for (KvModelProperties.Op op : ops) {
                done.add(op);
                if (op.db() == -1) {
                    clock.advance(Long.parseLong(op.cmd()));
                } else if (op.db() == -2) {
                    store.close();
                    store = KvStore.open(dir, opts);
                    assertEquals(model.dump(), KvModelProperties.dump(store.engine().snapshot()), "after " + done);
                } else if (op.db() == -3) {
                    store.rewrite();
                } else if (op.cmd().equals("FLUSHDB")) {
                    assertEquals("+OK", Kv.run(store.engine(), op.db(), op.cmd()));
                    model.dbs.get(op.db()).clear();
                    model.ttls.get(op.db()).clear();
                } else if (op.cmd().startsWith("SPOP")) {
                    // random: the model follows what the engine popped
                    String got = Kv.run(store.engine(), op.db(), op.cmd());
                    if (got.length() > 2 && got.startsWith("\"")) {
                        model.run(op.db(), "SREM a " + got.substring(1, got.length() - 1));
                    }
                } else {
                    String want = model.run(op.db(), op.cmd());
                    assertEquals(want, Kv.run(store.engine(), op.db(), op.cmd()), "after " + done);
                }
            }
            store.close();
            store = KvStore.open(dir, opts);
            assertEquals(model.dump(), KvModelProperties.dump(store.engine().snapshot()), "at the end, " + done);
        } finally {
            store.close();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
