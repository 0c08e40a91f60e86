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
}
