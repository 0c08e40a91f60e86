package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Set commands. */
final class SetCommands {
    private SetCommands() {
    }

    static void register() {
        add("sadd", -3, (e, db, a) -> e.write(db, a.get(1), r -> {
            KvSet s = Args.set(r.value());
            if (s == null) {
                s = new KvSet();
                r.set(s);
            }
            long n = 0;
            for (int i = 2; i < a.size(); i++) {
                if (s.add(a.get(i))) {
                    n++;
                }
            }
            return Reply.integer(n);
        }));
        add("srem", -3, (e, db, a) -> e.write(db, a.get(1), r -> {
            KvSet s = Args.set(r.value());
            long n = 0;
            for (int i = 2; s != null && i < a.size(); i++) {
                if (s.remove(a.get(i))) {
                    n++;
                }
            }
            return Reply.integer(n);
        }));
        add("smembers", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvSet s = Args.set(v);
            if (s == null) {
                return Reply.EMPTY_ARRAY;
            }
            List<Reply> out = new ArrayList<>(s.size());
            KeySet m = s.members;
            for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
                out.add(Reply.bulk(m.keyAt(i)));
            }
            return new Reply.Array(out);
        }));
        add("sismember", 3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvSet s = Args.set(v);
            return Reply.integer(s != null && s.members.contains(a.get(2)) ? 1 : 0);
        }));
        add("scard", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvSet s = Args.set(v);
            return Reply.integer(s == null ? 0 : s.size());
        }));
        add("spop", -2, SetCommands::spop);
        add("sinter", -2, (e, db, a) -> algebra(e, db, a, INTER, false));
        add("sunion", -2, (e, db, a) -> algebra(e, db, a, UNION, false));
        add("sdiff", -2, (e, db, a) -> algebra(e, db, a, DIFF, false));
        add("sinterstore", -3, (e, db, a) -> algebra(e, db, a, INTER, true));
        add("sunionstore", -3, (e, db, a) -> algebra(e, db, a, UNION, true));
        add("sdiffstore", -3, (e, db, a) -> algebra(e, db, a, DIFF, true));
        add("smismember", -3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvSet s = Args.set(v);
            List<Reply> out = new ArrayList<>(a.size() - 2);
            for (int i = 2; i < a.size(); i++) {
                out.add(Reply.integer(s != null && s.members.contains(a.get(i)) ? 1 : 0));
            }
            return new Reply.Array(out);
        }));
        add("srandmember", -2, SetCommands::srandmember);
        add("smove", 4, SetCommands::smove);
        add("sintercard", -3, SetCommands::sintercard);
    }

    private static final int INTER = 0;
    private static final int UNION = 1;
    private static final int DIFF = 2;

    /**
     * SINTER, SUNION, SDIFF and their STORE forms over one atomic multi-key write (the read forms are not logged).
     * Every source is type-checked first; a missing key is an empty set.
     */
    private static Reply algebra(KvEngine e, int db, List<byte[]> a, int op, boolean store) {
        int first = store ? 2 : 1;
        List<byte[]> keys = new ArrayList<>(a.subList(first, a.size()));
        List<byte[]> locked = store ? new ArrayList<>(a.subList(1, a.size())) : keys;
        return e.writeMulti(db, locked, open -> {
            KvSet[] sets = new KvSet[keys.size()];
            for (int i = 0; i < sets.length; i++) {
                sets[i] = Args.set(open.apply(keys.get(i)).value());
            }
            KvSet out = combine(sets, op);
            if (!store) {
                List<Reply> r = new ArrayList<>(out.size());
                KeySet m = out.members;
                for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
                    r.add(Reply.bulk(m.keyAt(i)));
                }
                return new Reply.Array(r);
            }
            KeyRef dst = open.apply(a.get(1));
            dst.delete();
            if (out.size() > 0) {
                dst.setClearTtl(out);
            }
            return Reply.integer(out.size());
        });
    }

    private static KvSet combine(KvSet[] sets, int op) {
        KvSet out = new KvSet();
        if (op == UNION) {
            for (KvSet s : sets) {
                addAll(out, s);
            }
            return out;
        }
        if (op == DIFF) {
            KvSet base = sets[0];
            if (base == null) {
                return out;
            }
            KeySet m = base.members;
            for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
                byte[] k = m.keyAt(i);
                boolean keep = true;
                for (int j = 1; j < sets.length && keep; j++) {
                    keep = sets[j] == null || !sets[j].members.contains(k);
                }
                if (keep) {
                    out.add(k);
                }
            }
            return out;
        }
        // intersection: walk the smallest set, probe the others
        KvSet small = null;
        for (KvSet s : sets) {
            if (s == null) {
                return out;
            }
            if (small == null || s.size() < small.size()) {
                small = s;
            }
        }
        KeySet m = small.members;
        for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
            byte[] k = m.keyAt(i);
            boolean all = true;
            for (int j = 0; j < sets.length && all; j++) {
                all = sets[j] == small || sets[j].members.contains(k);
            }
            if (all) {
                out.add(k);
            }
        }
        return out;
    }

    private static void addAll(KvSet out, KvSet s) {
        if (s == null) {
            return;
        }
        KeySet m = s.members;
        for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
            out.add(m.keyAt(i));
        }
    }

    private static Reply spop(KvEngine e, int db, List<byte[]> a) {
        if (a.size() > 3) {
            throw new Args.Err(Reply.SYNTAX);
        }
        boolean hasCount = a.size() == 3;
        long count = 1;
        if (hasCount) {
            Long c = io.redkit.core.Bytes.parseLong(a.get(2));
            if (c == null || c < 0) {
                throw new Args.Err("ERR value is out of range, must be positive");
            }
            count = c;
        }
        long fc = count;
        return e.write(db, a.get(1), r -> {
            KvSet s = Args.set(r.value());
            if (s == null) {
                return hasCount ? Reply.EMPTY_ARRAY : Reply.NULL;
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (!hasCount) {
                return Reply.bulk(s.removeSlot(s.members.randomSlot(rnd)));
            }
            List<Reply> out = new ArrayList<>();
            for (long i = 0; i < fc && s.size() > 0; i++) {
                out.add(Reply.bulk(s.removeSlot(s.members.randomSlot(rnd))));
            }
            return new Reply.Array(out);
        });
    }

    /**
     * Most picks with repetition one reply may hold: redis-server would build any size (until its memory runs
     * out); past this a negative count is refused as out of range.
     */
    static final long MAX_PICKS = 1L << 22;

    /** SRANDMEMBER key [count]: one member, distinct members (count > 0) or members with repetition (count < 0). */
    private static Reply srandmember(KvEngine e, int db, List<byte[]> a) {
        if (a.size() > 3) {
            throw new Args.Err(Reply.SYNTAX);
        }
        boolean hasCount = a.size() == 3;
        long count = hasCount ? Args.lng(a.get(2)) : 1;
        if (count == Long.MIN_VALUE) {
            throw new Args.Err("ERR value is out of range, value must between -9223372036854775807 and "
                    + "9223372036854775807");
        }
        if (count < -MAX_PICKS) {
            throw new Args.Err("ERR value is out of range");
        }
        return e.read(db, a.get(1), (v, x, now) -> {
            KvSet s = Args.set(v);
            if (s == null) {
                return hasCount ? Reply.EMPTY_ARRAY : Reply.NULL;
            }
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            KeySet m = s.members;
            if (!hasCount) {
                return Reply.bulk(m.keyAt(m.randomSlot(rnd)));
            }
            if (count == 0) {
                return Reply.EMPTY_ARRAY;
            }
            List<Reply> out = new ArrayList<>();
            if (count < 0) {
                for (long k = 0; k < -count; k++) {
                    out.add(Reply.bulk(m.keyAt(m.randomSlot(rnd))));
                }
                return new Reply.Array(out);
            }
            int n = s.size();
            int[] slots = new int[n];
            int k = 0;
            for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
                slots[k++] = i;
            }
            int take = (int) Math.min(count, n);
            // a partial Fisher-Yates shuffle picks distinct members
            for (int i = 0; i < take; i++) {
                int j = i + rnd.nextInt(n - i);
                int t = slots[i];
                slots[i] = slots[j];
                slots[j] = t;
                out.add(Reply.bulk(m.keyAt(slots[i])));
            }
            return new Reply.Array(out);
        });
    }

    /** SMOVE source destination member: 1 when moved (or already there when both are the same set), else 0. */
    private static Reply smove(KvEngine e, int db, List<byte[]> a) {
        byte[] member = a.get(3);
        return e.writeMulti(db, List.of(a.get(1), a.get(2)), open -> {
            KeyRef src = open.apply(a.get(1));
            KvSet from = Args.set(src.value());
            if (java.util.Arrays.equals(a.get(1), a.get(2))) {
                return Reply.integer(from != null && from.members.contains(member) ? 1 : 0);
            }
            KeyRef dst = open.apply(a.get(2));
            if (from == null) {
                return Reply.integer(0);
            }
            KvSet to = Args.set(dst.value());
            if (!from.remove(member)) {
                return Reply.integer(0);
            }
            src.touched();
            if (to == null) {
                to = new KvSet();
                to.add(member);
                dst.set(to);
            } else {
                to.add(member);
                dst.touched();
            }
            return Reply.integer(1);
        });
    }

    /** SINTERCARD numkeys key... [LIMIT limit]: the intersection's size, counting stopped at a non-zero limit. */
    private static Reply sintercard(KvEngine e, int db, List<byte[]> a) {
        Long nk = io.redkit.core.Bytes.parseLong(a.get(1));
        if (nk == null || nk < 1) {
            throw new Args.Err("ERR numkeys should be greater than 0");
        }
        if (nk > a.size() - 2) {
            throw new Args.Err("ERR Number of keys can't be greater than number of args");
        }
        int n = (int) (long) nk;
        long limit = 0;
        for (int i = 2 + n; i < a.size(); i++) {
            if (Args.is(a.get(i), "LIMIT") && i + 1 < a.size()) {
                Long l = io.redkit.core.Bytes.parseLong(a.get(++i));
                if (l == null || l < 0) {
                    throw new Args.Err("ERR LIMIT can't be negative");
                }
                limit = l;
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        List<byte[]> keys = new ArrayList<>(a.subList(2, 2 + n));
        long flimit = limit;
        return e.writeMulti(db, keys, open -> {
            KvSet[] sets = new KvSet[n];
            boolean empty = false;
            for (int i = 0; i < n; i++) {
                sets[i] = Args.set(open.apply(keys.get(i)).value());
                empty |= sets[i] == null;
            }
            if (empty) {
                return Reply.integer(0);
            }
            KvSet small = sets[0];
            for (KvSet s : sets) {
                if (s.size() < small.size()) {
                    small = s;
                }
            }
            long card = 0;
            KeySet m = small.members;
            for (int i = m.nextSlot(0); i >= 0 && (flimit == 0 || card < flimit); i = m.nextSlot(i + 1)) {
                byte[] k = m.keyAt(i);
                boolean all = true;
                for (int j = 0; j < n && all; j++) {
                    all = sets[j] == small || sets[j].members.contains(k);
                }
                if (all) {
                    card++;
                }
            }
            return Reply.integer(card);
        });
    }
}
