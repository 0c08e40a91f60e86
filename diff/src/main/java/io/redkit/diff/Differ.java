package io.redkit.diff;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares two datasets key by key. First pass: each side's keys become {@link DigestRecord}s, sorted by
 * (db, key) within the memory budget (spilling sorted runs to disk). Then a merge-join of the two sorted
 * streams counts every difference and keeps the first ones. Last, a second read of both sides gathers the
 * whole values of the first keys whose values differ and explains them element by element.
 */
public final class Differ {
    private Differ() {
    }

    /** Compares {@code pathA} with {@code pathB}. Input errors throw {@link io.redkit.core.RedkitException}. */
    public static DiffResult run(String pathA, String pathB, DiffOptions options) throws IOException {
        DiffListener listener = options.listener();
        long half = Math.max(1, options.memoryBudget() / 2);
        try (Dataset a = new Dataset(pathA, "A", options.sources(), options.filter());
             Dataset b = new Dataset(pathB, "B", options.sources(), options.filter());
             RecordSorter sa = new RecordSorter(half, options.tempDir(), "a");
             RecordSorter sb = new RecordSorter(half, options.tempDir(), "b")) {
            listener.start("digest", total(a.size(), b.size()));
            try {
                digestBoth(a, sa, b, sb, options);
            } finally {
                listener.end();
            }
            long keysA = sa.count();
            long keysB = sb.count();
            Join join = new Join(options);
            try (RecordSorter.RecordIterator ia = sa.sorted();
                 RecordSorter.RecordIterator ib = sb.sorted()) {
                join.run(ia, ib);
            }
            int spilled = sa.spilledRuns() + sb.spilledRuns();
            explain(a, b, join.shown, options);
            return new DiffResult(new DiffResult.Side(pathA, a.description(), keysA),
                    new DiffResult.Side(pathB, b.description(), keysB),
                    join.same, join.missing, join.extra, join.type, join.value, join.ttl, join.different,
                    List.copyOf(join.shown), spilled);
        }
    }

    /** The first pass of both sides, at once on two threads when the options allow. */
    private static void digestBoth(Dataset a, RecordSorter sa, Dataset b, RecordSorter sb, DiffOptions options)
            throws IOException {
        DiffListener listener = options.listener();
        if (!options.parallel()) {
            a.digest(sa, listener);
            b.digest(sb, listener);
            return;
        }
        Throwable[] failureA = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                a.digest(sa, listener);
            } catch (Throwable e) {
                failureA[0] = e;
            }
        }, "redkit-diff-A");
        t.setDaemon(true);
        t.start();
        Throwable failureB = null;
        try {
            b.digest(sb, listener);
        } catch (Throwable e) {
            failureB = e;
            a.cancel();
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                // the JVM is going down or someone wants us to stop: A stops at its next key
                a.cancel();
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // A's own failure comes first (the sides are reported in order); a cancelled A hides nothing
        Throwable first = failureA[0] instanceof Dataset.CancelledException ? failureB : failureA[0];
        if (first == null) {
            first = failureB;
        }
        if (first != null) {
            if (failureB != null && failureB != first) {
                first.addSuppressed(failureB);
            }
            if (first instanceof IOException io) {
                throw io;
            }
            if (first instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) first;
        }
    }

    private static long total(long x, long y) {
        return x < 0 || y < 0 ? -1 : x + y;
    }

    /**
     * Detail passes over both sides for the listed keys whose values differ: small values are gathered
     * whole; big ones are compared bucket by bucket first, then only their differing buckets are gathered.
     */
    private static void explain(Dataset a, Dataset b, List<Difference> shown, DiffOptions options)
            throws IOException {
        if (options.maxDetails() == 0) {
            return;
        }
        List<Difference> valued = new ArrayList<>();
        for (Difference d : shown) {
            if (d.kinds().contains(Difference.Kind.VALUE)) {
                valued.add(d);
            }
        }
        if (valued.isEmpty()) {
            return;
        }
        // a share of the budget for each side's gathered values
        long cap = Math.max(64 * 1024, options.memoryBudget() / 4 / valued.size());
        Map<KeyRef, DetailSlot> wanted = new LinkedHashMap<>();
        for (Difference d : valued) {
            wanted.put(d.ref(), new DetailSlot(d.a().type(), Math.max(d.a().size(), d.b().size()), cap));
        }
        detailPass(a, b, wanted, options.listener());
        boolean again = false;
        for (DetailSlot s : wanted.values()) {
            again |= s.prepareGathering();
        }
        if (again) {
            detailPass(a, b, wanted, options.listener());
        }
        for (Difference d : valued) {
            DetailSlot s = wanted.get(d.ref());
            if (!s.seenOnBothSides()) {
                d.note("the key was not found again in the detail pass");
            } else if (s.digestOnly()) {
                d.note("values differ in their digests only");
            } else {
                ValueComparer.explain(s.values[0], s.values[1], d, options.maxDetails());
            }
        }
    }

    private static void detailPass(Dataset a, Dataset b, Map<KeyRef, DetailSlot> wanted, DiffListener listener)
            throws IOException {
        listener.start("details", total(a.replayed() ? 0 : a.size(), b.replayed() ? 0 : b.size()));
        try {
            a.collect(wanted, 0, listener);
            b.collect(wanted, 1, listener);
        } finally {
            listener.end();
        }
    }

    /** The merge-join of two sorted record streams. */
    private static final class Join {
        private final DiffOptions options;
        final List<Difference> shown = new ArrayList<>();
        long same;
        long missing;
        long extra;
        long type;
        long value;
        long ttl;
        long different;

        Join(DiffOptions options) {
            this.options = options;
        }

        void run(RecordSorter.RecordIterator ia, RecordSorter.RecordIterator ib) throws IOException {
            DigestRecord x = ia.next();
            DigestRecord y = ib.next();
            while (x != null || y != null) {
                int c = x == null ? 1 : y == null ? -1 : DigestRecord.ORDER.compare(x, y);
                if (c < 0) {
                    missing++;
                    record(EnumSet.of(Difference.Kind.MISSING), x, null);
                    x = nextDistinct(ia, x);
                } else if (c > 0) {
                    extra++;
                    record(EnumSet.of(Difference.Kind.EXTRA), null, y);
                    y = nextDistinct(ib, y);
                } else {
                    compare(x, y);
                    x = nextDistinct(ia, x);
                    y = nextDistinct(ib, y);
                }
            }
        }

        private void compare(DigestRecord x, DigestRecord y) {
            EnumSet<Difference.Kind> kinds = EnumSet.noneOf(Difference.Kind.class);
            if (x.type() != y.type()) {
                kinds.add(Difference.Kind.TYPE);
                type++;
            } else if (!x.sameValue(y)) {
                kinds.add(Difference.Kind.VALUE);
                value++;
            }
            if (ttlDiffers(x.expireMs(), y.expireMs())) {
                kinds.add(Difference.Kind.TTL);
                ttl++;
            }
            if (kinds.isEmpty()) {
                same++;
            } else {
                record(kinds, x, y);
            }
        }

        private boolean ttlDiffers(long p, long q) {
            if (p < 0 || q < 0) {
                return (p < 0) != (q < 0);
            }
            long d = p - q;
            return d > options.ttlToleranceMs() || -d > options.ttlToleranceMs();
        }

        private void record(Set<Difference.Kind> kinds, DigestRecord x, DigestRecord y) {
            different++;
            if (shown.size() < options.maxDiffs()) {
                DigestRecord r = x != null ? x : y;
                shown.add(new Difference(new KeyRef(r.db(), r.key()), kinds, x, y));
            }
        }

        /** The next record after {@code prev} with another key: a key twice on one side counts once. */
        private static DigestRecord nextDistinct(RecordSorter.RecordIterator it, DigestRecord prev)
                throws IOException {
            DigestRecord r = it.next();
            while (r != null && DigestRecord.ORDER.compare(r, prev) == 0) {
                r = it.next();
            }
            return r;
        }
    }
}
