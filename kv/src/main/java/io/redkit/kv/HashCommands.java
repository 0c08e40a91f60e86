package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import java.util.ArrayList;
import java.util.List;

/** Hash commands, with Redis 7.4's per-field TTL commands (HEXPIRE family, HTTL family, HPERSIST). */
final class HashCommands {
    /** Largest field expiry Redis accepts (2^48 - 1 ms). */
    static final long MAX_FIELD_EXPIRE = (1L << 48) - 1;

    private HashCommands() {
    }

    static void register() {
        add("hset", -4, (e, db, a) -> hset(e, db, a, "hset", false));
        add("hmset", -4, (e, db, a) -> hset(e, db, a, "hmset", true));
        add("hsetnx", 4, (e, db, a) -> e.write(db, a.get(1), r -> {
            KvHash h = forWrite(r);
            if (h.get(a.get(2), r.now) != null) {
                return Reply.integer(0);
            }
            h.put(a.get(2), a.get(3));
            return Reply.integer(1);
        }));
        add("hget", 3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            return h == null ? Reply.NULL : Reply.bulk(h.get(a.get(2), now));
        }));
        add("hdel", -3, (e, db, a) -> e.write(db, a.get(1), r -> {
            KvHash h = Args.hash(r.value());
            if (h == null) {
                return Reply.integer(0);
            }
            h.purge(r.now);
            long n = 0;
            for (int i = 2; i < a.size(); i++) {
                if (h.remove(a.get(i))) {
                    n++;
                }
            }
            return Reply.integer(n);
        }));
        add("hgetall", 2, (e, db, a) -> all(e, db, a, true, true));
        add("hkeys", 2, (e, db, a) -> all(e, db, a, true, false));
        add("hvals", 2, (e, db, a) -> all(e, db, a, false, true));
        add("hlen", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            return Reply.integer(h == null ? 0 : h.liveSize(now));
        }));
        add("hexists", 3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            return Reply.integer(h != null && h.get(a.get(2), now) != null ? 1 : 0);
        }));
        add("hmget", -3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            List<Reply> out = new ArrayList<>(a.size() - 2);
            for (int i = 2; i < a.size(); i++) {
                out.add(h == null ? Reply.NULL : Reply.bulk(h.get(a.get(i), now)));
            }
            return new Reply.Array(out);
        }));
        add("hincrby", 4, HashCommands::hincrby);
        add("hincrbyfloat", 4, HashCommands::hincrbyfloat);
        add("hstrlen", 3, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            byte[] f = h == null ? null : h.get(a.get(2), now);
            return Reply.integer(f == null ? 0 : f.length);
        }));
        add("hrandfield", -2, HashCommands::hrandfield);
        add("hexpire", -6, (e, db, a) -> hexpire(e, db, a, "hexpire", 1000, false));
        add("hpexpire", -6, (e, db, a) -> hexpire(e, db, a, "hpexpire", 1, false));
        add("hexpireat", -6, (e, db, a) -> hexpire(e, db, a, "hexpireat", 1000, true));
        add("hpexpireat", -6, (e, db, a) -> hexpire(e, db, a, "hpexpireat", 1, true));
        add("httl", -5, (e, db, a) -> httl(e, db, a, false, false));
        add("hpttl", -5, (e, db, a) -> httl(e, db, a, true, false));
        add("hexpiretime", -5, (e, db, a) -> httl(e, db, a, false, true));
        add("hpexpiretime", -5, (e, db, a) -> httl(e, db, a, true, true));
        add("hpersist", -5, HashCommands::hpersist);
    }

    private static Reply hset(KvEngine e, int db, List<byte[]> a, String name, boolean ok) {
        if (a.size() % 2 != 0) {
            throw Args.wrongArgs(name);
        }
        return e.write(db, a.get(1), r -> {
            KvHash h = forWrite(r);
            long n = 0;
            for (int i = 2; i < a.size(); i += 2) {
                if (h.put(a.get(i), a.get(i + 1))) {
                    n++;
                }
            }
            return ok ? Reply.OK : Reply.integer(n);
        });
    }

    private static Reply all(KvEngine e, int db, List<byte[]> a, boolean keys, boolean vals) {
        return e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            if (h == null) {
                return Reply.EMPTY_ARRAY;
            }
            List<Reply> out = new ArrayList<>();
            ObjMap f = h.fields;
            for (int i = f.nextSlot(0); i >= 0; i = f.nextSlot(i + 1)) {
                if (h.expired(f.keyAt(i), now)) {
                    continue;
                }
                if (keys) {
                    out.add(Reply.bulk(f.keyAt(i)));
                }
                if (vals) {
                    out.add(Reply.bulk((byte[]) f.valAt(i)));
                }
            }
            return new Reply.Array(out);
        });
    }

    private static Reply hincrby(KvEngine e, int db, List<byte[]> a) {
        long by = Args.lng(a.get(3));
        return e.write(db, a.get(1), r -> {
            KvHash h = forWrite(r);
            byte[] cur = h.get(a.get(2), r.now);
            long v = 0;
            if (cur != null) {
                Long p = io.redkit.core.Bytes.parseLong(cur);
                if (p == null) {
                    throw new Args.Err("ERR hash value is not an integer");
                }
                v = p;
            }
            if ((by < 0 && v < 0 && by < Long.MIN_VALUE - v) || (by > 0 && v > 0 && by > Long.MAX_VALUE - v)) {
                throw new Args.Err("ERR increment or decrement would overflow");
            }
            v += by;
            int slot = h.fields.find(a.get(2));
            if (slot >= 0) {
                // HINCRBY keeps the field's TTL, unlike HSET
                long fe = h.fieldExpire(a.get(2));
                h.put(a.get(2), Args.num(v));
                if (fe >= 0) {
                    h.setFieldExpire(a.get(2), fe);
                }
            } else {
                h.put(a.get(2), Args.num(v));
            }
            return Reply.integer(v);
        });
    }

    /** Index of the first field after FIELDS numfields, checking the count matches. */
    private static int fieldsAt(List<byte[]> a, int at, String badCount) {
        if (!Args.is(a.get(at), "FIELDS")) {
            throw new Args.Err("ERR Mandatory argument FIELDS is missing or not at the right position");
        }
        Long n = io.redkit.core.Bytes.parseLong(a.get(at + 1));
        if (n == null || n < 1) {
            throw new Args.Err(badCount);
        }
        if (n != a.size() - at - 2) {
            throw new Args.Err("ERR The `numfields` parameter must match the number of arguments");
        }
        return at + 2;
    }

    private static Reply hexpire(KvEngine e, int db, List<byte[]> a, String name, long unit, boolean abs) {
        long t = Args.lng(a.get(2));
        if (t < 0) {
            throw new Args.Err("ERR invalid expire time, must be >= 0");
        }
        if (t > MAX_FIELD_EXPIRE / unit) {
            throw new Args.Err("ERR invalid expire time in '" + name + "' command");
        }
        int at = 3;
        int cond = 0;
        byte[] o = a.get(3);
        if (Args.is(o, "NX")) {
            cond = 1;
        } else if (Args.is(o, "XX")) {
            cond = 2;
        } else if (Args.is(o, "GT")) {
            cond = 3;
        } else if (Args.is(o, "LT")) {
            cond = 4;
        }
        if (cond != 0) {
            at++;
        }
        if (at + 1 >= a.size()) {
            throw new Args.Err("ERR Mandatory argument FIELDS is missing or not at the right position");
        }
        int first = fieldsAt(a, at, "ERR Parameter `numFields` should be greater than 0");
        int fcond = cond;
        return e.write(db, a.get(1), r -> {
            KvHash h = Args.hash(r.value());
            long when = t * unit;
            if (!abs) {
                if (when > MAX_FIELD_EXPIRE - r.now) {
                    throw new Args.Err("ERR invalid expire time in '" + name + "' command");
                }
                when += r.now;
            }
            List<Reply> out = new ArrayList<>(a.size() - first);
            if (h != null) {
                h.purge(r.now);
            }
            for (int i = first; i < a.size(); i++) {
                byte[] f = a.get(i);
                if (h == null || h.fields.find(f) < 0) {
                    out.add(Reply.integer(-2));
                    continue;
                }
                long cur = h.fieldExpire(f);
                boolean skip = switch (fcond) {
                    case 1 -> cur >= 0;
                    case 2 -> cur < 0;
                    case 3 -> cur < 0 || when <= cur;
                    case 4 -> cur >= 0 && when >= cur;
                    default -> false;
                };
                if (skip) {
                    out.add(Reply.integer(0));
                } else if (when <= r.now) {
                    h.remove(f);
                    out.add(Reply.integer(2));
                } else {
                    h.setFieldExpire(f, when);
                    out.add(Reply.integer(1));
                }
            }
            return new Reply.Array(out);
        });
    }

    private static Reply httl(KvEngine e, int db, List<byte[]> a, boolean ms, boolean abs) {
        int first = fieldsAt(a, 2, "ERR Number of fields must be a positive integer");
        return e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            List<Reply> out = new ArrayList<>(a.size() - first);
            for (int i = first; i < a.size(); i++) {
                byte[] f = a.get(i);
                if (h == null || h.get(f, now) == null) {
                    out.add(Reply.integer(-2));
                    continue;
                }
                long exp = h.fieldExpire(f);
                if (exp < 0) {
                    out.add(Reply.integer(-1));
                } else if (abs) {
                    out.add(Reply.integer(ms ? exp : exp / 1000));
                } else {
                    out.add(Reply.integer(ms ? exp - now : (exp - now + 999) / 1000));
                }
            }
            return new Reply.Array(out);
        });
    }

    private static Reply hpersist(KvEngine e, int db, List<byte[]> a) {
        int first = fieldsAt(a, 2, "ERR Number of fields must be a positive integer");
        return e.write(db, a.get(1), r -> {
            KvHash h = Args.hash(r.value());
            if (h != null) {
                h.purge(r.now);
            }
            List<Reply> out = new ArrayList<>(a.size() - first);
            for (int i = first; i < a.size(); i++) {
                byte[] f = a.get(i);
                if (h == null || h.fields.find(f) < 0) {
                    out.add(Reply.integer(-2));
                } else {
                    out.add(Reply.integer(h.persistField(f) ? 1 : -1));
                }
            }
            return new Reply.Array(out);
        });
    }

    /**
     * HINCRBYFLOAT key field incr: the new value as INCRBYFLOAT prints it; logged as HSET key field value (see
     * {@link Propagation}), so a replay does not depend on float arithmetic.
     */
    private static Reply hincrbyfloat(KvEngine e, int db, List<byte[]> a) {
        LongDouble by = StringCommands.longDouble(a.get(3), Reply.NOT_FLOAT.text());
        if (by == LongDouble.INF) {
            throw new Args.Err("ERR value is NaN or Infinity");
        }
        return e.write(db, a.get(1), r -> {
            KvHash h = forWrite(r);
            byte[] cur = h.get(a.get(2), r.now);
            LongDouble v = StringCommands.longDouble(cur, "ERR hash value is not a float");
            byte[] out = Args.ascii(StringCommands.addFloats(v, by));
            // like HINCRBY, the field keeps its TTL
            long fe = cur == null ? -1 : h.fieldExpire(a.get(2));
            h.put(a.get(2), out);
            if (fe >= 0) {
                h.setFieldExpire(a.get(2), fe);
            }
            return Reply.bulk(out);
        });
    }

    /**
     * HRANDFIELD key [count [WITHVALUES]]: one field, distinct fields (count > 0) or fields drawn with repetition
     * (count < 0); a flat field/value array with WITHVALUES (the server pairs it for RESP3). A read: not logged.
     */
    private static Reply hrandfield(KvEngine e, int db, List<byte[]> a) {
        boolean hasCount = a.size() >= 3;
        boolean withValues = false;
        long count = 0;
        if (hasCount) {
            count = Args.lng(a.get(2));
            if (count == Long.MIN_VALUE) {
                throw new Args.Err("ERR value is out of range, value must between -9223372036854775807 and "
                        + "9223372036854775807");
            }
            if (a.size() > 4 || (a.size() == 4 && !Args.is(a.get(3), "WITHVALUES"))) {
                throw new Args.Err(Reply.SYNTAX);
            }
            if (a.size() == 4) {
                withValues = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    throw new Args.Err("ERR value is out of range");
                }
            }
            if (count < -SetCommands.MAX_PICKS) {
                throw new Args.Err("ERR value is out of range");
            }
        }
        long fcount = count;
        boolean fwv = withValues;
        return e.read(db, a.get(1), (v, x, now) -> {
            KvHash h = Args.hash(v);
            if (h == null) {
                return hasCount ? Reply.EMPTY_ARRAY : Reply.NULL;
            }
            ObjMap f = h.fields;
            int[] live = new int[f.size()];
            int n = 0;
            for (int i = f.nextSlot(0); i >= 0; i = f.nextSlot(i + 1)) {
                if (!h.expired(f.keyAt(i), now)) {
                    live[n++] = i;
                }
            }
            java.util.concurrent.ThreadLocalRandom rnd = java.util.concurrent.ThreadLocalRandom.current();
            if (!hasCount) {
                return n == 0 ? Reply.NULL : Reply.bulk(f.keyAt(live[rnd.nextInt(n)]));
            }
            if (fcount == 0 || n == 0) {
                return Reply.EMPTY_ARRAY;
            }
            List<Reply> out = new ArrayList<>();
            if (fcount < 0) {
                for (long k = 0; k < -fcount; k++) {
                    addField(out, f, live[rnd.nextInt(n)], fwv);
                }
                return new Reply.Array(out);
            }
            int take = (int) Math.min(fcount, n);
            // a partial Fisher-Yates shuffle of the live slots picks distinct fields
            for (int k = 0; k < take; k++) {
                int j = k + rnd.nextInt(n - k);
                int t = live[k];
                live[k] = live[j];
                live[j] = t;
                addField(out, f, live[k], fwv);
            }
            return new Reply.Array(out);
        });
    }

    private static void addField(List<Reply> out, ObjMap f, int slot, boolean withValue) {
        out.add(Reply.bulk(f.keyAt(slot)));
        if (withValue) {
            out.add(Reply.bulk((byte[]) f.valAt(slot)));
        }
    }

    /** The hash under the key for a write: created (and stored) when missing, its expired fields dropped otherwise. */
    private static KvHash forWrite(KeyRef r) {
        KvHash h = Args.hash(r.value());
        if (h == null) {
            h = new KvHash();
            r.set(h);
        } else {
            h.purge(r.now);
        }
        return h;
    }
}
