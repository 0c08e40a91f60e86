package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import io.redkit.core.event.StreamId;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Consumer-group commands as redis-server 7.0 answers them: XREADGROUP (non-blocking part; a server blocks by
 * retrying it), XACK, XPENDING (summary and extended), XINFO STREAM (and FULL), GROUPS and CONSUMERS, XCLAIM.
 */
final class StreamGroupCommands {
    private static final StreamId MAX = new StreamId(-1L, -1L);

    private StreamGroupCommands() {
    }

    static void register() {
        add("xreadgroup", -7, StreamGroupCommands::xreadgroup);
        add("xack", -4, StreamGroupCommands::xack);
        add("xpending", -3, StreamGroupCommands::xpending);
        add("xinfo", -2, StreamGroupCommands::xinfo);
        add("xclaim", -6, StreamGroupCommands::xclaim);
    }

    private static Reply entry(StreamId id, byte[][] fv) {
        if (fv == null) {
            return new Reply.Array(List.of(Reply.bulk(StreamCommands.idBytes(id)), Reply.NULL_ARRAY));
        }
        List<Reply> f = new ArrayList<>(fv.length);
        for (byte[] b : fv) {
            f.add(Reply.bulk(b));
        }
        return new Reply.Array(List.of(Reply.bulk(StreamCommands.idBytes(id)), new Reply.Array(f)));
    }

    /**
     * XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...: BLOCK is parsed and otherwise left to
     * the server, which gets the null array when nothing is ready and may retry after the next XADD.
     */
    private static Reply xreadgroup(KvEngine e, int db, List<byte[]> a) {
        long count = 0;
        boolean noack = false;
        byte[] group = null;
        byte[] consumer = null;
        int streamsArg = 0;
        int n = 0;
        for (int i = 1; i < a.size(); i++) {
            byte[] o = a.get(i);
            int more = a.size() - i - 1;
            if (Args.is(o, "BLOCK") && more > 0) {
                Long t = io.redkit.core.Bytes.parseLong(a.get(++i));
                if (t == null) {
                    throw new Args.Err("ERR timeout is not an integer or out of range");
                }
                if (t < 0) {
                    throw new Args.Err("ERR timeout is negative");
                }
            } else if (Args.is(o, "COUNT") && more > 0) {
                count = Math.max(0, Args.lng(a.get(++i)));
            } else if (Args.is(o, "STREAMS") && more > 0) {
                streamsArg = i + 1;
                n = a.size() - streamsArg;
                if (n % 2 != 0) {
                    // redis-server 7.0 gives XREAD's text for XREADGROUP too
                    throw new Args.Err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$'"
                            + " must be specified.");
                }
                n /= 2;
                break;
            } else if (Args.is(o, "GROUP") && more >= 2) {
                group = a.get(i + 1);
                consumer = a.get(i + 2);
                i += 2;
            } else if (Args.is(o, "NOACK")) {
                noack = true;
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        if (streamsArg == 0) {
            throw new Args.Err(Reply.SYNTAX);
        }
        if (group == null) {
            throw new Args.Err("ERR Missing GROUP option for XREADGROUP");
        }
        List<byte[]> keys = new ArrayList<>(a.subList(streamsArg, streamsArg + n));
        byte[] g = group;
        byte[] c = consumer;
        long fcount = count;
        boolean fnoack = noack;
        int nk = n;
        int first = streamsArg;
        return e.writeMulti(db, keys, open -> {
            KeyRef[] refs = new KeyRef[nk];
            KvStream.Group[] groups = new KvStream.Group[nk];
            StreamId[] ids = new StreamId[nk];
            // Redis checks every key, group and ID before it serves any stream
            for (int i = 0; i < nk; i++) {
                refs[i] = open.apply(keys.get(i));
                KvStream s = Args.stream(refs[i].value());
                groups[i] = s == null ? null : s.group(g);
                if (groups[i] == null) {
                    throw new Args.Err("NOGROUP No such key '" + Args.str(keys.get(i)) + "' or consumer group '"
                            + Args.str(g) + "' in XREADGROUP with GROUP option");
                }
                byte[] idArg = a.get(first + nk + i);
                if (idArg.length == 1 && idArg[0] == '$') {
                    throw new Args.Err("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read"
                            + " the history of this consumer by specifying a proper ID, or use the > ID to get new"
                            + " messages. The $ ID would just return an empty result set.");
                }
                ids[i] = idArg.length == 1 && idArg[0] == '>' ? null : StreamCommands.parseId(idArg, 0, false);
            }
            long now = refs[0].now;
            List<Reply> out = new ArrayList<>();
            for (int i = 0; i < nk; i++) {
                KvStream s = (KvStream) refs[i].value();
                KvStream.Group grp = groups[i];
                boolean history = ids[i] != null;
                if (!history && (s.entries.isEmpty() || s.entries.lastKey().compareTo(grp.lastId) <= 0)) {
                    continue;
                }
                KvStream.Consumer cons = grp.consumer(c, true, now);
                cons.seenTime = now;
                List<Reply> got = history ? fromPel(s, grp, cons, ids[i], fcount, now)
                        : deliverNew(s, grp, cons, fcount, fnoack, now);
                out.add(new Reply.Array(List.of(Reply.bulk(keys.get(i)), new Reply.Array(got))));
                refs[i].set(s);
            }
            return out.isEmpty() ? Reply.NULL_ARRAY : new Reply.Array(out);
        });
    }

    private static List<Reply> deliverNew(KvStream s, KvStream.Group grp, KvStream.Consumer cons, long count,
                                          boolean noack, long now) {
        List<Reply> got = new ArrayList<>();
        Iterator<Map.Entry<StreamId, byte[][]>> it = s.entries.tailMap(grp.lastId, false).entrySet().iterator();
        while (it.hasNext() && (count == 0 || got.size() < count)) {
            Map.Entry<StreamId, byte[][]> en = it.next();
            StreamId id = en.getKey();
            advance(s, grp, id);
            got.add(entry(id, en.getValue()));
            if (!noack) {
                KvStream.Pending p = grp.pel.get(id);
                if (p == null) {
                    grp.pel.put(id, new KvStream.Pending(cons, now, 1));
                } else {
                    // pending already (the group's ID was set back): it moves to this consumer
                    if (p.owner != null) {
                        p.owner.pending.remove(id);
                    }
                    p.owner = cons;
                    p.deliveryTime = now;
                    p.deliveryCount = 1;
                }
                cons.pending.add(id);
            }
        }
        if (!got.isEmpty()) {
            cons.activeTime = now;
        }
        return got;
    }

    /** Moves the group's last ID to a delivered entry and keeps its entries-read counter as Redis 7.0 does. */
    private static void advance(KvStream s, KvStream.Group grp, StreamId id) {
        if (id.compareTo(grp.lastId) <= 0) {
            return;
        }
        if (grp.entriesRead != -1 && !hasTombstonesFrom(s, id)) {
            grp.entriesRead++;
        } else if (s.entriesAdded != 0) {
            grp.entriesRead = distanceFromFirst(s, id);
        }
        grp.lastId = id;
    }

    /** True when an XDEL may have removed an entry at or after {@code start}. */
    static boolean hasTombstonesFrom(KvStream s, StreamId start) {
        if (s.entries.isEmpty() || s.maxDeletedId.equals(StreamId.ZERO)) {
            return false;
        }
        return start.compareTo(s.maxDeletedId) <= 0;
    }

    /** Redis's estimate of how many entries were added up to {@code id}, or -1 when it cannot tell. */
    static long distanceFromFirst(KvStream s, StreamId id) {
        if (s.entriesAdded == 0) {
            return 0;
        }
        if (s.entries.isEmpty() && id.compareTo(s.lastId) < 1) {
            return s.entriesAdded;
        }
        int cmpLast = id.compareTo(s.lastId);
        if (cmpLast == 0) {
            return s.entriesAdded;
        }
        if (cmpLast > 0) {
            return -1;
        }
        StreamId firstId = s.firstId();
        int cmpFirst = id.compareTo(firstId);
        if (s.maxDeletedId.equals(StreamId.ZERO) || s.maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return s.entriesAdded - s.entries.size();
            }
            if (cmpFirst == 0) {
                return s.entriesAdded - s.entries.size() + 1;
            }
        }
        return -1;
    }

    /** A consumer's history after {@code after}: deleted entries come as [id, nil]; found ones count a delivery. */
    private static List<Reply> fromPel(KvStream s, KvStream.Group grp, KvStream.Consumer cons, StreamId after,
                                       long count, long now) {
        List<Reply> got = new ArrayList<>();
        for (StreamId id : cons.pending.tailSet(after, false)) {
            if (count != 0 && got.size() >= count) {
                break;
            }
            byte[][] fv = s.entries.get(id);
            got.add(entry(id, fv));
            if (fv != null) {
                KvStream.Pending p = grp.pel.get(id);
                p.deliveryCount++;
                p.deliveryTime = now;
            }
        }
        return got;
    }

    /**
     * XCLAIM key group consumer min-idle id... [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id], as
     * redis-server 7.0: IDs run until the first argument that is not one; PEL entries of deleted stream entries
     * are dropped; FORCE creates missing PEL entries for existing stream entries.
     */
    private static Reply xclaim(KvEngine e, int db, List<byte[]> a) {
        return e.write(db, a.get(1), r -> {
            KvStream s = Args.stream(r.value());
            KvStream.Group g = s == null ? null : s.group(a.get(2));
            if (g == null) {
                throw new Args.Err("NOGROUP No such key '" + Args.str(a.get(1)) + "' or consumer group '"
                        + Args.str(a.get(2)) + "'");
            }
            Long mi = io.redkit.core.Bytes.parseLong(a.get(4));
            if (mi == null) {
                throw new Args.Err("ERR Invalid min-idle-time argument for XCLAIM");
            }
            long minIdle = Math.max(0, mi);
            List<StreamId> ids = new ArrayList<>();
            int j = 5;
            for (; j < a.size(); j++) {
                try {
                    ids.add(StreamCommands.parseId(a.get(j), 0, false));
                } catch (Args.Err ex) {
                    break;
                }
            }
            long now = r.now;
            boolean force = false;
            boolean justId = false;
            long delivery = -1;
            long retry = -1;
            StreamId lastId = StreamId.ZERO;
            for (; j < a.size(); j++) {
                byte[] o = a.get(j);
                boolean more = j + 1 < a.size();
                if (Args.is(o, "FORCE")) {
                    force = true;
                } else if (Args.is(o, "JUSTID")) {
                    justId = true;
                } else if (Args.is(o, "IDLE") && more) {
                    delivery = now - longOpt(a.get(++j), "IDLE");
                } else if (Args.is(o, "TIME") && more) {
                    delivery = longOpt(a.get(++j), "TIME");
                } else if (Args.is(o, "RETRYCOUNT") && more) {
                    retry = longOpt(a.get(++j), "RETRYCOUNT");
                } else if (Args.is(o, "LASTID") && more) {
                    lastId = StreamCommands.parseId(a.get(++j), 0, false);
                } else {
                    throw new Args.Err("ERR Unrecognized XCLAIM option '" + Args.str(o) + "'");
                }
            }
            if (lastId.compareTo(g.lastId) > 0) {
                g.lastId = lastId;
            }
            // a bogus time (negative or in the future) becomes now, as Redis does
            if (delivery < 0 || delivery > now) {
                delivery = now;
            }
            KvStream.Consumer cons = null;
            List<Reply> out = new ArrayList<>();
            for (StreamId id : ids) {
                KvStream.Pending p = g.pel.get(id);
                byte[][] fv = s.entries.get(id);
                if (fv == null) {
                    if (p != null) {
                        g.ack(id);
                    }
                    continue;
                }
                if (force && p == null) {
                    p = new KvStream.Pending(null, now, 1);
                    g.pel.put(id, p);
                }
                if (p == null) {
                    continue;
                }
                if (p.owner != null && minIdle > 0 && now - p.deliveryTime < minIdle) {
                    continue;
                }
                if (cons == null) {
                    cons = g.consumer(a.get(3), true, now);
                    cons.seenTime = now;
                }
                if (p.owner != cons && p.owner != null) {
                    p.owner.pending.remove(id);
                }
                p.deliveryTime = delivery;
                if (retry >= 0) {
                    p.deliveryCount = retry;
                } else if (!justId) {
                    p.deliveryCount++;
                }
                p.owner = cons;
                cons.pending.add(id);
                out.add(justId ? Reply.bulk(StreamCommands.idBytes(id)) : entry(id, fv));
            }
            return new Reply.Array(out);
        });
    }

    private static long longOpt(byte[] v, String opt) {
        Long n = io.redkit.core.Bytes.parseLong(v);
        if (n == null) {
            throw new Args.Err("ERR Invalid " + opt + " option argument for XCLAIM");
        }
        return n;
    }

    private static Reply xack(KvEngine e, int db, List<byte[]> a) {
        return e.write(db, a.get(1), r -> {
            KvStream s = Args.stream(r.value());
            List<StreamId> ids = new ArrayList<>(a.size() - 3);
            for (int i = 3; i < a.size(); i++) {
                ids.add(StreamCommands.parseId(a.get(i), 0, false));
            }
            KvStream.Group g = s == null ? null : s.group(a.get(2));
            if (g == null) {
                return Reply.integer(0);
            }
            long n = 0;
            for (StreamId id : ids) {
                if (g.ack(id)) {
                    n++;
                }
            }
            return Reply.integer(n);
        });
    }

    private static Reply xpending(KvEngine e, int db, List<byte[]> a) {
        int argc = a.size();
        if (argc != 3 && (argc < 6 || argc > 9)) {
            throw new Args.Err(Reply.SYNTAX);
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (argc >= 6) {
            int st = 3;
            if (Args.is(a.get(3), "IDLE")) {
                minIdle = Args.lng(a.get(4));
                if (argc < 8) {
                    throw new Args.Err(Reply.SYNTAX);
                }
                st += 2;
            }
            count = Math.max(0, Args.lng(a.get(st + 2)));
            start = StreamCommands.bound(a.get(st), true);
            end = StreamCommands.bound(a.get(st + 1), false);
            if (st + 3 < argc) {
                consumerName = a.get(st + 3);
            }
        }
        long fIdle = minIdle;
        long fcount = count;
        StreamId fs = start;
        StreamId fe = end;
        byte[] fc = consumerName;
        return e.read(db, a.get(1), (v, x, now) -> {
            KvStream s = Args.stream(v);
            KvStream.Group g = s == null ? null : s.group(a.get(2));
            if (g == null) {
                throw new Args.Err("NOGROUP No such key '" + Args.str(a.get(1)) + "' or consumer group '"
                        + Args.str(a.get(2)) + "'");
            }
            if (fs == null) {
                if (g.pel.isEmpty()) {
                    return new Reply.Array(List.of(Reply.integer(0), Reply.NULL, Reply.NULL, Reply.NULL_ARRAY));
                }
                List<Reply> cs = new ArrayList<>();
                for (KvStream.Consumer c : g.consumers.values()) {
                    if (!c.pending.isEmpty()) {
                        cs.add(new Reply.Array(List.of(Reply.bulk(c.name), Reply.bulk(Args.num(c.pending.size())))));
                    }
                }
                return new Reply.Array(List.of(Reply.integer(g.pel.size()),
                        Reply.bulk(StreamCommands.idBytes(g.pel.firstKey())),
                        Reply.bulk(StreamCommands.idBytes(g.pel.lastKey())), new Reply.Array(cs)));
            }
            KvStream.Consumer only = null;
            if (fc != null) {
                only = g.consumers.get(fc);
                if (only == null) {
                    return Reply.EMPTY_ARRAY;
                }
            }
            List<Reply> out = new ArrayList<>();
            if (fs.compareTo(fe) > 0) {
                return Reply.EMPTY_ARRAY;
            }
            NavigableMap<StreamId, KvStream.Pending> range = g.pel.subMap(fs, true, fe, true);
            for (Map.Entry<StreamId, KvStream.Pending> en : range.entrySet()) {
                if (out.size() >= fcount) {
                    break;
                }
                KvStream.Pending p = en.getValue();
                if (only != null && p.owner != only) {
                    continue;
                }
                long idle = Math.max(0, now - p.deliveryTime);
                if (fIdle > 0 && idle < fIdle) {
                    continue;
                }
                out.add(new Reply.Array(List.of(Reply.bulk(StreamCommands.idBytes(en.getKey())),
                        p.owner == null ? Reply.NULL : Reply.bulk(p.owner.name), Reply.integer(idle),
                        Reply.integer(p.deliveryCount))));
            }
            return new Reply.Array(out);
        });
    }

    private static Reply xinfo(KvEngine e, int db, List<byte[]> a) {
        byte[] sub = a.get(1);
        boolean groups = Args.is(sub, "GROUPS");
        boolean consumers = Args.is(sub, "CONSUMERS");
        if (Args.is(sub, "STREAM")) {
            return xinfoStream(e, db, a);
        }
        if (!groups && !consumers) {
            throw new Args.Err("ERR unknown subcommand '" + Args.str(sub) + "'. Try XINFO HELP.");
        }
        if (groups && a.size() != 3 || consumers && a.size() != 4) {
            throw new Args.Err("ERR wrong number of arguments for 'xinfo|" + (groups ? "groups" : "consumers")
                    + "' command");
        }
        return e.read(db, a.get(2), (v, x, now) -> {
            KvStream s = Args.stream(v);
            if (s == null) {
                throw new Args.Err("ERR no such key");
            }
            List<Reply> out = new ArrayList<>();
            if (groups) {
                for (KvStream.Group g : s.groups) {
                    long lag = lag(s, g);
                    out.add(new Reply.Array(List.of(bulk("name"), Reply.bulk(g.name),
                            bulk("consumers"), Reply.integer(g.consumers.size()),
                            bulk("pending"), Reply.integer(g.pel.size()),
                            bulk("last-delivered-id"), Reply.bulk(StreamCommands.idBytes(g.lastId)),
                            bulk("entries-read"), g.entriesRead == -1 ? Reply.NULL : Reply.integer(g.entriesRead),
                            bulk("lag"), lag == -1 ? Reply.NULL : Reply.integer(lag))));
                }
                return new Reply.Array(out);
            }
            KvStream.Group g = s.group(a.get(3));
            if (g == null) {
                throw new Args.Err("NOGROUP No such consumer group '" + Args.str(a.get(3)) + "' for key name '"
                        + Args.str(a.get(2)) + "'");
            }
            for (KvStream.Consumer c : g.consumers.values()) {
                out.add(new Reply.Array(List.of(bulk("name"), Reply.bulk(c.name),
                        bulk("pending"), Reply.integer(c.pending.size()),
                        bulk("idle"), Reply.integer(Math.max(0, now - c.seenTime)))));
            }
            return new Reply.Array(out);
        });
    }

    /**
     * XINFO STREAM key [FULL [COUNT n]] with redis-server 7.0's fields. The radix-tree figures describe Redis's
     * internal layout; they are estimated as one node per 100 entries (stream-node-max-entries), not tracked.
     */
    private static Reply xinfoStream(KvEngine e, int db, List<byte[]> a) {
        if (a.size() < 3) {
            throw new Args.Err("ERR wrong number of arguments for 'xinfo|stream' command");
        }
        boolean full = false;
        long count = 10;
        if (a.size() > 3) {
            boolean ok = Args.is(a.get(3), "FULL") && (a.size() == 4
                    || a.size() == 6 && Args.is(a.get(4), "COUNT"));
            if (!ok) {
                throw new Args.Err("ERR unknown subcommand or wrong number of arguments for '" + Args.str(a.get(1))
                        + "'. Try XINFO HELP.");
            }
            full = true;
            if (a.size() == 6) {
                count = Args.lng(a.get(5));
                if (count < 0) {
                    count = 10;
                }
            }
        }
        boolean ffull = full;
        long fcount = count;
        return e.read(db, a.get(2), (v, x, now) -> {
            KvStream s = Args.stream(v);
            if (s == null) {
                throw new Args.Err("ERR no such key");
            }
            long keys = (s.entries.size() + 99) / 100;
            List<Reply> out = new ArrayList<>(List.of(bulk("length"), Reply.integer(s.entries.size()),
                    bulk("radix-tree-keys"), Reply.integer(keys),
                    bulk("radix-tree-nodes"), Reply.integer(keys == 0 ? 1 : keys + 1),
                    bulk("last-generated-id"), Reply.bulk(StreamCommands.idBytes(s.lastId)),
                    bulk("max-deleted-entry-id"), Reply.bulk(StreamCommands.idBytes(s.maxDeletedId)),
                    bulk("entries-added"), Reply.integer(s.entriesAdded),
                    bulk("recorded-first-entry-id"), Reply.bulk(StreamCommands.idBytes(s.firstId()))));
            if (!ffull) {
                out.add(bulk("groups"));
                out.add(Reply.integer(s.groups.size()));
                Map.Entry<StreamId, byte[][]> first = s.entries.firstEntry();
                Map.Entry<StreamId, byte[][]> last = s.entries.lastEntry();
                out.add(bulk("first-entry"));
                out.add(first == null ? Reply.NULL : entry(first.getKey(), first.getValue()));
                out.add(bulk("last-entry"));
                out.add(last == null ? Reply.NULL : entry(last.getKey(), last.getValue()));
                return new Reply.Array(out);
            }
            List<Reply> entries = new ArrayList<>();
            for (Map.Entry<StreamId, byte[][]> en : s.entries.entrySet()) {
                if (fcount > 0 && entries.size() >= fcount) {
                    break;
                }
                entries.add(entry(en.getKey(), en.getValue()));
            }
            out.add(bulk("entries"));
            out.add(new Reply.Array(entries));
            List<Reply> groups = new ArrayList<>();
            for (KvStream.Group g : s.groups) {
                long lag = lag(s, g);
                List<Reply> pel = new ArrayList<>();
                for (Map.Entry<StreamId, KvStream.Pending> en : g.pel.entrySet()) {
                    if (fcount > 0 && pel.size() >= fcount) {
                        break;
                    }
                    KvStream.Pending p = en.getValue();
                    pel.add(new Reply.Array(List.of(Reply.bulk(StreamCommands.idBytes(en.getKey())),
                            p.owner == null ? Reply.NULL : Reply.bulk(p.owner.name), Reply.integer(p.deliveryTime),
                            Reply.integer(p.deliveryCount))));
                }
                List<Reply> consumers = new ArrayList<>();
                for (KvStream.Consumer c : g.consumers.values()) {
                    List<Reply> cp = new ArrayList<>();
                    for (StreamId id : c.pending) {
                        if (fcount > 0 && cp.size() >= fcount) {
                            break;
                        }
                        KvStream.Pending p = g.pel.get(id);
                        cp.add(new Reply.Array(List.of(Reply.bulk(StreamCommands.idBytes(id)),
                                Reply.integer(p == null ? 0 : p.deliveryTime),
                                Reply.integer(p == null ? 0 : p.deliveryCount))));
                    }
                    consumers.add(new Reply.Array(List.of(bulk("name"), Reply.bulk(c.name),
                            bulk("seen-time"), Reply.integer(c.seenTime),
                            bulk("pel-count"), Reply.integer(c.pending.size()),
                            bulk("pending"), new Reply.Array(cp))));
                }
                groups.add(new Reply.Array(List.of(bulk("name"), Reply.bulk(g.name),
                        bulk("last-delivered-id"), Reply.bulk(StreamCommands.idBytes(g.lastId)),
                        bulk("entries-read"), g.entriesRead == -1 ? Reply.NULL : Reply.integer(g.entriesRead),
                        bulk("lag"), lag == -1 ? Reply.NULL : Reply.integer(lag),
                        bulk("pel-count"), Reply.integer(g.pel.size()),
                        bulk("pending"), new Reply.Array(pel),
                        bulk("consumers"), new Reply.Array(consumers))));
            }
            out.add(bulk("groups"));
            out.add(new Reply.Array(groups));
            return new Reply.Array(out);
        });
    }

    /** The group's lag as Redis 7.0 reports it, or -1 when it cannot tell (nil). */
    static long lag(KvStream s, KvStream.Group g) {
        if (s.entriesAdded == 0) {
            return 0;
        }
        if (g.entriesRead != -1 && !hasTombstonesFrom(s, g.lastId)) {
            return s.entriesAdded - g.entriesRead;
        }
        long read = distanceFromFirst(s, g.lastId);
        return read == -1 ? -1 : s.entriesAdded - read;
    }

    private static Reply bulk(String s) {
        return Reply.bulk(Args.ascii(s));
    }
}
