package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** String commands. Values are stored as given; INCR and friends parse and reprint them. */
final class StringCommands {
    static final long MAX_STRING = 512L * 1024 * 1024;

    private StringCommands() {
    }

    static void register() {
        add("set", -3, StringCommands::set);
        add("get", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> Reply.bulk(Args.string(v))));
        add("getdel", 2, (e, db, a) -> e.write(db, a.get(1), r -> {
            byte[] v = Args.string(r.value());
            r.delete();
            return Reply.bulk(v);
        }));
        add("getex", -2, StringCommands::getex);
        add("mget", -2, (e, db, a) -> {
            List<Reply> out = new ArrayList<>(a.size() - 1);
            for (int i = 1; i < a.size(); i++) {
                out.add(e.read(db, a.get(i), (v, x, now) -> v instanceof byte[] b ? Reply.bulk(b) : Reply.NULL));
            }
            return new Reply.Array(out);
        });
        add("mset", -3, StringCommands::mset);
        add("msetnx", -3, StringCommands::msetnx);
        add("setnx", 3, (e, db, a) -> e.write(db, a.get(1), r -> {
            if (r.exists()) {
                return Reply.integer(0);
            }
            r.setClearTtl(a.get(2));
            return Reply.integer(1);
        }));
        add("getset", 3, (e, db, a) -> e.write(db, a.get(1), r -> {
            byte[] old = Args.string(r.value());
            r.setClearTtl(a.get(2));
            return Reply.bulk(old);
        }));
        add("incr", 2, (e, db, a) -> incr(e, db, a.get(1), 1));
        add("decr", 2, (e, db, a) -> incr(e, db, a.get(1), -1));
        add("incrby", 3, (e, db, a) -> incr(e, db, a.get(1), Args.lng(a.get(2))));
        add("decrby", 3, (e, db, a) -> {
            long d = Args.lng(a.get(2));
            if (d == Long.MIN_VALUE) {
                throw new Args.Err("ERR decrement would overflow");
            }
            return incr(e, db, a.get(1), -d);
        });
        add("incrbyfloat", 3, StringCommands::incrbyfloat);
        add("append", 3, (e, db, a) -> e.write(db, a.get(1), r -> {
            byte[] cur = Args.string(r.value());
            byte[] add = a.get(2);
            if (cur == null) {
                r.set(add);
                return Reply.integer(add.length);
            }
            checkSize((long) cur.length + add.length);
            byte[] n = Arrays.copyOf(cur, cur.length + add.length);
            System.arraycopy(add, 0, n, cur.length, add.length);
            r.set(n);
            return Reply.integer(n.length);
        }));
        add("strlen", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            byte[] s = Args.string(v);
            return Reply.integer(s == null ? 0 : s.length);
        }));
        add("getrange", 4, StringCommands::getrange);
        add("setrange", 4, StringCommands::setrange);
    }

    static void checkSize(long n) {
        if (n > MAX_STRING) {
            throw new Args.Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    private static Reply set(KvEngine e, int db, List<byte[]> a) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        int unitArg = -1;
        long unit = 0;
        boolean abs = false;
        for (int i = 3; i < a.size(); i++) {
            byte[] o = a.get(i);
            boolean more = i + 1 < a.size();
            if (Args.is(o, "NX") && !xx) {
                nx = true;
            } else if (Args.is(o, "XX") && !nx) {
                xx = true;
            } else if (Args.is(o, "GET")) {
                get = true;
            } else if (Args.is(o, "KEEPTTL") && unitArg < 0) {
                keepTtl = true;
            } else if (unitArg < 0 && !keepTtl && more && (Args.is(o, "EX") || Args.is(o, "PX")
                    || Args.is(o, "EXAT") || Args.is(o, "PXAT"))) {
                unit = (o[0] | 0x20) == 'e' ? 1000 : 1;
                abs = o.length == 4;
                unitArg = ++i;
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        long when = -1;
        if (unitArg >= 0) {
            when = expireArg(a.get(unitArg), unit, abs, e.now(), "set");
        }
        final boolean fnx = nx;
        final boolean fxx = xx;
        final boolean fget = get;
        final boolean fkeep = keepTtl;
        final long fwhen = when;
        return e.write(db, a.get(1), r -> {
            Object old = r.value();
            if (fget && old != null && !(old instanceof byte[])) {
                throw new Args.Err(Reply.WRONGTYPE);
            }
            if (fnx && old != null || fxx && old == null) {
                return fget ? Reply.bulk((byte[]) old) : Reply.NULL;
            }
            if (fkeep) {
                r.set(a.get(2));
            } else {
                r.setClearTtl(a.get(2));
            }
            if (fwhen >= 0) {
                r.expireAt(fwhen);
            }
            return fget ? Reply.bulk((byte[]) old) : Reply.OK;
        });
    }

    /** An EX/PX/EXAT/PXAT argument as absolute ms; zero or negative is "invalid expire time". */
    static long expireArg(byte[] arg, long unit, boolean abs, long now, String cmd) {
        long t = Args.lng(arg);
        if (t <= 0 || t > Long.MAX_VALUE / unit) {
            throw new Args.Err("ERR invalid expire time in '" + cmd + "' command");
        }
        long ms = t * unit;
        if (!abs) {
            if (ms > Long.MAX_VALUE - now) {
                throw new Args.Err("ERR invalid expire time in '" + cmd + "' command");
            }
            ms += now;
        }
        return ms;
    }

    private static Reply getex(KvEngine e, int db, List<byte[]> a) {
        int unitArg = -1;
        long unit = 0;
        boolean abs = false;
        boolean persist = false;
        for (int i = 2; i < a.size(); i++) {
            byte[] o = a.get(i);
            boolean more = i + 1 < a.size();
            if (Args.is(o, "PERSIST") && unitArg < 0 && !persist) {
                persist = true;
            } else if (unitArg < 0 && !persist && more && (Args.is(o, "EX") || Args.is(o, "PX")
                    || Args.is(o, "EXAT") || Args.is(o, "PXAT"))) {
                unit = (o[0] | 0x20) == 'e' ? 1000 : 1;
                abs = o.length == 4;
                unitArg = ++i;
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        long when = unitArg >= 0 ? expireArg(a.get(unitArg), unit, abs, e.now(), "getex") : -1;
        final boolean fp = persist;
        return e.write(db, a.get(1), r -> {
            byte[] v = Args.string(r.value());
            if (v == null) {
                return Reply.NULL;
            }
            if (when >= 0) {
                r.expireAt(when);
            } else if (fp) {
                r.persist();
            }
            return Reply.bulk(v);
        });
    }

    private static Reply mset(KvEngine e, int db, List<byte[]> a) {
        if (a.size() % 2 == 0) {
            throw Args.wrongArgs("mset");
        }
        List<byte[]> keys = new ArrayList<>(a.size() / 2);
        for (int i = 1; i < a.size(); i += 2) {
            keys.add(a.get(i));
        }
        return e.writeMulti(db, keys, open -> {
            for (int i = 1; i < a.size(); i += 2) {
                open.apply(a.get(i)).setClearTtl(a.get(i + 1));
            }
            return Reply.OK;
        });
    }

    private static Reply msetnx(KvEngine e, int db, List<byte[]> a) {
        if (a.size() % 2 == 0) {
            throw Args.wrongArgs("msetnx");
        }
        List<byte[]> keys = new ArrayList<>(a.size() / 2);
        for (int i = 1; i < a.size(); i += 2) {
            keys.add(a.get(i));
        }
        return e.writeMulti(db, keys, open -> {
            for (byte[] k : keys) {
                if (open.apply(k).exists()) {
                    return Reply.integer(0);
                }
            }
            // opened again to set, as MSET does, so a key named twice sees its first value
            for (int i = 1; i < a.size(); i += 2) {
                open.apply(a.get(i)).setClearTtl(a.get(i + 1));
            }
            return Reply.integer(1);
        });
    }

    private static Reply incr(KvEngine e, int db, byte[] key, long by) {
        return e.write(db, key, r -> {
            byte[] cur = Args.string(r.value());
            long v = 0;
            if (cur != null) {
                Long p = cur.length <= 20 ? io.redkit.core.Bytes.parseLong(cur) : null;
                if (p == null) {
                    throw new Args.Err(Reply.NOT_INTEGER);
                }
                v = p;
            }
            if ((by < 0 && v < 0 && by < Long.MIN_VALUE - v) || (by > 0 && v > 0 && by > Long.MAX_VALUE - v)) {
                throw new Args.Err("ERR increment or decrement would overflow");
            }
            v += by;
            r.set(Args.num(v));
            return Reply.integer(v);
        });
    }

    private static Reply incrbyfloat(KvEngine e, int db, List<byte[]> a) {
        return e.write(db, a.get(1), r -> {
            // as Redis: the type, then the stored value, then the increment
            byte[] cur = Args.string(r.value());
            LongDouble v = longDouble(cur, Reply.NOT_FLOAT.text());
            LongDouble by = longDouble(a.get(2), Reply.NOT_FLOAT.text());
            byte[] s = Args.ascii(addFloats(v, by));
            r.set(s);
            return Reply.bulk(s);
        });
    }

    /**
     * The text of current + increment in long double arithmetic (current null: 0), both already read as valid
     * floats; an infinity in either or a sum beyond the long double range gives "increment would produce NaN or
     * Infinity".
     */
    static String addFloats(LongDouble cur, LongDouble by) {
        if (cur == LongDouble.INF || by == LongDouble.INF) {
            throw new Args.Err("ERR increment would produce NaN or Infinity");
        }
        LongDouble sum = cur.add(by);
        if (sum.overflows()) {
            throw new Args.Err("ERR increment would produce NaN or Infinity");
        }
        return sum.format();
    }

    /** A float argument or stored value as strtold reads it, else the error given. */
    static LongDouble longDouble(byte[] b, String error) {
        LongDouble v = b == null ? LongDouble.parse(ZERO) : LongDouble.parse(b);
        if (v == null) {
            throw new Args.Err(error);
        }
        return v;
    }

    private static final byte[] ZERO = {'0'};

    private static Reply getrange(KvEngine e, int db, List<byte[]> a) {
        long start = Args.lng(a.get(2));
        long end = Args.lng(a.get(3));
        return e.read(db, a.get(1), (v, x, now) -> {
            byte[] s = Args.string(v);
            if (s == null) {
                return Reply.bulk(new byte[0]);
            }
            long len = s.length;
            long st = start;
            long en = end;
            if (st < 0 && en < 0 && st > en) {
                return Reply.bulk(new byte[0]);
            }
            if (st < 0) {
                st = len + st;
            }
            if (en < 0) {
                en = len + en;
            }
            if (st < 0) {
                st = 0;
            }
            if (en < 0) {
                en = 0;
            }
            if (en >= len) {
                en = len - 1;
            }
            if (st > en || len == 0) {
                return Reply.bulk(new byte[0]);
            }
            return Reply.bulk(Arrays.copyOfRange(s, (int) st, (int) en + 1));
        });
    }

    private static Reply setrange(KvEngine e, int db, List<byte[]> a) {
        long off = Args.lng(a.get(2));
        byte[] val = a.get(3);
        if (off < 0) {
            throw new Args.Err("ERR offset is out of range");
        }
        return e.write(db, a.get(1), r -> {
            byte[] cur = Args.string(r.value());
            if (val.length == 0) {
                return Reply.integer(cur == null ? 0 : cur.length);
            }
            checkSize(off + val.length);
            int need = (int) off + val.length;
            byte[] n = cur == null ? new byte[need] : Arrays.copyOf(cur, Math.max(cur.length, need));
            System.arraycopy(val, 0, n, (int) off, val.length);
            r.set(n);
            return Reply.integer(n.length);
        });
    }
}
