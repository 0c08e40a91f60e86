package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import io.redkit.core.event.StreamId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** Stream commands (first version): XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XGROUP CREATE and SETID. */
final class StreamCommands {
    private static final String BAD_ID = "ERR Invalid stream ID specified as stream command argument";
    private static final StreamId MAX = new StreamId(-1L, -1L);
    /** Redis's default stream-node-max-entries. */
    static final int NODE_ENTRIES = 100;

    private StreamCommands() {
    }

    static void register() {
        add("xadd", -5, StreamCommands::xadd);
        add("xrange", -4, (e, db, a) -> xrange(e, db, a, false));
        add("xrevrange", -4, (e, db, a) -> xrange(e, db, a, true));
        add("xlen", 2, (e, db, a) -> e.read(db, a.get(1), (v, x, now) -> {
            KvStream s = Args.stream(v);
            return Reply.integer(s == null ? 0 : s.entries.size());
        }));
        add("xdel", -3, (e, db, a) -> {
            List<StreamId> ids = new ArrayList<>();
            for (int i = 2; i < a.size(); i++) {
                ids.add(parseId(a.get(i), 0, false));
            }
            return e.write(db, a.get(1), r -> {
                KvStream s = Args.stream(r.value());
                long n = 0;
                for (StreamId id : ids) {
                    if (s != null && s.delete(id)) {
                        n++;
                    }
                }
                return Reply.integer(n);
            });
        });
        add("xtrim", -4, StreamCommands::xtrim);
        add("xsetid", -3, StreamCommands::xsetid);
        add("xgroup", -2, StreamCommands::xgroup);
    }

    /**
     * Parses {@code ms-seq} or {@code ms} (seq taken as {@code missingSeq}); unsigned 64-bit parts. Throws the
     * Redis error for a malformed ID.
     */
    static StreamId parseId(byte[] b, long missingSeq, boolean exclusiveAllowed) {
        String s = new String(b, StandardCharsets.US_ASCII);
        try {
            int dash = s.indexOf('-');
            if (dash < 0) {
                return new StreamId(parseU64(s), missingSeq);
            }
            return new StreamId(parseU64(s.substring(0, dash)), parseU64(s.substring(dash + 1)));
        } catch (NumberFormatException ex) {
            throw new Args.Err(BAD_ID);
        }
    }

    private static long parseU64(String s) {
        if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') {
            throw new NumberFormatException(s);
        }
        return Long.parseUnsignedLong(s);
    }

    static byte[] idBytes(StreamId id) {
        return id.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Trim settings: MAXLEN or MINID, threshold; absent when kind is 0. */
    private record Trim(int kind, long maxLen, StreamId minId, boolean approx, int next) {
    }

    private static Trim parseTrim(List<byte[]> a, int i, boolean required) {
        byte[] o = a.get(i);
        int kind = Args.is(o, "MAXLEN") ? 1 : Args.is(o, "MINID") ? 2 : 0;
        if (kind == 0) {
            if (required) {
                throw new Args.Err(Reply.SYNTAX);
            }
            return new Trim(0, 0, null, false, i);
        }
        i++;
        boolean approx = false;
        if (i < a.size() && (Args.is(a.get(i), "=") || Args.is(a.get(i), "~"))) {
            approx = a.get(i)[0] == '~';
            i++;
        }
        if (i >= a.size()) {
            throw new Args.Err(Reply.SYNTAX);
        }
        long maxLen = 0;
        StreamId minId = null;
        if (kind == 1) {
            Long n = io.redkit.core.Bytes.parseLong(a.get(i));
            if (n == null) {
                throw new Args.Err(Reply.NOT_INTEGER);
            }
            if (n < 0) {
                throw new Args.Err("ERR The MAXLEN argument must be >= 0.");
            }
            maxLen = n;
        } else {
            minId = parseId(a.get(i), 0, false);
        }
        i++;
        if (i + 1 < a.size() && Args.is(a.get(i), "LIMIT")) {
            Args.lng(a.get(i + 1));
            i += 2;
        }
        return new Trim(kind, maxLen, minId, approx, i);
    }

    /**
     * Trims the stream. With {@code ~} Redis drops only whole listpack nodes (100 entries by default); the engine
     * has no nodes, so it drops whole groups of {@link #NODE_ENTRIES} from the head, which is what Redis does on a
     * stream filled by appends.
     */
    private static long trim(KvStream s, Trim t) {
        long n = 0;
        if (t.kind == 1) {
            long target = t.maxLen;
            if (t.approx) {
                long excess = s.entries.size() - t.maxLen;
                target = excess <= 0 ? t.maxLen : s.entries.size() - (excess / NODE_ENTRIES) * NODE_ENTRIES;
            }
            while (s.entries.size() > target) {
                s.trimFirst();
                n++;
            }
        } else if (t.kind == 2) {
            long below = s.entries.headMap(t.minId, false).size();
            long drop = t.approx ? (below / NODE_ENTRIES) * NODE_ENTRIES : below;
            for (long k = 0; k < drop; k++) {
                s.trimFirst();
                n++;
            }
        }
        return n;
    }

    private static Reply xadd(KvEngine e, int db, List<byte[]> a) {
        int i = 2;
        boolean noMk = false;
        Trim trim = new Trim(0, 0, null, false, i);
        while (i < a.size()) {
            if (Args.is(a.get(i), "NOMKSTREAM")) {
                noMk = true;
                i++;
            } else if (Args.is(a.get(i), "MAXLEN") || Args.is(a.get(i), "MINID")) {
                trim = parseTrim(a, i, true);
                i = trim.next;
            } else {
                break;
            }
        }
        if (i >= a.size()) {
            throw new Args.Err(Reply.SYNTAX);
        }
        byte[] idArg = a.get(i);
        int fv = a.size() - i - 1;
        if (fv == 0 || fv % 2 != 0) {
            throw Args.wrongArgs("xadd");
        }
        boolean auto = idArg.length == 1 && idArg[0] == '*';
        boolean autoSeq = !auto && idArg.length > 2 && idArg[idArg.length - 1] == '*'
                && idArg[idArg.length - 2] == '-';
        StreamId given = null;
        if (!auto) {
            given = autoSeq ? new StreamId(parseIdMs(idArg), 0) : parseId(idArg, 0, false);
            if (!autoSeq && given.ms() == 0 && given.seq() == 0) {
                throw new Args.Err("ERR The ID specified in XADD must be greater than 0-0");
            }
        }
        int first = i + 1;
        boolean fnoMk = noMk;
        Trim ftrim = trim;
        StreamId fgiven = given;
        return e.write(db, a.get(1), r -> {
            KvStream s = Args.stream(r.value());
            if (s == null && fnoMk) {
                return Reply.NULL;
            }
            StreamId last = s == null ? StreamId.ZERO : s.lastId;
            StreamId id;
            if (auto) {
                long ms = Math.max(r.now, last.ms());
                if (ms == last.ms()) {
                    if (last.seq() == -1L) {
                        if (last.ms() == -1L) {
                            throw new Args.Err("ERR The stream has exhausted the last possible ID, unable to add more items");
                        }
                        id = new StreamId(ms + 1, 0);
                    } else {
                        id = new StreamId(ms, last.seq() + 1);
                    }
                } else {
                    id = new StreamId(ms, 0);
                }
            } else if (autoSeq) {
                int c = Long.compareUnsigned(fgiven.ms(), last.ms());
                if (c < 0) {
                    throw new Args.Err("ERR The ID specified in XADD is equal or smaller than the target stream top item");
                }
                if (c == 0) {
                    if (last.seq() == -1L) {
                        throw new Args.Err("ERR The ID specified in XADD is equal or smaller than the target stream top item");
                    }
                    id = new StreamId(fgiven.ms(), last.seq() + 1);
                } else {
                    id = new StreamId(fgiven.ms(), 0);
                }
                if (id.ms() == 0 && id.seq() == 0) {
                    id = new StreamId(0, 1);
                }
            } else {
                id = fgiven;
                if (id.compareTo(last) <= 0) {
                    throw new Args.Err("ERR The ID specified in XADD is equal or smaller than the target stream top item");
                }
            }
            if (s == null) {
                s = new KvStream();
                r.set(s);
            }
            byte[][] fields = new byte[a.size() - first][];
            for (int k = first; k < a.size(); k++) {
                fields[k - first] = a.get(k);
            }
            s.add(id, fields);
            s.lastId = id;
            s.entriesAdded++;
            trim(s, ftrim);
            return Reply.bulk(idBytes(id));
        });
    }

    private static long parseIdMs(byte[] b) {
        try {
            return parseU64(new String(b, 0, b.length - 2, StandardCharsets.US_ASCII));
        } catch (NumberFormatException ex) {
            throw new Args.Err(BAD_ID);
        }
    }

    /** A range bound: -, +, an ID (incomplete IDs filled with 0 or max seq), "(" for exclusive. */
    static StreamId bound(byte[] b, boolean start) {
        if (b.length == 1 && b[0] == '-') {
            return StreamId.ZERO;
        }
        if (b.length == 1 && b[0] == '+') {
            return MAX;
        }
        boolean ex = b.length > 0 && b[0] == '(';
        StreamId id = parseId(ex ? java.util.Arrays.copyOfRange(b, 1, b.length) : b, start ? 0 : -1L, true);
        if (ex) {
            if (start) {
                if (id.equals(MAX)) {
                    throw new Args.Err("ERR invalid start ID for the interval");
                }
                id = id.seq() == -1L ? new StreamId(id.ms() + 1, 0) : new StreamId(id.ms(), id.seq() + 1);
            } else {
                if (id.equals(StreamId.ZERO)) {
                    throw new Args.Err("ERR invalid end ID for the interval");
                }
                id = id.seq() == 0 ? new StreamId(id.ms() - 1, -1L) : new StreamId(id.ms(), id.seq() - 1);
            }
        }
        return id;
    }

    /** XRANGE key start end, or XREVRANGE key end start (same bounds, walked backwards). */
    private static Reply xrange(KvEngine e, int db, List<byte[]> a, boolean rev) {
        StreamId start = bound(a.get(rev ? 3 : 2), true);
        StreamId end = bound(a.get(rev ? 2 : 3), false);
        long count = -1;
        if (a.size() > 4) {
            if (a.size() != 6 || !Args.is(a.get(4), "COUNT")) {
                throw new Args.Err(Reply.SYNTAX);
            }
            count = Args.lng(a.get(5));
            if (count < 0) {
                count = 0;
            }
        }
        long fcount = count;
        return e.read(db, a.get(1), (v, x, now) -> {
            KvStream s = Args.stream(v);
            if (s == null) {
                return Reply.EMPTY_ARRAY;
            }
            if (fcount == 0) {
                // Redis answers a null array to COUNT 0 (or negative) on an existing stream
                return Reply.NULL_ARRAY;
            }
            if (start.compareTo(end) > 0) {
                return Reply.EMPTY_ARRAY;
            }
            NavigableMap<StreamId, byte[][]> sub = s.entries.subMap(start, true, end, true);
            if (rev) {
                sub = sub.descendingMap();
            }
            List<Reply> out = new ArrayList<>();
            Iterator<Map.Entry<StreamId, byte[][]>> it = sub.entrySet().iterator();
            while (it.hasNext() && (fcount < 0 || out.size() < fcount)) {
                Map.Entry<StreamId, byte[][]> en = it.next();
                List<Reply> f = new ArrayList<>(en.getValue().length);
                for (byte[] b : en.getValue()) {
                    f.add(Reply.bulk(b));
                }
                out.add(new Reply.Array(List.of(Reply.bulk(idBytes(en.getKey())), new Reply.Array(f))));
            }
            return new Reply.Array(out);
        });
    }

    private static Reply xtrim(KvEngine e, int db, List<byte[]> a) {
        Trim t = parseTrim(a, 2, true);
        if (t.next != a.size()) {
            throw new Args.Err(Reply.SYNTAX);
        }
        return e.write(db, a.get(1), r -> {
            KvStream s = Args.stream(r.value());
            return Reply.integer(s == null ? 0 : trim(s, t));
        });
    }

    private static Reply xsetid(KvEngine e, int db, List<byte[]> a) {
        StreamId id = parseId(a.get(2), 0, false);
        long entriesAdded = -1;
        StreamId maxDel = null;
        for (int i = 3; i < a.size(); i++) {
            if (Args.is(a.get(i), "ENTRIESADDED") && i + 1 < a.size()) {
                entriesAdded = Args.lng(a.get(++i));
                if (entriesAdded < 0) {
                    throw new Args.Err("ERR entries_added must be positive");
                }
            } else if (Args.is(a.get(i), "MAXDELETEDID") && i + 1 < a.size()) {
                maxDel = parseId(a.get(++i), 0, false);
                if (id.compareTo(maxDel) < 0) {
                    throw new Args.Err("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        long fadded = entriesAdded;
        StreamId fmax = maxDel;
        return e.write(db, a.get(1), r -> {
            KvStream s = Args.stream(r.value());
            if (s == null) {
                throw new Args.Err("ERR no such key");
            }
            if (fadded >= 0 && s.entries.size() > fadded) {
                throw new Args.Err("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
            if (!s.entries.isEmpty() && id.compareTo(s.entries.lastKey()) < 0) {
                throw new Args.Err("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            s.lastId = id;
            if (fadded >= 0) {
                s.entriesAdded = fadded;
            }
            if (fmax != null) {
                s.maxDeletedId = fmax;
            }
            return Reply.OK;
        });
    }

    private static Reply xgroup(KvEngine e, int db, List<byte[]> a) {
        byte[] sub = a.get(1);
        if (Args.is(sub, "SETID")) {
            return xgroupSetId(e, db, a);
        }
        if (!Args.is(sub, "CREATE")) {
            throw new Args.Err("ERR unknown subcommand '" + Args.str(sub) + "'. Try XGROUP HELP.");
        }
        if (a.size() < 5) {
            throw new Args.Err("ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.");
        }
        boolean mk = false;
        long entriesRead = -1;
        for (int i = 5; i < a.size(); i++) {
            if (Args.is(a.get(i), "MKSTREAM")) {
                mk = true;
            } else if (Args.is(a.get(i), "ENTRIESREAD") && i + 1 < a.size()) {
                entriesRead = Args.lng(a.get(++i));
                if (entriesRead < 0 && entriesRead != -1) {
                    throw new Args.Err("ERR value for ENTRIESREAD must be positive or -1");
                }
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        byte[] idArg = a.get(4);
        boolean dollar = idArg.length == 1 && idArg[0] == '$';
        StreamId given = dollar ? null : parseId(idArg, 0, false);
        boolean fmk = mk;
        long fread = entriesRead;
        return e.write(db, a.get(2), r -> {
            KvStream s = Args.stream(r.value());
            if (s == null) {
                if (!fmk) {
                    throw new Args.Err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you"
                            + " may want to use the MKSTREAM option to create an empty stream automatically.");
                }
                s = new KvStream();
                r.set(s);
            }
            byte[] name = a.get(3);
            if (s.group(name) != null) {
                throw new Args.Err("BUSYGROUP Consumer Group name already exists");
            }
            StreamId id = dollar ? s.lastId : given;
            s.groups.add(new KvStream.Group(name, id, fread));
            return Reply.OK;
        });
    }

    /** XGROUP SETID key group id|$ [ENTRIESREAD n], with redis-server 7.0's checks in its order. */
    private static Reply xgroupSetId(KvEngine e, int db, List<byte[]> a) {
        if (a.size() < 5) {
            throw new Args.Err("ERR wrong number of arguments for 'xgroup|setid' command");
        }
        String syntax = "ERR unknown subcommand or wrong number of arguments for '" + Args.str(a.get(1))
                + "'. Try XGROUP HELP.";
        return e.write(db, a.get(2), r -> {
            KvStream s = Args.stream(r.value());
            if (s == null) {
                throw new Args.Err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you"
                        + " may want to use the MKSTREAM option to create an empty stream automatically.");
            }
            KvStream.Group g = s.group(a.get(3));
            if (g == null) {
                throw new Args.Err("NOGROUP No such consumer group '" + Args.str(a.get(3)) + "' for key name '"
                        + Args.str(a.get(2)) + "'");
            }
            if (a.size() != 5 && a.size() != 7) {
                throw new Args.Err(syntax);
            }
            byte[] idArg = a.get(4);
            StreamId id = idArg.length == 1 && idArg[0] == '$' ? s.lastId : parseId(idArg, 0, false);
            long read = -1;
            if (a.size() == 7) {
                if (!Args.is(a.get(5), "ENTRIESREAD")) {
                    throw new Args.Err(syntax);
                }
                read = Args.lng(a.get(6));
                if (read < 0 && read != -1) {
                    throw new Args.Err("ERR value for ENTRIESREAD must be positive or -1");
                }
            }
            g.lastId = id;
            g.entriesRead = read;
            return Reply.OK;
        });
    }
}
