package io.redkit.formats.memory;

import io.redkit.core.Bytes;
import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.formats.Scores;

import java.util.List;

/**
 * Estimates the memory a key would take in a Redis 7.0 server (64-bit, jemalloc, default
 * {@code *-max-listpack-*} settings), fed the key's events as they stream: {@link #begin},
 * each value part to {@link #accept}, then {@link #end}, after which the results are read.
 * Memory is constant per key (running sums, never the elements).
 *
 * <p>Model: every allocation rounded up to its jemalloc size class; per key a main-dict entry, a
 * bucket slot, the key's sds and the value's robj (plus an expires-dict entry with a TTL); strings
 * as int / embstr (44 bytes or less) / raw sds; hashes and zsets as listpacks up to 128 elements of
 * 64 bytes, else dict + sds (and skiplist nodes with a deterministic level per member); sets as
 * intsets up to 512 integers, else dict + sds; lists as quicklists of 8 KB listpack nodes; streams
 * as 4 KB / 100-entry listpack nodes in a radix tree plus groups, PELs and consumers. It ignores
 * allocator fragmentation, rehashing tables and sharing of small integers, so it is an estimate.
 *
 * <p>Checked against redis-server 7.0.15's {@code MEMORY USAGE key SAMPLES 0} after loading the same
 * RDB: strings, listpacks, quicklists and intsets within 3%; stream listpack growth per entry equal.
 * Differences by design: each dict entry is counted as jemalloc allocates it (32 B, MEMORY USAGE
 * counts 24 B), so hashtable sets and hashes read 12-17% and skiplists about 8% higher; a key also
 * carries its 8 B main-dict bucket and, with a TTL, its 40 B expires entry, which MEMORY USAGE
 * leaves out; stream radix-tree nodes are modelled at 48 B where MEMORY USAGE assumes 244 B, so
 * small streams read lower. For 16-byte keys with 8-byte values it gives 104 B per key, Redis's
 * {@code used_memory} per key.
 */
public final class MemoryEstimator {
    static final int ROBJ = 16;
    static final int DICT_ENTRY = 24;
    static final int DICT = 56;
    static final int QUICKLIST = 40;
    static final int QUICKLIST_NODE = 32;
    static final int ZSET = 16;
    static final int ZSKIPLIST = 32;
    static final int ZSKIPLIST_MAX_LEVEL = 32;
    static final int LISTPACK_HEADER = 6;
    static final int LIST_NODE_BYTES = 8192;
    static final int HASH_MAX_ENTRIES = 128;
    static final int ZSET_MAX_ENTRIES = 128;
    static final int MAX_VALUE = 64;
    static final int INTSET_MAX_ENTRIES = 512;
    static final int EMBSTR_MAX = 44;
    static final int STREAM = 80;
    static final int RAX = 24;
    static final int RAX_NODE_PER_KEY = 48;
    static final int STREAM_NODE_MAX_ENTRIES = 100;
    static final int STREAM_NODE_MAX_BYTES = 4096;
    static final int STREAM_CG = 40;
    static final int STREAM_NACK = 24;
    static final int STREAM_CONSUMER = 32;

    private KeyHeader header;
    private long count;
    private long largest;
    private boolean allSmall;
    private boolean allInts;
    private long minInt;
    private long maxInt;
    private long stringLen;
    private Long stringInt;
    private long lpBytes;
    private long htBytes;
    private long anyFieldTtl;
    // quicklist node simulation
    private long nodeBytes;
    private long nodes;
    private long nodesAlloc;
    // stream node simulation
    private List<byte[]> masterFields;
    private long masterMs;
    private long masterSeq;
    private long streamNodeEntries;
    private long streamNodeBytes;
    private long streamNodesAlloc;
    private long streamNodes;
    private long streamExtra;
    private long moduleBytes;

    private long size;
    private String encoding;

    /** Starts a key; resets every running sum. */
    public void begin(KeyHeader h) {
        header = h;
        count = 0;
        largest = 0;
        allSmall = true;
        allInts = true;
        minInt = 0;
        maxInt = 0;
        stringLen = 0;
        stringInt = null;
        lpBytes = LISTPACK_HEADER + 1;
        htBytes = 0;
        anyFieldTtl = 0;
        nodeBytes = LISTPACK_HEADER + 1;
        nodes = 0;
        nodesAlloc = 0;
        masterFields = null;
        streamNodeEntries = 0;
        streamNodeBytes = 0;
        streamNodesAlloc = 0;
        streamNodes = 0;
        streamExtra = 0;
        moduleBytes = 0;
        size = 0;
        encoding = null;
    }

    /** Feeds one value part of the current key; other events are ignored. */
    public void accept(Event e) {
        switch (e.kind()) {
            case STRING_PART -> {
                byte[] d = ((StringPart) e).data();
                if (stringLen == 0 && ((StringPart) e).last()) {
                    stringInt = d.length <= 20 ? Bytes.parseLong(d) : null;
                }
                stringLen += d.length;
            }
            case ELEMENTS -> {
                for (byte[] b : ((Elements) e).items()) {
                    element(b);
                }
            }
            case HASH_FIELDS -> {
                for (HashField f : ((HashFields) e).fields()) {
                    hashField(f);
                }
            }
            case ZSET_MEMBERS -> {
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    zsetMember(m);
                }
            }
            case STREAM_ENTRIES -> {
                for (StreamEntry se : ((StreamEntries) e).entries()) {
                    streamEntry(se);
                }
            }
            case STREAM_META -> streamMeta((StreamMeta) e);
            case ARRAY_ELEMENTS -> {
                for (ArrayElement el : ((ArrayElements) e).elements()) {
                    count++;
                    largest = Math.max(largest, el.value().length);
                    htBytes += 16 + (el.tag() == ArrayElement.TAG_SDS ? sdsAlloc(el.value().length) : 0);
                }
            }
            case MODULE_VALUE -> {
                byte[] p = ((ModuleValue) e).payload();
                moduleBytes += p.length;
                count = 1;
                largest = Math.max(largest, p.length);
            }
            default -> {
            }
        }
    }

    /** Completes the estimate of the current key. */
    public void end() {
        long value;
        switch (header.type()) {
            case STRING -> {
                count = stringLen;
                largest = stringLen;
                if (stringInt != null) {
                    encoding = "int";
                    value = jemalloc(ROBJ);
                } else if (stringLen <= EMBSTR_MAX) {
                    encoding = "embstr";
                    value = jemalloc(ROBJ + 3 + stringLen + 1);
                } else {
                    encoding = "raw";
                    value = jemalloc(ROBJ) + sdsAlloc(stringLen);
                }
            }
            case LIST -> {
                long alloc = nodesAlloc;
                long n = nodes;
                if (count > 0 && nodeBytes > LISTPACK_HEADER + 1) {
                    alloc += jemalloc(nodeBytes);
                    n++;
                }
                encoding = "quicklist";
                value = jemalloc(ROBJ) + jemalloc(QUICKLIST) + n * jemalloc(QUICKLIST_NODE) + alloc;
            }
            case SET -> {
                if (allInts && count <= INTSET_MAX_ENTRIES) {
                    encoding = "intset";
                    int width = intWidth(minInt, maxInt);
                    value = jemalloc(ROBJ) + jemalloc(8 + count * width);
                } else {
                    encoding = "hashtable";
                    value = jemalloc(ROBJ) + dictAlloc(count) + htBytes;
                }
            }
            case HASH -> {
                if (count <= HASH_MAX_ENTRIES && allSmall) {
                    encoding = "listpack";
                    value = jemalloc(ROBJ) + jemalloc(lpBytes) + (anyFieldTtl > 0 ? jemalloc(48) : 0);
                } else {
                    encoding = "hashtable";
                    value = jemalloc(ROBJ) + dictAlloc(count) + htBytes + (anyFieldTtl > 0 ? jemalloc(48) : 0);
                }
            }
            case ZSET -> {
                if (count <= ZSET_MAX_ENTRIES && allSmall) {
                    encoding = "listpack";
                    value = jemalloc(ROBJ) + jemalloc(lpBytes);
                } else {
                    encoding = "skiplist";
                    value = jemalloc(ROBJ) + jemalloc(ZSET) + dictAlloc(count) + jemalloc(ZSKIPLIST)
                            + jemalloc(24 + 16L * ZSKIPLIST_MAX_LEVEL) + htBytes;
                }
            }
            case STREAM -> {
                closeStreamNode();
                encoding = "stream";
                value = jemalloc(ROBJ) + jemalloc(STREAM) + jemalloc(RAX) + streamNodesAlloc
                        + streamNodes * RAX_NODE_PER_KEY + streamExtra;
            }
            case MODULE -> {
                encoding = "module";
                value = jemalloc(ROBJ) + jemalloc(16) + jemalloc(moduleBytes);
            }
            default -> {
                encoding = "array";
                value = jemalloc(ROBJ) + htBytes;
            }
        }
        long keyPart = jemalloc(DICT_ENTRY) + 8 + sdsAlloc(header.key().length);
        if (header.expireAtMs() >= 0) {
            keyPart += jemalloc(DICT_ENTRY) + 8;
        }
        size = keyPart + value;
    }

    /** Estimated bytes of the key (dict entry, key, value, expiry), valid after {@link #end}. */
    public long sizeInBytes() {
        return size;
    }

    /** The in-memory encoding Redis 7.0 would choose ({@code OBJECT ENCODING} names), valid after {@link #end}. */
    public String encoding() {
        return encoding;
    }

    /** Elements (list items, members, fields, stream entries) or, for a string, its length. */
    public long numElements() {
        return count;
    }

    /** Length of the largest element (for hashes: field or value; for strings: the string). */
    public long largestElementLength() {
        return largest;
    }

    // ---- size classes and building blocks

    /** The jemalloc size class that an allocation of {@code n} bytes gets (x86-64, 16-byte quantum). */
    public static long jemalloc(long n) {
        if (n <= 8) {
            return 8;
        }
        if (n <= 128) {
            return (n + 15) & ~15L;
        }
        // four classes per doubling: spacing is a quarter of the previous power of two
        int lg = 63 - Long.numberOfLeadingZeros(n - 1); // floor(log2(n-1))
        long spacing = 1L << (lg - 2);
        return (n + spacing - 1) & ~(spacing - 1);
    }

    /** Allocation of an sds string of {@code len} bytes: header by length class, the bytes, a terminator. */
    public static long sdsAlloc(long len) {
        int hdr;
        if (len < 32) {
            hdr = 1;
        } else if (len < 256) {
            hdr = 3;
        } else if (len < 65536) {
            hdr = 5;
        } else if (len < (1L << 32)) {
            hdr = 9;
        } else {
            hdr = 17;
        }
        return jemalloc(hdr + len + 1);
    }

    /** Bytes one element takes inside a listpack: encoding byte(s), data, back-length. */
    public static long listpackEntry(byte[] b) {
        long enc;
        Long v = b.length <= 20 && b.length > 0 ? Bytes.parseLong(b) : null;
        if (v != null) {
            enc = intEntry(v);
        } else {
            int l = b.length;
            enc = l < 64 ? 1 + l : l < 4096 ? 2 + l : 5L + l;
        }
        return enc + backLen(enc);
    }

    static long listpackInt(long v) {
        long enc = intEntry(v);
        return enc + backLen(enc);
    }

    private static long intEntry(long v) {
        if (v >= 0 && v <= 127) {
            return 1;
        }
        if (v >= -4096 && v <= 4095) {
            return 2;
        }
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            return 3;
        }
        if (v >= -(1 << 23) && v < (1 << 23)) {
            return 4;
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return 5;
        }
        return 9;
    }

    private static long backLen(long l) {
        return l < 128 ? 1 : l < 16384 ? 2 : l < 2097152 ? 3 : l < 268435456 ? 4 : 5;
    }

    private static long dictAlloc(long n) {
        long slots = 4;
        while (slots < n) {
            slots <<= 1;
        }
        return jemalloc(DICT) + jemalloc(8 * slots);
    }

    private static int intWidth(long min, long max) {
        if (min >= Short.MIN_VALUE && max <= Short.MAX_VALUE) {
            return 2;
        }
        if (min >= Integer.MIN_VALUE && max <= Integer.MAX_VALUE) {
            return 4;
        }
        return 8;
    }

    // ---- per type

    private void element(byte[] b) {
        count++;
        largest = Math.max(largest, b.length);
        long entry = listpackEntry(b);
        if (header.type() == DataType.LIST) {
            if (nodeBytes + entry > LIST_NODE_BYTES && nodeBytes > LISTPACK_HEADER + 1) {
                nodesAlloc += jemalloc(nodeBytes);
                nodes++;
                nodeBytes = LISTPACK_HEADER + 1;
            }
            nodeBytes += entry;
            return;
        }
        if (allInts) {
            Long v = b.length <= 20 && b.length > 0 ? Bytes.parseLong(b) : null;
            if (v == null) {
                allInts = false;
            } else if (count == 1) {
                minInt = v;
                maxInt = v;
            } else {
                minInt = Math.min(minInt, v);
                maxInt = Math.max(maxInt, v);
            }
        }
        htBytes += jemalloc(DICT_ENTRY) + sdsAlloc(b.length);
    }

    private void hashField(HashField f) {
        count++;
        int fl = f.field().length;
        int vl = f.value().length;
        largest = Math.max(largest, Math.max(fl, vl));
        if (fl > MAX_VALUE || vl > MAX_VALUE) {
            allSmall = false;
        }
        lpBytes += listpackEntry(f.field()) + listpackEntry(f.value());
        htBytes += jemalloc(DICT_ENTRY) + sdsAlloc(fl) + sdsAlloc(vl);
        if (f.expireAtMs() >= 0) {
            anyFieldTtl++;
            lpBytes += listpackInt(f.expireAtMs());
            htBytes += 8;
        }
    }

    private void zsetMember(ScoredMember m) {
        count++;
        byte[] b = m.member();
        largest = Math.max(largest, b.length);
        if (b.length > MAX_VALUE) {
            allSmall = false;
        }
        double s = m.score();
        long scoreEntry;
        if (Scores.isSmallIntegral(s)) {
            scoreEntry = listpackInt((long) s);
        } else {
            long l = Scores.redisText(s).length();
            scoreEntry = 1 + l + 1;
        }
        lpBytes += listpackEntry(b) + scoreEntry;
        int level = 1;
        int h = java.util.Arrays.hashCode(b) * 0x9E3779B9;
        while ((h & 3) == 0 && level < ZSKIPLIST_MAX_LEVEL) {
            level++;
            h >>>= 2;
            if (h == 0) {
                break;
            }
        }
        htBytes += jemalloc(DICT_ENTRY) + sdsAlloc(b.length) + jemalloc(24 + 16L * level);
    }

    private void streamEntry(StreamEntry se) {
        count++;
        List<byte[]> fv = se.fieldsAndValues();
        int pairs = fv.size() / 2;
        for (byte[] b : fv) {
            largest = Math.max(largest, b.length);
        }
        if (masterFields == null) {
            // a new node starts with the master entry: count, deleted, field count, fields, terminator
            masterFields = fields(fv);
            masterMs = se.id().ms();
            masterSeq = se.id().seq();
            streamNodeBytes = LISTPACK_HEADER + 1 + 2 * 2 + listpackInt(pairs) + 2;
            for (byte[] f : masterFields) {
                streamNodeBytes += listpackEntry(f);
            }
        }
        boolean same = sameFields(fv, masterFields);
        // flags, then the ID as a difference from the node's master entry
        long e = 2 + listpackInt(se.id().ms() - masterMs) + listpackInt(se.id().seq() - masterSeq);
        if (!same) {
            e += listpackInt(pairs);
        }
        for (int i = 0; i + 1 < fv.size(); i += 2) {
            if (!same) {
                e += listpackEntry(fv.get(i));
            }
            e += listpackEntry(fv.get(i + 1));
        }
        e += 2; // lp-count
        streamNodeBytes += e;
        streamNodeEntries++;
        if (streamNodeEntries >= STREAM_NODE_MAX_ENTRIES || streamNodeBytes >= STREAM_NODE_MAX_BYTES) {
            closeStreamNode();
        }
    }

    private void closeStreamNode() {
        if (streamNodeEntries > 0) {
            streamNodesAlloc += jemalloc(streamNodeBytes);
            streamNodes++;
        }
        streamNodeEntries = 0;
        streamNodeBytes = 0;
        masterFields = null;
    }

    private static List<byte[]> fields(List<byte[]> fv) {
        java.util.ArrayList<byte[]> f = new java.util.ArrayList<>(fv.size() / 2);
        for (int i = 0; i + 1 < fv.size(); i += 2) {
            f.add(fv.get(i));
        }
        return f;
    }

    private static boolean sameFields(List<byte[]> fv, List<byte[]> master) {
        if (fv.size() / 2 != master.size()) {
            return false;
        }
        for (int i = 0; i < master.size(); i++) {
            if (!java.util.Arrays.equals(fv.get(2 * i), master.get(i))) {
                return false;
            }
        }
        return true;
    }

    private void streamMeta(StreamMeta m) {
        for (StreamGroup g : m.groups()) {
            streamExtra += jemalloc(STREAM_CG) + 2 * jemalloc(RAX) + sdsAlloc(g.name().length) + RAX_NODE_PER_KEY;
            streamExtra += (long) g.pending().size() * (jemalloc(STREAM_NACK) + RAX_NODE_PER_KEY);
            for (StreamConsumer c : g.consumers()) {
                streamExtra += jemalloc(STREAM_CONSUMER) + jemalloc(RAX) + sdsAlloc(c.name().length)
                        + RAX_NODE_PER_KEY + (long) c.pending().size() * RAX_NODE_PER_KEY;
            }
        }
    }
}
