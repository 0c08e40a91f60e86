package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** List commands. */
final class ListCommands {
    private ListCommands() {
    }

    static void register() {
        add("lpush", -3, (e, db, a) -> push(e, db, a, true));
        add("rpush", -3, (e, db, a) -> push(e, db, a, false));
        add("lpushx", -3, (e, db, a) -> pushExisting(e, db, a, true));
        add("rpushx", -3, (e, db, a) -> pushExisting(e, db, a, false));
        add("lpop", -2, (e, db, a) -> pop(e, db, a, true, "lpop"));
        add("rpop", -2, (e, db, a) -> pop(e, db, a, false, "rpop"));
        add("lrange", 4, ListCommands::lrange);
        add("llen", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvList l = Args.list(v);
            return Reply.integer(l == null ? 0 : l.size());
        }));
        add("lindex", 3, (e, db, a) -> {
            long idx = Args.lng(a.get(2));
            return e.read(db, a.get(1), (v, x, now) -> {
                KvList l = Args.list(v);
                if (l == null) {
                    return Reply.NULL;
                }
                long i = idx < 0 ? l.size() + idx : idx;
                return i < 0 || i >= l.size() ? Reply.NULL : Reply.bulk(l.get((int) i));
            });
        });
        add("lset", 4, (e, db, a) -> {
            long idx = Args.lng(a.get(2));
            return e.write(db, a.get(1), r -> {
                KvList l = Args.list(r.value());
                if (l == null) {
                    throw new Args.Err("ERR no such key");
                }
                long i = idx < 0 ? l.size() + idx : idx;
                if (i < 0 || i >= l.size()) {
                    throw new Args.Err("ERR index out of range");
                }
                l.set((int) i, a.get(3));
                return Reply.OK;
            });
        });
        add("lrem", 4, ListCommands::lrem);
        add("linsert", 5, ListCommands::linsert);
        add("lpos", -3, ListCommands::lpos);
        add("ltrim", 4, (e, db, a) -> {
            long start = Args.lng(a.get(2));
            long end = Args.lng(a.get(3));
            return e.write(db, a.get(1), r -> {
                KvList l = Args.list(r.value());
                if (l == null) {
                    return Reply.OK;
                }
                long n = l.size();
                long st = start < 0 ? Math.max(0, n + start) : start;
                long en = end < 0 ? n + end : end;
                if (st > en || st >= n) {
                    l.retain(0, -1);
                } else {
                    l.retain((int) st, (int) Math.min(en, n - 1));
                }
                return Reply.OK;
            });
        });
    }

    private static Reply push(KvEngine e, int db, List<byte[]> a, boolean left) {
        return e.write(db, a.get(1), r -> {
            KvList l = Args.list(r.value());
            if (l == null) {
                l = new KvList();
                r.set(l);
            }
            for (int i = 2; i < a.size(); i++) {
                if (left) {
                    l.addFirst(a.get(i));
                } else {
                    l.addLast(a.get(i));
                }
            }
            return Reply.integer(l.size());
        });
    }

    /** LPUSHX / RPUSHX: only onto an existing list; 0 when there is none. */
    private static Reply pushExisting(KvEngine e, int db, List<byte[]> a, boolean left) {
        return e.write(db, a.get(1), r -> {
            KvList l = Args.list(r.value());
            if (l == null) {
                return Reply.integer(0);
            }
            for (int i = 2; i < a.size(); i++) {
                if (left) {
                    l.addFirst(a.get(i));
                } else {
                    l.addLast(a.get(i));
                }
            }
            return Reply.integer(l.size());
        });
    }

    private static Reply pop(KvEngine e, int db, List<byte[]> a, boolean left, String name) {
        if (a.size() > 3) {
            throw Args.wrongArgs(name);
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
            KvList l = Args.list(r.value());
            if (l == null) {
                return hasCount ? Reply.NULL_ARRAY : Reply.NULL;
            }
            if (!hasCount) {
                return Reply.bulk(left ? l.pollFirst() : l.pollLast());
            }
            List<Reply> out = new ArrayList<>();
            for (long i = 0; i < fc && l.size() > 0; i++) {
                out.add(Reply.bulk(left ? l.pollFirst() : l.pollLast()));
            }
            return new Reply.Array(out);
        });
    }

    private static Reply lrange(KvEngine e, int db, List<byte[]> a) {
        long start = Args.lng(a.get(2));
        long end = Args.lng(a.get(3));
        return e.read(db, a.get(1), (v, x, now) -> {
            KvList l = Args.list(v);
            if (l == null) {
                return Reply.EMPTY_ARRAY;
            }
            long n = l.size();
            long st = start < 0 ? Math.max(0, n + start) : start;
            long en = end < 0 ? n + end : end;
            if (st > en || st >= n) {
                return Reply.EMPTY_ARRAY;
            }
            en = Math.min(en, n - 1);
            List<Reply> out = new ArrayList<>((int) (en - st + 1));
            for (long i = st; i <= en; i++) {
                out.add(Reply.bulk(l.get((int) i)));
            }
            return new Reply.Array(out);
        });
    }

    private static Reply lrem(KvEngine e, int db, List<byte[]> a) {
        long count = Args.lng(a.get(2));
        byte[] el = a.get(3);
        return e.write(db, a.get(1), r -> {
            KvList l = Args.list(r.value());
            if (l == null) {
                return Reply.integer(0);
            }
            int n = l.size();
            boolean[] keep = new boolean[n];
            Arrays.fill(keep, true);
            long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
            long removed = 0;
            if (count >= 0) {
                for (int i = 0; i < n && removed < limit; i++) {
                    if (Arrays.equals(l.get(i), el)) {
                        keep[i] = false;
                        removed++;
                    }
                }
            } else {
                for (int i = n - 1; i >= 0 && removed < limit; i--) {
                    if (Arrays.equals(l.get(i), el)) {
                        keep[i] = false;
                        removed++;
                    }
                }
            }
            if (removed > 0) {
                l.filter(keep);
            }
            return Reply.integer(removed);
        });
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 when the pivot is absent, 0 when the key is. */
    private static Reply linsert(KvEngine e, int db, List<byte[]> a) {
        boolean after;
        if (Args.is(a.get(2), "AFTER")) {
            after = true;
        } else if (Args.is(a.get(2), "BEFORE")) {
            after = false;
        } else {
            throw new Args.Err(Reply.SYNTAX);
        }
        byte[] pivot = a.get(3);
        return e.write(db, a.get(1), r -> {
            KvList l = Args.list(r.value());
            if (l == null) {
                return Reply.integer(0);
            }
            int n = l.size();
            for (int i = 0; i < n; i++) {
                if (Arrays.equals(l.get(i), pivot)) {
                    l.insert(after ? i + 1 : i, a.get(4));
                    return Reply.integer(l.size());
                }
            }
            return Reply.integer(-1);
        });
    }

    /** LPOS key element [RANK r] [COUNT n] [MAXLEN len]: indexes from the head, scanning from the end RANK says. */
    private static Reply lpos(KvEngine e, int db, List<byte[]> a) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < a.size(); j++) {
            byte[] o = a.get(j);
            boolean more = j + 1 < a.size();
            if (Args.is(o, "RANK") && more) {
                rank = Args.lng(a.get(++j));
                if (rank == 0) {
                    throw new Args.Err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                            + "second ... or use negative to start from the end of the list");
                }
            } else if (Args.is(o, "COUNT") && more) {
                count = positive(a.get(++j), "ERR COUNT can't be negative");
            } else if (Args.is(o, "MAXLEN") && more) {
                maxlen = positive(a.get(++j), "ERR MAXLEN can't be negative");
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        long frank = rank;
        long fcount = count;
        long fmax = maxlen;
        byte[] el = a.get(2);
        return e.read(db, a.get(1), (v, x, now) -> {
            KvList l = Args.list(v);
            if (l == null) {
                return fcount != -1 ? Reply.EMPTY_ARRAY : Reply.NULL;
            }
            int n = l.size();
            boolean fromTail = frank < 0;
            // redis-server 7.0 takes RANK LONG_MIN (its negation overflows) as -1 with no COUNT limit
            long skip = frank == Long.MIN_VALUE ? 0 : Math.abs(frank) - 1;
            long want = fcount == -1 ? 1 : fcount == 0 || frank == Long.MIN_VALUE ? Long.MAX_VALUE : fcount;
            List<Reply> out = new ArrayList<>();
            long scanned = 0;
            for (int k = 0; k < n && out.size() < want && (fmax == 0 || scanned < fmax); k++, scanned++) {
                int idx = fromTail ? n - 1 - k : k;
                if (Arrays.equals(l.get(idx), el)) {
                    if (skip > 0) {
                        skip--;
                    } else {
                        out.add(Reply.integer(idx));
                    }
                }
            }
            if (fcount == -1) {
                return out.isEmpty() ? Reply.NULL : out.get(0);
            }
            return new Reply.Array(out);
        });
    }

    /** A non-negative integer option; the message is Redis's for both a bad number and a negative one. */
    private static long positive(byte[] b, String msg) {
        Long v = io.redkit.core.Bytes.parseLong(b);
        if (v == null || v < 0) {
            throw new Args.Err(msg);
        }
        return v;
    }
}
