package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import java.util.List;

/** PFADD, PFCOUNT and PFMERGE over {@link Hll} strings, with redis-server 7.0's replies and errors. */
final class HllCommands {
    private HllCommands() {
    }

    static void register() {
        add("pfadd", -2, HllCommands::pfadd);
        add("pfcount", -2, HllCommands::pfcount);
        add("pfmerge", -2, HllCommands::pfmerge);
    }

    /** The HLL string of a value, null when absent; a non-HLL string is Redis's WRONGTYPE for HyperLogLogs. */
    private static byte[] hll(Object v) {
        byte[] s = Args.string(v);
        if (s != null && !Hll.valid(s)) {
            throw new Args.Err(Hll.WRONG);
        }
        return s;
    }

    private static Reply pfadd(KvEngine e, int db, List<byte[]> a) {
        return e.write(db, a.get(1), r -> {
            byte[] h = hll(r.value());
            boolean updated = false;
            if (h == null) {
                h = Hll.create();
                updated = true;
            }
            for (int i = 2; i < a.size(); i++) {
                long pl = Hll.patLen(a.get(i));
                Hll.Set s = Hll.set(h, (int) pl, (int) (pl >>> 32));
                if (s == null) {
                    throw new Args.Err(Hll.CORRUPT);
                }
                h = s.hll();
                updated |= s.updated();
            }
            if (updated) {
                if (h == r.value()) {
                    h = h.clone();
                }
                Hll.invalidateCache(h);
                r.set(h);
            }
            return Reply.integer(updated ? 1 : 0);
        });
    }

    private static Reply pfcount(KvEngine e, int db, List<byte[]> a) {
        if (a.size() > 2) {
            int[] max = new int[Hll.REGISTERS];
            for (int i = 1; i < a.size(); i++) {
                Boolean ok = e.read(db, a.get(i), (v, x, now) -> {
                    byte[] h = hll(v);
                    return h == null || Hll.mergeInto(h, max);
                });
                if (!ok) {
                    throw new Args.Err(Hll.CORRUPT);
                }
            }
            return Reply.integer(Hll.countRegisters(max));
        }
        // one key: the cached cardinality, computed and stored when stale (a write, as in Redis)
        return e.write(db, a.get(1), r -> {
            byte[] h = hll(r.value());
            if (h == null) {
                return Reply.integer(0);
            }
            if (Hll.cacheValid(h)) {
                return Reply.integer(Hll.cached(h));
            }
            long card = Hll.count(h);
            if (card < 0) {
                throw new Args.Err(Hll.CORRUPT);
            }
            byte[] n = h.clone();
            Hll.cache(n, card);
            r.set(n);
            return Reply.integer(card);
        });
    }

    private static Reply pfmerge(KvEngine e, int db, List<byte[]> a) {
        return e.writeMulti(db, a.subList(1, a.size()), open -> {
            int[] max = new int[Hll.REGISTERS];
            boolean dense = false;
            for (int i = 1; i < a.size(); i++) {
                byte[] h = hll(open.apply(a.get(i)).value());
                if (h == null) {
                    continue;
                }
                dense |= Hll.dense(h);
                if (!Hll.mergeInto(h, max)) {
                    throw new Args.Err(Hll.CORRUPT);
                }
            }
            KeyRef dst = open.apply(a.get(1));
            byte[] h = hll(dst.value());
            if (h == null) {
                h = Hll.create();
            }
            if (dense && !Hll.dense(h)) {
                h = Hll.toDense(h);
                if (h == null) {
                    throw new Args.Err(Hll.CORRUPT);
                }
            }
            for (int j = 0; j < Hll.REGISTERS; j++) {
                if (max[j] == 0) {
                    continue;
                }
                Hll.Set s = Hll.set(h, j, max[j]);
                if (s == null) {
                    throw new Args.Err(Hll.CORRUPT);
                }
                h = s.hll();
            }
            if (h == dst.value()) {
                h = h.clone();
            }
            Hll.invalidateCache(h);
            dst.set(h); // an existing destination keeps its TTL: Redis changes the string in place
            return Reply.OK;
        });
    }
}
