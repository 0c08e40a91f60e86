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
        add("zrange", -4, ZSetCommands::zrange);
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
        byte[] t = ex ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
        double d = Floats.parse(t);
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

    private static Reply zrange(KvEngine e, int db, List<byte[]> a) {
        boolean byScore = false;
        boolean byLex = false;
        boolean rev = false;
        boolean withScores = false;
        boolean limit = false;
        long offset = 0;
        long count = -1;
        for (int i = 4; i < a.size(); i++) {
            byte[] o = a.get(i);
            if (Args.is(o, "BYSCORE")) {
                byScore = true;
            } else if (Args.is(o, "BYLEX")) {
                byLex = true;
            } else if (Args.is(o, "REV")) {
                rev = true;
            } else if (Args.is(o, "WITHSCORES")) {
                withScores = true;
            } else if (Args.is(o, "LIMIT") && i + 2 < a.size()) {
                offset = Args.lng(a.get(i + 1));
                count = Args.lng(a.get(i + 2));
                limit = true;
                i += 2;
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        if (byScore && byLex) {
            throw new Args.Err(Reply.SYNTAX);
        }
        if (limit && !byScore && !byLex) {
            throw new Args.Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && byLex) {
            throw new Args.Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] lo = rev && (byScore || byLex) ? a.get(3) : a.get(2);
        byte[] hi = rev && (byScore || byLex) ? a.get(2) : a.get(3);
        final boolean frev = rev;
        final boolean fws = withScores;
        final long foff = offset;
        final long fcount = count;
        if (byScore) {
            Bound min = scoreBound(lo);
            Bound max = scoreBound(hi);
            return e.read(db, a.get(1), (v, x, now) -> {
                KvZSet z = Args.zset(v);
                if (z == null || foff < 0) {
                    return Reply.EMPTY_ARRAY;
                }
                return collect(z.byScore(min.v, min.ex, max.v, max.ex, frev), foff, fcount, fws, null, null);
            });
        }
        if (byLex) {
            Lex min = lexBound(lo);
            Lex max = lexBound(hi);
            return e.read(db, a.get(1), (v, x, now) -> {
                KvZSet z = Args.zset(v);
                if (z == null || foff < 0) {
                    return Reply.EMPTY_ARRAY;
                }
                Iterator<KvZSet.Entry> it = frev ? z.order.descendingIterator() : z.order.iterator();
                return collect(it, foff, fcount, false, min, max);
            });
        }
        long start = Args.lng(a.get(2));
        long end = Args.lng(a.get(3));
        return e.read(db, a.get(1), (v, x, now) -> {
            KvZSet z = Args.zset(v);
            if (z == null) {
                return Reply.EMPTY_ARRAY;
            }
            long n = z.size();
            long st = start < 0 ? Math.max(0, n + start) : start;
            long en = end < 0 ? n + end : end;
            if (st > en || st >= n) {
                return Reply.EMPTY_ARRAY;
            }
            en = Math.min(en, n - 1);
            Iterator<KvZSet.Entry> it = frev ? z.order.descendingIterator() : z.order.iterator();
            return collect(it, st, en - st + 1, fws, null, null);
        });
    }

    private static Reply collect(Iterator<KvZSet.Entry> it, long offset, long count, boolean ws, Lex min, Lex max) {
        List<Reply> out = new ArrayList<>();
        long skipped = 0;
        long taken = 0;
        while (it.hasNext() && (count < 0 || taken < count)) {
            KvZSet.Entry en = it.next();
            if (min != null) {
                boolean inMin = aboveMin(en.member, min);
                boolean inMax = belowMax(en.member, max);
                if (!inMin || !inMax) {
                    continue;
                }
            }
            if (skipped < offset) {
                skipped++;
                continue;
            }
            out.add(Reply.bulk(en.member));
            if (ws) {
                out.add(new Reply.Dbl(en.score));
            }
            taken++;
        }
        return new Reply.Array(out);
    }
}
