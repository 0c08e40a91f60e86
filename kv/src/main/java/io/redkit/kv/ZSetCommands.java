package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import io.redkit.core.Bytes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Sorted-set commands. */
final class ZSetCommands {
    private ZSetCommands() {
    }

    static void register() {
        add("zadd", -4, ZSetCommands::zadd);
        add("zrem", -3, (e, db, a) -> e.write(db, a.get(1), r -> {
            KvZSet z = Args.zset(r.value());
            long n = 0;
            for (int i = 2; z != null && i < a.size(); i++) {
                if (z.remove(a.get(i))) {
                    n++;
                }
            }
            return Reply.integer(n);
        }));
        add("zscore", 3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvZSet z = Args.zset(v);
            double s = z == null ? Double.NaN : z.score(a.get(2));
            return Double.isNaN(s) ? Reply.NULL : new Reply.Dbl(s);
        }));
        add("zcard", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvZSet z = Args.zset(v);
            return Reply.integer(z == null ? 0 : z.size());
        }));
        add("zincrby", 4, (e, db, a) -> {
            double by = Args.dbl(a.get(2));
            return e.write(db, a.get(1), r -> {
                KvZSet z = Args.zset(r.value());
                if (z == null) {
                    z = new KvZSet();
                    r.set(z);
                }
                double cur = z.score(a.get(3));
                double n = Double.isNaN(cur) ? by : cur + by;
                if (Double.isNaN(n)) {
                    throw new Args.Err("ERR resulting score is not a number (NaN)");
                }
                z.put(a.get(3), n);
                return new Reply.Dbl(n);
            });
        });
        add("zrange", -4, (e, db, a) -> zrange(e, db, a, false, AUTO, 0));
        add("zrangestore", -5, (e, db, a) -> zrange(e, db, a, true, AUTO, 0));
        add("zrevrange", -4, (e, db, a) -> zrange(e, db, a, false, RANK, -1));
        add("zrangebyscore", -4, (e, db, a) -> zrange(e, db, a, false, SCORE, 1));
        add("zrevrangebyscore", -4, (e, db, a) -> zrange(e, db, a, false, SCORE, -1));
        add("zrangebylex", -4, (e, db, a) -> zrange(e, db, a, false, LEX, 1));
        add("zrevrangebylex", -4, (e, db, a) -> zrange(e, db, a, false, LEX, -1));
        add("zcount", 4, (e, db, a) -> {
            Bound min = scoreBound(a.get(2));
            Bound max = scoreBound(a.get(3));
            return e.read(db, a.get(1), (v, x, now) -> {
                KvZSet z = Args.zset(v);
                long n = 0;
                if (z != null) {
                    for (Iterator<KvZSet.Entry> it = z.byScore(min.v, min.ex, max.v, max.ex, false); it.hasNext(); ) {
                        it.next();
                        n++;
                    }
                }
                return Reply.integer(n);
            });
        });
        add("zlexcount", 4, (e, db, a) -> {
            Lex min = lexBound(a.get(2));
            Lex max = lexBound(a.get(3));
            return e.read(db, a.get(1), (v, x, now) -> {
                KvZSet z = Args.zset(v);
                long n = 0;
                if (z != null) {
                    for (KvZSet.Entry en : z.order) {
                        if (aboveMin(en.member, min) && belowMax(en.member, max)) {
                            n++;
                        }
                    }
                }
                return Reply.integer(n);
            });
        });
        add("zmscore", -3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvZSet z = Args.zset(v);
            List<Reply> out = new ArrayList<>(a.size() - 2);
            for (int i = 2; i < a.size(); i++) {
                double sc = z == null ? Double.NaN : z.score(a.get(i));
                out.add(Double.isNaN(sc) ? Reply.NULL : new Reply.Dbl(sc));
            }
            return new Reply.Array(out);
        }));
        add("zremrangebyrank", 4, (e, db, a) -> zremrange(e, db, a, RANK));
        add("zremrangebyscore", 4, (e, db, a) -> zremrange(e, db, a, SCORE));
        add("zremrangebylex", 4, (e, db, a) -> zremrange(e, db, a, LEX));
        add("zrank", 3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> rank(Args.zset(v), a.get(2), false)));
        add("zrevrank", 3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> rank(Args.zset(v), a.get(2), true)));
        add("zpopmin", -2, (e, db, a) -> pop(e, db, a, false));
        add("zpopmax", -2, (e, db, a) -> pop(e, db, a, true));
        add("zunionstore", -4, (e, db, a) -> combineStore(e, db, a, true));
        add("zinterstore", -4, (e, db, a) -> combineStore(e, db, a, false));
    }

    /** The member's 0-based rank, walking the tree's head set (O(rank)); null reply when absent. */
    private static Reply rank(KvZSet z, byte[] m, boolean rev) {
        double sc = z == null ? Double.NaN : z.score(m);
        if (Double.isNaN(sc)) {
            return Reply.NULL;
        }
        int r = z.order.headSet(new KvZSet.Entry(m, sc, 0), false).size();
        return Reply.integer(rev ? z.size() - 1 - r : r);
    }

    /** ZPOPMIN/ZPOPMAX: deterministic, so logged as sent (as Redis propagates them). */
    private static Reply pop(KvEngine e, int db, List<byte[]> a, boolean max) {
        if (a.size() > 3) {
            throw new Args.Err(Reply.SYNTAX);
        }
        long count = 1;
        if (a.size() == 3) {
            Long c = Bytes.parseLong(a.get(2));
            if (c == null || c < 0) {
                throw new Args.Err("ERR value is out of range, must be positive");
            }
            count = c;
        }
        long fc = count;
        return e.write(db, a.get(1), r -> {
            KvZSet z = Args.zset(r.value());
            if (z == null) {
                return Reply.EMPTY_ARRAY;
            }
            List<Reply> out = new ArrayList<>();
            for (long i = 0; i < fc && z.size() > 0; i++) {
                KvZSet.Entry en = max ? z.order.last() : z.order.first();
                z.remove(en.member);
                out.add(Reply.bulk(en.member));
                out.add(new Reply.Dbl(en.score));
            }
            return new Reply.Array(out);
        });
    }

    /** ZUNIONSTORE/ZINTERSTORE dest numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]; sets count as score 1. */
    private static Reply combineStore(KvEngine e, int db, List<byte[]> a, boolean union) {
        String name = union ? "zunionstore" : "zinterstore";
        long n = Args.lng(a.get(2));
        if (n < 1) {
            throw new Args.Err("ERR at least 1 input key is needed for '" + name + "' command");
        }
        if (n > a.size() - 3) {
            throw new Args.Err(Reply.SYNTAX);
        }
        int nk = (int) n;
        double[] weights = new double[nk];
        java.util.Arrays.fill(weights, 1.0);
        int agg = 0;
        for (int i = 3 + nk; i < a.size(); i++) {
            byte[] o = a.get(i);
            if (Args.is(o, "WEIGHTS") && a.size() - i - 1 >= nk) {
                for (int j = 0; j < nk; j++) {
                    double w = Floats.parse(a.get(i + 1 + j));
                    if (Double.isNaN(w)) {
                        throw new Args.Err("ERR weight value is not a float");
                    }
                    weights[j] = w;
                }
                i += nk;
            } else if (Args.is(o, "AGGREGATE") && i + 1 < a.size()) {
                byte[] g = a.get(++i);
                if (Args.is(g, "SUM")) {
                    agg = 0;
                } else if (Args.is(g, "MIN")) {
                    agg = 1;
                } else if (Args.is(g, "MAX")) {
                    agg = 2;
                } else {
                    throw new Args.Err(Reply.SYNTAX);
                }
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        List<byte[]> keys = new ArrayList<>(a.subList(3, 3 + nk));
        List<byte[]> locked = new ArrayList<>(keys);
        locked.add(a.get(1));
        int fagg = agg;
        return e.writeMulti(db, locked, open -> {
            Object[] src = new Object[nk];
            for (int i = 0; i < nk; i++) {
                Object v = open.apply(keys.get(i)).value();
                if (v != null && !(v instanceof KvZSet) && !(v instanceof KvSet)) {
                    throw new Args.Err(Reply.WRONGTYPE);
                }
                src[i] = v;
            }
            KvZSet out = new KvZSet();
            if (union) {
                for (int i = 0; i < nk; i++) {
                    final int si = i;
                    forEach(src[i], (m, sc) -> {
                        double w = weighted(sc, weights[si]);
                        double cur = out.score(m);
                        out.put(m, Double.isNaN(cur) ? w : aggregate(cur, w, fagg));
                    });
                }
            } else {
                int small = -1;
                for (int i = 0; i < nk; i++) {
                    if (src[i] == null) {
                        small = -1;
                        break;
                    }
                    if (small < 0 || sizeOf(src[i]) < sizeOf(src[small])) {
                        small = i;
                    }
                }
                if (small >= 0) {
                    forEach(src[small], (m, sc0) -> {
                        double acc = 0;
                        for (int i = 0; i < nk; i++) {
                            double sc = scoreOf(src[i], m);
                            if (Double.isNaN(sc)) {
                                return;
                            }
                            double w = weighted(sc, weights[i]);
                            acc = i == 0 ? w : aggregate(acc, w, fagg);
                        }
                        out.put(m, acc);
                    });
                }
            }
            KeyRef dst = open.apply(a.get(1));
            dst.delete();
            if (out.size() > 0) {
                dst.setClearTtl(out);
            }
            return Reply.integer(out.size());
        });
    }

    private interface ScoreFn {
        void accept(byte[] member, double score);
    }

    private static void forEach(Object v, ScoreFn fn) {
        if (v instanceof KvZSet z) {
            for (KvZSet.Entry en : z.order) {
                fn.accept(en.member, en.score);
            }
        } else if (v instanceof KvSet s) {
            KeySet m = s.members;
            for (int i = m.nextSlot(0); i >= 0; i = m.nextSlot(i + 1)) {
                fn.accept(m.keyAt(i), 1.0);
            }
        }
    }

    private static int sizeOf(Object v) {
        return v instanceof KvZSet z ? z.size() : ((KvSet) v).size();
    }

    private static double scoreOf(Object v, byte[] m) {
        if (v instanceof KvZSet z) {
            return z.score(m);
        }
        return ((KvSet) v).members.contains(m) ? 1.0 : Double.NaN;
    }

    /** Weight times score, with 0 * inf taken as 0 as Redis does. */
    private static double weighted(double score, double weight) {
        double w = score * weight;
        return Double.isNaN(w) ? 0 : w;
    }

    /** SUM (inf + -inf taken as 0, as Redis does), MIN or MAX. */
    private static double aggregate(double a, double b, int agg) {
        if (agg == 1) {
            return Math.min(a, b);
        }
        if (agg == 2) {
            return Math.max(a, b);
        }
        double s = a + b;
        return Double.isNaN(s) ? 0 : s;
    }

    private static Reply zadd(KvEngine e, int db, List<byte[]> a) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        for (; i < a.size(); i++) {
            byte[] o = a.get(i);
            if (Args.is(o, "NX")) {
                nx = true;
            } else if (Args.is(o, "XX")) {
                xx = true;
            } else if (Args.is(o, "GT")) {
                gt = true;
            } else if (Args.is(o, "LT")) {
                lt = true;
            } else if (Args.is(o, "CH")) {
                ch = true;
            } else if (Args.is(o, "INCR")) {
                incr = true;
            } else {
                break;
            }
        }
        int pairs = a.size() - i;
        if (pairs % 2 != 0 || pairs == 0) {
            throw new Args.Err(Reply.SYNTAX);
        }
        if (nx && xx) {
            throw new Args.Err("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new Args.Err("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && pairs > 2) {
            throw new Args.Err("ERR INCR option supports a single increment-element pair");
        }
        int first = i;
        double[] scores = new double[pairs / 2];
        for (int k = 0; k < scores.length; k++) {
            scores[k] = Args.dbl(a.get(first + 2 * k));
        }
        boolean fnx = nx;
        boolean fxx = xx;
        boolean fgt = gt;
        boolean flt = lt;
        boolean fch = ch;
        boolean fincr = incr;
        return e.write(db, a.get(1), r -> {
            KvZSet z = Args.zset(r.value());
            if (z == null) {
                if (fxx) {
                    return fincr ? Reply.NULL : Reply.integer(0);
                }
                z = new KvZSet();
                r.set(z);
            }
            long added = 0;
            long changed = 0;
            double last = Double.NaN;
            for (int k = 0; k < scores.length; k++) {
                byte[] m = a.get(first + 2 * k + 1);
                double s = scores[k];
                double cur = z.score(m);
                if (!Double.isNaN(cur)) {
                    if (fnx) {
                        continue;
                    }
                    if (fincr) {
                        s = cur + s;
                        if (Double.isNaN(s)) {
                            throw new Args.Err("ERR resulting score is not a number (NaN)");
                        }
                    }
                    if (fgt && s <= cur || flt && s >= cur) {
                        continue;
                    }
                    last = s;
                    if (s != cur) {
                        z.put(m, s);
                        changed++;
                    }
                } else {
                    if (fxx) {
                        continue;
                    }
                    z.put(m, s);
                    added++;
                    last = s;
                }
            }
            if (fincr) {
                return Double.isNaN(last) ? Reply.NULL : new Reply.Dbl(last);
            }
            return Reply.integer(fch ? added + changed : added);
        });
    }

    /** A score bound: value and exclusiveness. */
    private record Bound(double v, boolean ex) {
    }

    private static Bound scoreBound(byte[] b) {
        boolean ex = b.length > 0 && b[0] == '(';
        int from = ex ? 1 : 0;
        // Redis reads the bound with strtod: nothing at all is 0, leading white space is skipped
        if (from == b.length) {
            return new Bound(0, ex);
        }
        while (from < b.length && (b[from] == ' ' || (b[from] >= '\t' && b[from] <= '\r'))) {
            from++;
        }
        byte[] t = from == 0 ? b : java.util.Arrays.copyOfRange(b, from, b.length);
        double d = t.length == 0 ? Double.NaN : Floats.parse(t);
        if (Double.isNaN(d)) {
            throw new Args.Err("ERR min or max is not a float");
        }
        return new Bound(d, ex);
    }

    /** A lex bound: null member means -/+ (unbounded). */
    private record Lex(byte[] m, boolean ex, int inf) {
    }

    private static Lex lexBound(byte[] b) {
        if (b.length == 1 && b[0] == '-') {
            return new Lex(null, false, -1);
        }
        if (b.length == 1 && b[0] == '+') {
            return new Lex(null, false, 1);
        }
        if (b.length > 0 && (b[0] == '(' || b[0] == '[')) {
            return new Lex(java.util.Arrays.copyOfRange(b, 1, b.length), b[0] == '(', 0);
        }
        throw new Args.Err("ERR min or max not valid string range item");
    }

    private static boolean aboveMin(byte[] m, Lex min) {
        if (min.inf != 0) {
            return min.inf < 0;
        }
        int c = Bytes.compare(m, min.m);
        return min.ex ? c > 0 : c >= 0;
    }

    private static boolean belowMax(byte[] m, Lex max) {
        if (max.inf != 0) {
            return max.inf > 0;
        }
        int c = Bytes.compare(m, max.m);
        return max.ex ? c < 0 : c <= 0;
    }

    private static final int AUTO = 0;
    private static final int RANK = 1;
    private static final int SCORE = 2;
    private static final int LEX = 3;

    /**
     * ZRANGE and its relatives, as Redis's one generic range: {@code type} and {@code dir} (1 forward, -1 reverse)
     * fixed by the legacy commands or AUTO/0 for ZRANGE and ZRANGESTORE, which take BYSCORE/BYLEX/REV options.
     * The store form replaces the destination (deleted when the range is empty) and replies with its size.
     */
    private static Reply zrange(KvEngine e, int db, List<byte[]> a, boolean store, int type, int dir) {
        int base = store ? 2 : 1;
        boolean withScores = false;
        long offset = 0;
        long count = -1;
        for (int j = base + 3; j < a.size(); j++) {
            byte[] o = a.get(j);
            if (!store && Args.is(o, "WITHSCORES")) {
                withScores = true;
            } else if (Args.is(o, "LIMIT") && a.size() - j - 1 >= 2) {
                offset = Args.lng(a.get(j + 1));
                count = Args.lng(a.get(j + 2));
                j += 2;
            } else if (dir == 0 && Args.is(o, "REV")) {
                dir = -1;
            } else if (type == AUTO && Args.is(o, "BYLEX")) {
                type = LEX;
            } else if (type == AUTO && Args.is(o, "BYSCORE")) {
                type = SCORE;
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        boolean rev = dir < 0;
        if (type == AUTO) {
            type = RANK;
        }
        if (count != -1 && type == RANK) {
            throw new Args.Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == LEX) {
            throw new Args.Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] lo = rev && type != RANK ? a.get(base + 2) : a.get(base + 1);
        byte[] hi = rev && type != RANK ? a.get(base + 1) : a.get(base + 2);
        long start = 0;
        long end = 0;
        Bound smin = null;
        Bound smax = null;
        Lex lmin = null;
        Lex lmax = null;
        if (type == RANK) {
            start = Args.lng(lo);
            end = Args.lng(hi);
        } else if (type == SCORE) {
            smin = scoreBound(lo);
            smax = scoreBound(hi);
        } else {
            lmin = lexBound(lo);
            lmax = lexBound(hi);
        }
        Range range = new Range(type, rev, start, end, smin, smax, lmin, lmax, offset, count);
        if (!store) {
            boolean ws = withScores;
            return e.read(db, a.get(base), (v, x, now) -> {
                KvZSet z = Args.zset(v);
                if (z == null) {
                    return Reply.EMPTY_ARRAY;
                }
                List<Reply> out = new ArrayList<>();
                range.walk(z, en -> {
                    out.add(Reply.bulk(en.member));
                    if (ws) {
                        out.add(new Reply.Dbl(en.score));
                    }
                });
                return new Reply.Array(out);
            });
        }
        byte[] srcKey = a.get(2);
        return e.writeMulti(db, List.of(a.get(1), srcKey), open -> {
            KvZSet z = Args.zset(open.apply(srcKey).value());
            KvZSet out = new KvZSet();
            if (z != null) {
                range.walk(z, en -> out.put(en.member, en.score));
            }
            KeyRef dst = open.apply(a.get(1));
            dst.delete();
            if (out.size() > 0) {
                dst.setClearTtl(out);
            }
            return Reply.integer(out.size());
        });
    }

    /** A parsed range of one of the three kinds, walked over a sorted set. */
    private record Range(int type, boolean rev, long start, long end, Bound smin, Bound smax, Lex lmin, Lex lmax,
            long offset, long count) {
        void walk(KvZSet z, java.util.function.Consumer<KvZSet.Entry> to) {
            if (type == RANK) {
                long n = z.size();
                long st = start < 0 ? Math.max(0, n + start) : start;
                long en = end < 0 ? n + end : end;
                if (st > en || st >= n) {
                    return;
                }
                en = Math.min(en, n - 1);
                Iterator<KvZSet.Entry> it = rev ? z.order.descendingIterator() : z.order.iterator();
                emit(it, st, en - st + 1, null, null, to);
            } else if (offset >= 0) {
                if (type == SCORE) {
                    emit(z.byScore(smin.v, smin.ex, smax.v, smax.ex, rev), offset, count, null, null, to);
                } else {
                    Iterator<KvZSet.Entry> it = rev ? z.order.descendingIterator() : z.order.iterator();
                    emit(it, offset, count, lmin, lmax, to);
                }
            }
        }
    }

    /** ZREMRANGEBYRANK/BYSCORE/BYLEX key min max: how many members were removed. */
    private static Reply zremrange(KvEngine e, int db, List<byte[]> a, int type) {
        Range range;
        if (type == RANK) {
            range = new Range(RANK, false, Args.lng(a.get(2)), Args.lng(a.get(3)), null, null, null, null, 0, -1);
        } else if (type == SCORE) {
            range = new Range(SCORE, false, 0, 0, scoreBound(a.get(2)), scoreBound(a.get(3)), null, null, 0, -1);
        } else {
            range = new Range(LEX, false, 0, 0, null, null, lexBound(a.get(2)), lexBound(a.get(3)), 0, -1);
        }
        return e.write(db, a.get(1), r -> {
            KvZSet z = Args.zset(r.value());
            if (z == null) {
                return Reply.integer(0);
            }
            List<byte[]> gone = new ArrayList<>();
            range.walk(z, en -> gone.add(en.member));
            for (byte[] m : gone) {
                z.remove(m);
            }
            return Reply.integer(gone.size());
        });
    }

    private static void emit(Iterator<KvZSet.Entry> it, long offset, long count, Lex min, Lex max,
            java.util.function.Consumer<KvZSet.Entry> to) {
        long skipped = 0;
        long taken = 0;
        while (it.hasNext() && (count < 0 || taken < count)) {
            KvZSet.Entry en = it.next();
            if (min != null && (!aboveMin(en.member, min) || !belowMax(en.member, max))) {
                continue;
            }
            if (skipped < offset) {
                skipped++;
                continue;
            }
            to.accept(en);
            taken++;
        }
    }
}
