package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import io.redkit.core.sink.Glob;

import java.util.ArrayList;
import java.util.List;

/** Keyspace commands: DEL, EXISTS, TYPE, the EXPIRE and TTL families, PERSIST, RENAME, MOVE, DBSIZE, FLUSH*, SCAN, KEYS, RANDOMKEY. */
final class KeyCommands {
    private KeyCommands() {
    }

    static void register() {
        add("del", -2, KeyCommands::del);
        add("unlink", -2, KeyCommands::del);
        add("exists", -2, KeyCommands::exists);
        add("type", 2, (e, db, a) -> e.readNoTouch(db, a.get(1), (v, x, now) ->
                new Reply.Simple(v == null ? "none" : KvValue.typeName(v))));
        add("expire", -3, (e, db, a) -> expire(e, db, a, "expire", 1000, false));
        add("pexpire", -3, (e, db, a) -> expire(e, db, a, "pexpire", 1, false));
        add("expireat", -3, (e, db, a) -> expire(e, db, a, "expireat", 1000, true));
        add("pexpireat", -3, (e, db, a) -> expire(e, db, a, "pexpireat", 1, true));
        add("ttl", 2, (e, db, a) -> ttl(e, db, a, false, false));
        add("pttl", 2, (e, db, a) -> ttl(e, db, a, true, false));
        add("expiretime", 2, (e, db, a) -> ttl(e, db, a, false, true));
        add("pexpiretime", 2, (e, db, a) -> ttl(e, db, a, true, true));
        add("persist", 2, (e, db, a) -> e.write(db, a.get(1), r -> Reply.integer(r.persist() ? 1 : 0)));
        add("rename", 3, (e, db, a) -> rename(e, db, a, false));
        add("move", 3, (e, db, a) -> {
            long to = Args.lng(a.get(2));
            if (to != (int) to) {
                throw new Args.Err("ERR value is out of range, value must between -2147483648 and 2147483647");
            }
            if (to < 0 || to >= KvEngine.DATABASES) {
                throw new Args.Err("ERR DB index is out of range");
            }
            if (to == db) {
                throw new Args.Err("ERR source and destination objects are the same");
            }
            return Reply.integer(e.move(db, (int) to, a.get(1)) ? 1 : 0);
        });
        add("renamenx", 3, (e, db, a) -> rename(e, db, a, true));
        add("dbsize", 1, (e, db, a) -> Reply.integer(e.dbSize(db)));
        add("flushdb", -1, (e, db, a) -> {
            flushMode(a);
            e.flush(db);
            return Reply.OK;
        });
        add("flushall", -1, (e, db, a) -> {
            flushMode(a);
            for (int d = 0; d < KvEngine.DATABASES; d++) {
                e.flush(d);
            }
            return Reply.OK;
        });
        add("scan", -2, KeyCommands::scan);
        add("keys", 2, KeyCommands::keys);
        add("randomkey", 1, (e, db, a) -> Reply.bulk(e.randomKey(db)));
        add("ping", -1, (e, db, a) -> a.size() == 1 ? new Reply.Simple("PONG")
                : a.size() == 2 ? Reply.bulk(a.get(1)) : Args.wrongArgs("ping").reply);
        add("echo", 2, (e, db, a) -> Reply.bulk(a.get(1)));
    }

    private static void flushMode(List<byte[]> a) {
        if (a.size() > 2 || (a.size() == 2 && !Args.is(a.get(1), "ASYNC") && !Args.is(a.get(1), "SYNC"))) {
            throw new Args.Err(Reply.SYNTAX);
        }
    }

    private static Reply del(KvEngine e, int db, List<byte[]> a) {
        long n = 0;
        for (int i = 1; i < a.size(); i++) {
            if (e.write(db, a.get(i), r -> r.delete() ? Reply.integer(1) : Reply.integer(0)) == Reply.integer(1)) {
                n++;
            }
        }
        return Reply.integer(n);
    }

    private static Reply exists(KvEngine e, int db, List<byte[]> a) {
        long n = 0;
        for (int i = 1; i < a.size(); i++) {
            if (e.readNoTouch(db, a.get(i), (v, x, now) -> v != null)) {
                n++;
            }
        }
        return Reply.integer(n);
    }

    private static Reply expire(KvEngine e, int db, List<byte[]> a, String name, long unit, boolean abs) {
        long t = Args.lng(a.get(2));
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < a.size(); i++) {
            byte[] o = a.get(i);
            if (Args.is(o, "NX")) {
                nx = true;
            } else if (Args.is(o, "XX")) {
                xx = true;
            } else if (Args.is(o, "GT")) {
                gt = true;
            } else if (Args.is(o, "LT")) {
                lt = true;
            } else {
                throw new Args.Err("ERR Unsupported option " + Args.str(o));
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new Args.Err("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new Args.Err("ERR GT and LT options at the same time are not compatible");
        }
        if (t > Long.MAX_VALUE / unit || t < Long.MIN_VALUE / unit) {
            throw new Args.Err("ERR invalid expire time in '" + name + "' command");
        }
        long ms = t * unit;
        final boolean fnx = nx;
        final boolean fxx = xx;
        final boolean fgt = gt;
        final boolean flt = lt;
        return e.write(db, a.get(1), r -> {
            long when = ms;
            if (!abs) {
                if ((ms > 0 && r.now > Long.MAX_VALUE - ms) || (ms < 0 && r.now < Long.MIN_VALUE - ms)) {
                    throw new Args.Err("ERR invalid expire time in '" + name + "' command");
                }
                when = ms + r.now;
            }
            if (!r.exists()) {
                return Reply.integer(0);
            }
            long cur = r.expireAt();
            if (fnx && cur >= 0 || fxx && cur < 0) {
                return Reply.integer(0);
            }
            // a key without TTL counts as an infinite TTL for GT and LT
            if (fgt && (cur < 0 || when <= cur) || flt && cur >= 0 && when >= cur) {
                return Reply.integer(0);
            }
            r.expireAt(when);
            return Reply.integer(1);
        });
    }

    private static Reply ttl(KvEngine e, int db, List<byte[]> a, boolean ms, boolean abs) {
        return e.readNoTouch(db, a.get(1), (v, exp, now) -> {
            if (v == null) {
                return Reply.integer(-2);
            }
            if (exp < 0) {
                return Reply.integer(-1);
            }
            long t = abs ? exp : Math.max(0, exp - now);
            return Reply.integer(ms ? t : (t + 500) / 1000);
        });
    }

    private static Reply rename(KvEngine e, int db, List<byte[]> a, boolean nx) {
        byte[] src = a.get(1);
        byte[] dst = a.get(2);
        return e.writeMulti(db, List.of(src, dst), open -> {
            KeyRef s = open.apply(src);
            if (!s.exists()) {
                return Reply.error("ERR no such key");
            }
            if (java.util.Arrays.equals(src, dst)) {
                return nx ? Reply.integer(0) : Reply.OK;
            }
            Object v = s.value();
            long exp = s.expireAt();
            KeyRef d = open.apply(dst);
            if (nx && d.exists()) {
                return Reply.integer(0);
            }
            s.delete();
            d.delete();
            d.set(v);
            if (exp >= 0) {
                d.expireAt(exp);
            }
            return nx ? Reply.integer(1) : Reply.OK;
        });
    }

    /** KEYS as a full SCAN: each step holds one shard's read lock, so writers are not stopped for the whole walk. */
    private static Reply keys(KvEngine e, int db, List<byte[]> a) {
        byte[] p = a.get(1);
        Glob match = p.length == 1 && p[0] == '*' ? null : new Glob(p);
        List<Reply> out = new ArrayList<>();
        long cursor = 0;
        do {
            KvEngine.ScanResult res = e.scan(db, cursor, 1024, match, null);
            for (byte[] k : res.keys()) {
                out.add(Reply.bulk(k));
            }
            cursor = res.cursor();
        } while (cursor != 0);
        return new Reply.Array(out);
    }

    private static Reply scan(KvEngine e, int db, List<byte[]> a) {
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(Args.str(a.get(1)));
        } catch (NumberFormatException ex) {
            throw new Args.Err("ERR invalid cursor");
        }
        long count = 10;
        Glob match = null;
        String type = null;
        for (int i = 2; i < a.size(); i++) {
            byte[] o = a.get(i);
            boolean more = i + 1 < a.size();
            if (Args.is(o, "COUNT") && more) {
                count = Args.lng(a.get(++i));
                if (count < 1) {
                    throw new Args.Err(Reply.SYNTAX);
                }
            } else if (Args.is(o, "MATCH") && more) {
                byte[] p = a.get(++i);
                match = p.length == 1 && p[0] == '*' ? null : new Glob(p);
            } else if (Args.is(o, "TYPE") && more) {
                type = Args.str(a.get(++i)).toLowerCase(java.util.Locale.ROOT);
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        KvEngine.ScanResult res = e.scan(db, cursor, count, match, type);
        List<Reply> keys = new ArrayList<>(res.keys().size());
        for (byte[] k : res.keys()) {
            keys.add(Reply.bulk(k));
        }
        return new Reply.Array(List.of(Reply.bulk(Args.ascii(Long.toUnsignedString(res.cursor()))),
                new Reply.Array(keys)));
    }
}
