package io.redkit.rdb;

import io.redkit.core.Bytes;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.rdb.encoding.BlobContext;
import io.redkit.rdb.encoding.EntryVisitor;
import io.redkit.rdb.encoding.IntsetDecoder;
import io.redkit.rdb.encoding.ListpackDecoder;
import io.redkit.rdb.encoding.LzfInputStream;
import io.redkit.rdb.encoding.ZiplistDecoder;
import io.redkit.rdb.encoding.ZipmapDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Produces the parts of one value, a bounded chunk at a time. One subclass per layout family;
 * {@link #open} reads just enough to know whether the value is empty and how big it says it is.
 */
abstract class ValueCursor {
    final RdbReader r;
    final RdbInput in;
    /** True when the collection has no element (checked from counts before any part). */
    boolean empty;
    /** Element count or string length when the layout states it up front, else -1. */
    long sizeHint = -1;
    int typeByte;
    /** True once {@link #skip()} ran: the value was not decoded and has no raw payload. */
    boolean skipped;
    boolean done;

    ValueCursor(RdbReader r) {
        this.r = r;
        this.in = r.in;
    }

    /** The next part, or null when the value is complete. */
    abstract Event nextPart() throws IOException;

    /** Consumes the rest of the value without producing parts. */
    void skip() throws IOException {
        skipped = true;
        while (!done && nextPart() != null) {
            // decoding layouts that have no cheaper skip
        }
        done = true;
    }

    /**
     * Reads the rest of the value with every check {@link #nextPart()} makes, without making parts;
     * afterwards nextPart() returns null. Layouts without a cheaper way make the parts and drop them.
     */
    void check() throws IOException {
        while (!done && nextPart() != null) {
            // parts made and dropped
        }
        done = true;
    }

    final boolean full(int count, long bytes) {
        return count >= r.limits.chunkElements() || bytes >= r.limits.chunkBytes();
    }

    static ValueCursor open(RdbReader r, RdbType type, int typeByte) throws IOException {
        ValueCursor c = switch (type) {
            case STRING -> new StringCursor(r);
            case LIST, SET -> new CountedCursor(r, type);
            case ZSET, ZSET_2 -> new CountedCursor(r, type);
            case HASH, HASH_METADATA, HASH_METADATA_PRE_GA, HASH_2 -> new CountedCursor(r, type);
            case HASH_ZIPMAP, LIST_ZIPLIST, SET_INTSET, ZSET_ZIPLIST, HASH_ZIPLIST, HASH_LISTPACK, ZSET_LISTPACK,
                    SET_LISTPACK, HASH_LISTPACK_EX, HASH_LISTPACK_EX_PRE_GA -> new BlobCursor(r, type);
            case LIST_QUICKLIST, LIST_QUICKLIST_2 -> new QuicklistCursor(r, type);
            case STREAM_LISTPACKS, STREAM_LISTPACKS_2, STREAM_LISTPACKS_3, STREAM_LISTPACKS_4, STREAM_LISTPACKS_5 ->
                    new StreamCursor(r, type);
            case MODULE_2 -> new ModuleCursor(r, false);
            case MODULE_PRE_GA -> new ModuleCursor(r, true);
            case ARRAY -> new ArrayCursor(r);
            case HASH_TMPL_LP, HASH_TMPL_LP_REF, HASH_TMPL_ARRAY, HASH_TMPL_ARRAY_REF -> new TemplateCursor(r, type);
        };
        c.typeByte = typeByte;
        return c;
    }

    BlobContext blobContext(long fileOffset, String what) {
        return new BlobContext(in.source(), fileOffset, what, r.header.key());
    }

    /** Collects decoded blob entries as byte arrays (integers as decimal text). */
    static final class Collector implements EntryVisitor {
        final List<byte[]> out;

        Collector(List<byte[]> out) {
            this.out = out;
        }

        @Override
        public void string(byte[] buf, int off, int len) {
            out.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void integer(long value) {
            out.add(Numbers.decimal(value));
        }
    }

    // ------------------------------------------------------------------ strings

    /** A string value: one part when it fits a chunk, else bounded parts streamed from the input. */
    static final class StringCursor extends ValueCursor {
        private byte[] whole;
        private long remaining;
        private InputStream lzf;
        private final long start;

        StringCursor(RdbReader r) throws IOException {
            super(r);
            start = in.offset();
            long len = r.readLenOrEncoding("string value");
            int chunk = r.limits.chunkBytes();
            if (r.lastWasEncoding) {
                if (len == 3) {
                    long clen = r.readLen("LZF compressed length");
                    long ulen = r.readLen("LZF length");
                    r.limits.checkStringLength(clen, in.source(), start, "string value");
                    r.limits.checkStringLength(ulen, in.source(), start, "string value");
                    sizeHint = ulen;
                    if (ulen <= chunk) {
                        if (clen <= RdbInput.SLICE_MAX) {
                            // decompressed straight from the input buffer: no copy of the compressed bytes
                            byte[] b = in.slice((int) clen, "LZF string");
                            whole = io.redkit.rdb.encoding.Lzf.decompress(b, in.sliceStart(), (int) clen, (int) ulen,
                                    blobContext(start, "LZF string"));
                        } else {
                            byte[] c = in.readBytes((int) clen, "LZF string");
                            whole = io.redkit.rdb.encoding.Lzf.decompress(c, 0, c.length, (int) ulen,
                                    blobContext(start, "LZF string"));
                        }
                    } else {
                        lzf = new LzfInputStream(in.view(clen, "LZF string"), clen, ulen, blobContext(start, "LZF string"));
                        remaining = ulen;
                    }
                } else {
                    whole = r.readEncodedString((int) len, start, "string value");
                    sizeHint = whole.length;
                }
            } else {
                r.limits.checkStringLength(len, in.source(), start, "string value");
                sizeHint = len;
                if (len <= chunk) {
                    whole = in.readBytes((int) len, "string value");
                } else {
                    remaining = len;
                }
            }
        }

        @Override
        Event nextPart() throws IOException {
            if (done) {
                return null;
            }
            long off = in.offset();
            if (whole != null) {
                done = true;
                byte[] w = whole;
                whole = null;
                return new StringPart(w, true, off);
            }
            int n = (int) Math.min(remaining, r.limits.chunkBytes());
            byte[] part = new byte[n];
            if (lzf != null) {
                int got = 0;
                while (got < n) {
                    int k = lzf.read(part, got, n - got);
                    if (k < 0) {
                        throw new RedkitException(ErrorKind.INTEGRITY, in.source(), start, r.context(),
                                "LZF payload ends before its stated length");
                    }
                    got += k;
                }
            } else {
                in.readFully(part, 0, n, "string value");
            }
            remaining -= n;
            done = remaining == 0;
            if (done && lzf != null) {
                lzf.close();
            }
            return new StringPart(part, done, off);
        }

        @Override
        void skip() throws IOException {
            skipped = true;
            if (!done) {
                if (lzf != null) {
                    lzf.close(); // the view skips the rest of the compressed bytes
                } else if (whole == null) {
                    in.skip(remaining, "string value");
                }
            }
            whole = null;
            done = true;
        }

        @Override
        void check() throws IOException {
            if (whole != null) {
                // read and checked when the cursor opened
                whole = null;
                done = true;
                return;
            }
            super.check();
        }
    }

    // ------------------------------------------------------------------ length-prefixed collections

    /** Lists, sets, zsets and hashes stored element by element after a count. */
    static final class CountedCursor extends ValueCursor {
        private final RdbType type;
        private long remaining;
        private long minExpire;

        CountedCursor(RdbReader r, RdbType type) throws IOException {
            super(r);
            this.type = type;
            if (type == RdbType.HASH_METADATA) {
                minExpire = in.readLongLE("hash min-expire");
            }
            remaining = r.readCount("element count");
            sizeHint = remaining;
            empty = remaining == 0;
        }

        @Override
        Event nextPart() throws IOException {
            if (done || remaining == 0) {
                done = true;
                return null;
            }
            long off = in.offset();
            long bytes = 0;
            switch (type) {
                case LIST:
                case SET: {
                    List<byte[]> items = new ArrayList<>((int) Math.min(remaining, 1024));
                    while (remaining > 0 && !full(items.size(), bytes)) {
                        byte[] e = r.readString("element");
                        bytes += e.length + 16;
                        items.add(e);
                        remaining--;
                    }
                    return new Elements(items, off);
                }
                case ZSET:
                case ZSET_2: {
                    List<ScoredMember> items = new ArrayList<>((int) Math.min(remaining, 1024));
                    while (remaining > 0 && !full(items.size(), bytes)) {
                        byte[] m = r.readString("member");
                        long so = in.offset();
                        double score = type == RdbType.ZSET_2 ? Double.longBitsToDouble(in.readLongLE("score"))
                                : readTextScore();
                        if (Double.isNaN(score)) {
                            throw r.corrupt(so, r.context(), "score of member '" + Bytes.preview(m) + "' is NaN");
                        }
                        bytes += m.length + 24;
                        items.add(new ScoredMember(m, score));
                        remaining--;
                    }
                    return new ZSetMembers(items, off);
                }
                default: {
                    List<HashField> items = new ArrayList<>((int) Math.min(remaining, 1024));
                    while (remaining > 0 && !full(items.size(), bytes)) {
                        long expireAt = -1;
                        if (type == RdbType.HASH_METADATA) {
                            long ttl = r.readLen("field ttl");
                            expireAt = ttl == 0 ? -1 : ttl + minExpire - 1;
                        } else if (type == RdbType.HASH_METADATA_PRE_GA) {
                            long at = r.readLen("field expire-at");
                            expireAt = at == 0 ? -1 : at;
                        }
                        byte[] f = r.readString("field");
                        byte[] v = r.readString("value");
                        if (type == RdbType.HASH_2) {
                            expireAt = in.readLongLE("field expiry");
                        }
                        bytes += f.length + v.length + 32;
                        items.add(new HashField(f, v, expireAt));
                        remaining--;
                    }
                    return new HashFields(items, off);
                }
            }
        }

        @Override
        void check() throws IOException {
            while (remaining > 0) {
                switch (type) {
                    case LIST, SET -> r.checkString("element");
                    case ZSET, ZSET_2 -> {
                        byte[] m = r.readStringShared("member");
                        long so = in.offset();
                        double score = type == RdbType.ZSET_2 ? Double.longBitsToDouble(in.readLongLE("score"))
                                : readTextScore();
                        if (Double.isNaN(score)) {
                            throw r.corrupt(so, r.context(), "score of member '"
                                    + Bytes.preview(Arrays.copyOf(m, r.sharedLen)) + "' is NaN");
                        }
                    }
                    default -> {
                        if (type == RdbType.HASH_METADATA || type == RdbType.HASH_METADATA_PRE_GA) {
                            r.readLen(type == RdbType.HASH_METADATA ? "field ttl" : "field expire-at");
                        }
                        r.checkString("field");
                        r.checkString("value");
                        if (type == RdbType.HASH_2) {
                            in.readLongLE("field expiry");
                        }
                    }
                }
                remaining--;
            }
            done = true;
        }

        /** An RDB 1-4 zset score: a length byte (253-255 for NaN and the infinities), the text read in place. */
        private double readTextScore() throws IOException {
            int n = in.readByte("score length");
            switch (n) {
                case 253:
                    return Double.NaN;
                case 254:
                    return Double.POSITIVE_INFINITY;
                case 255:
                    return Double.NEGATIVE_INFINITY;
                default:
                    byte[] b = in.slice(n, "score text");
                    return Numbers.parseDouble(b, in.sliceStart(), n);
            }
        }

        @Override
        void skip() throws IOException {
            skipped = true;
            while (remaining > 0) {
                switch (type) {
                    case LIST, SET -> r.skipString("element");
                    case ZSET -> {
                        r.skipString("member");
                        int n = in.readByte("score length");
                        if (n < 253) {
                            in.skip(n, "score text");
                        }
                    }
                    case ZSET_2 -> {
                        r.skipString("member");
                        in.skip(8, "score");
                    }
                    default -> {
                        if (type == RdbType.HASH_METADATA || type == RdbType.HASH_METADATA_PRE_GA) {
                            r.readLen("field ttl");
                        }
                        r.skipString("field");
                        r.skipString("value");
                        if (type == RdbType.HASH_2) {
                            in.skip(8, "field expiry");
                        }
                    }
                }
                remaining--;
            }
            done = true;
        }
    }

    // ------------------------------------------------------------------ single packed blobs

    /** "listpack blob" and the like per type, for messages: not concatenated for every key. */
    private static final java.util.Map<RdbType, String> BLOB_WHAT = new java.util.EnumMap<>(RdbType.class);

    static {
        for (RdbType t : RdbType.values()) {
            BLOB_WHAT.put(t, t.encoding() + " blob");
        }
    }

    /** Values stored as one ziplist, listpack, intset or zipmap blob. */
    static final class BlobCursor extends ValueCursor {
        private final RdbType type;
        /**
         * The blob, in the reader's reused buffer: nothing else reads into it before the blob is
         * decoded (at the first part) or checked, and parts hold copies.
         */
        private final byte[] blob;
        private final int blobLen;
        private final long blobOffset;
        private List<byte[]> items;
        private int next;

        BlobCursor(RdbReader r, RdbType type) throws IOException {
            super(r);
            this.type = type;
            if (type == RdbType.HASH_LISTPACK_EX) {
                in.readLongLE("hash min-expire");
            }
            blobOffset = in.offset();
            blob = r.readStringShared(BLOB_WHAT.get(type));
            blobLen = r.sharedLen;
            empty = headerCount() == 0;
        }

        /** The element count the blob header states (-1 when unknown); cheap, for the empty-key check. */
        private long headerCount() {
            switch (type) {
                case SET_INTSET:
                    return blobLen >= 8 ? (blob[4] & 0xFFL) | (blob[5] & 0xFFL) << 8 | (blob[6] & 0xFFL) << 16 | (blob[7] & 0xFFL) << 24 : -1;
                case LIST_ZIPLIST:
                case ZSET_ZIPLIST:
                case HASH_ZIPLIST: {
                    if (blobLen < 10) {
                        return -1;
                    }
                    int n = (blob[8] & 0xFF) | (blob[9] & 0xFF) << 8;
                    return n == 0xFFFF ? -1 : n;
                }
                case HASH_ZIPMAP:
                    return blobLen >= 2 && (blob[1] & 0xFF) == 0xFF ? 0 : -1;
                default: {
                    if (blobLen < 6) {
                        return -1;
                    }
                    int n = (blob[4] & 0xFF) | (blob[5] & 0xFF) << 8;
                    return n == 0xFFFF ? -1 : n;
                }
            }
        }

        private void decode() throws IOException {
            long stated = headerCount();
            items = new ArrayList<>(stated > 0 ? (int) Math.min(stated, 1 << 16) : 16);
            Collector c = new Collector(items);
            BlobContext ctx = blobContext(blobOffset, type.encoding());
            switch (type) {
                case SET_INTSET -> IntsetDecoder.decode(blob, 0, blobLen, v -> items.add(Numbers.decimal(v)), ctx);
                case LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST -> ZiplistDecoder.decode(blob, 0, blobLen, c, ctx);
                case HASH_ZIPMAP -> ZipmapDecoder.decode(blob, 0, blobLen, c, ctx);
                default -> ListpackDecoder.decode(blob, 0, blobLen, c, ctx);
            }
            int group = switch (type) {
                case HASH_ZIPLIST, HASH_ZIPMAP, HASH_LISTPACK, ZSET_ZIPLIST, ZSET_LISTPACK -> 2;
                case HASH_LISTPACK_EX, HASH_LISTPACK_EX_PRE_GA -> 3;
                default -> 1;
            };
            if (items.size() % group != 0) {
                throw ctx.corrupt(0, "entry count " + items.size() + " is not a multiple of " + group);
            }
            if (items.isEmpty() && !r.skipEmptyKeys) {
                throw new RedkitException(ErrorKind.EMPTY_KEYS, in.source(), blobOffset, r.context(), "the blob holds no element");
            }
        }

        @Override
        Event nextPart() throws IOException {
            if (done) {
                return null;
            }
            if (items == null) {
                decode();
            }
            long off = blobOffset;
            int chunk = r.limits.chunkElements();
            switch (type) {
                case HASH_ZIPLIST:
                case HASH_ZIPMAP:
                case HASH_LISTPACK:
                case HASH_LISTPACK_EX:
                case HASH_LISTPACK_EX_PRE_GA: {
                    int step = type == RdbType.HASH_LISTPACK_EX || type == RdbType.HASH_LISTPACK_EX_PRE_GA ? 3 : 2;
                    List<HashField> out = new ArrayList<>(Math.min(chunk, (items.size() - next) / step));
                    while (next < items.size() && out.size() < chunk) {
                        long at = -1;
                        if (step == 3) {
                            byte[] t = items.get(next + 2);
                            Long v = Bytes.parseLong(t);
                            if (v == null) {
                                throw blobContext(blobOffset, type.encoding()).corrupt(0, "field expire-at '" + Bytes.preview(t) + "' is not an integer");
                            }
                            at = v == 0 ? -1 : v;
                        }
                        out.add(new HashField(items.get(next), items.get(next + 1), at));
                        next += step;
                    }
                    done = next >= items.size();
                    return new HashFields(out, off);
                }
                case ZSET_ZIPLIST:
                case ZSET_LISTPACK: {
                    List<ScoredMember> out = new ArrayList<>(Math.min(chunk, (items.size() - next) / 2));
                    while (next < items.size() && out.size() < chunk) {
                        byte[] s = items.get(next + 1);
                        double score = Numbers.parseDouble(s, 0, s.length);
                        if (Double.isNaN(score)) {
                            throw blobContext(blobOffset, type.encoding()).corrupt(0, "score '" + Bytes.preview(s) + "' is not a number");
                        }
                        out.add(new ScoredMember(items.get(next), score));
                        next += 2;
                    }
                    done = next >= items.size();
                    return new ZSetMembers(out, off);
                }
                default: {
                    int end = Math.min(items.size(), next + chunk);
                    List<byte[]> out = new ArrayList<>(items.subList(next, end));
                    next = end;
                    done = next >= items.size();
                    return new Elements(out, off);
                }
            }
        }

        @Override
        void skip() {
            skipped = true;
            done = true;
        }

        @Override
        void check() throws IOException {
            if (done) {
                return;
            }
            if (items != null) {
                // parts were made already: check the rest the same way
                super.check();
                return;
            }
            BlobContext ctx = blobContext(blobOffset, type.encoding());
            int group = switch (type) {
                case HASH_ZIPLIST, HASH_ZIPMAP, HASH_LISTPACK, ZSET_ZIPLIST, ZSET_LISTPACK -> 2;
                case HASH_LISTPACK_EX, HASH_LISTPACK_EX_PRE_GA -> 3;
                default -> 1;
            };
            Checker c = new Checker(group, type == RdbType.ZSET_ZIPLIST || type == RdbType.ZSET_LISTPACK ? 1 : -1,
                    type == RdbType.HASH_LISTPACK_EX || type == RdbType.HASH_LISTPACK_EX_PRE_GA ? 2 : -1);
            int n = switch (type) {
                case SET_INTSET -> IntsetDecoder.decode(blob, 0, blobLen, v -> { }, ctx);
                case LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST -> ZiplistDecoder.decode(blob, 0, blobLen, c, ctx);
                case HASH_ZIPMAP -> ZipmapDecoder.decode(blob, 0, blobLen, c, ctx);
                default -> ListpackDecoder.decode(blob, 0, blobLen, c, ctx);
            };
            if (type != RdbType.SET_INTSET) {
                n = c.count;
            }
            if (n % group != 0) {
                throw ctx.corrupt(0, "entry count " + n + " is not a multiple of " + group);
            }
            if (n == 0 && !r.skipEmptyKeys) {
                throw new RedkitException(ErrorKind.EMPTY_KEYS, in.source(), blobOffset, r.context(), "the blob holds no element");
            }
            // in the order nextPart() would meet them: the first bad expire-at or score
            if (c.badText != null) {
                BlobContext bc = blobContext(blobOffset, type.encoding());
                throw c.badIsExpire
                        ? bc.corrupt(0, "field expire-at '" + Bytes.preview(c.badText) + "' is not an integer")
                        : bc.corrupt(0, "score '" + Bytes.preview(c.badText) + "' is not a number");
            }
            done = true;
        }
    }

    /**
     * Counts blob entries and checks the ones {@link BlobCursor#nextPart()} parses (zset scores,
     * hash field expire-at times) without keeping any; remembers the first that does not parse.
     */
    static final class Checker implements EntryVisitor {
        private final int group;
        private final int scoreAt;
        private final int expireAt;
        int count;
        byte[] badText;
        boolean badIsExpire;

        /** Entries come in groups of {@code group}; the score or expire-at is at that index of a group, or -1. */
        Checker(int group, int scoreAt, int expireAt) {
            this.group = group;
            this.scoreAt = scoreAt;
            this.expireAt = expireAt;
        }

        /** Index of the next entry within its group (a counter, not count % group: no division per entry). */
        private int at;

        @Override
        public void string(byte[] buf, int off, int len) {
            int at = this.at;
            next();
            if (badText != null) {
                return;
            }
            if (at == scoreAt) {
                if (Double.isNaN(Numbers.parseDouble(buf, off, len))) {
                    badText = Arrays.copyOfRange(buf, off, off + len);
                }
            } else if (at == expireAt) {
                byte[] t = Arrays.copyOfRange(buf, off, off + len);
                if (Bytes.parseLong(t) == null) {
                    badText = t;
                    badIsExpire = true;
                }
            }
        }

        @Override
        public void integer(long value) {
            next();
        }

        private void next() {
            count++;
            if (++at == group) {
                at = 0;
            }
        }
    }

    // ------------------------------------------------------------------ quicklists

    /** Lists of ziplist nodes (type 14) or of PLAIN/PACKED listpack nodes (type 18). */
    static final class QuicklistCursor extends ValueCursor {
        private final RdbType type;
        private long nodes;
        private long total;
        private final List<byte[]> pending = new ArrayList<>();
        private int pendingNext;

        QuicklistCursor(RdbReader r, RdbType type) throws IOException {
            super(r);
            this.type = type;
            nodes = r.readCount("quicklist node count");
            empty = nodes == 0;
        }

        @Override
        Event nextPart() throws IOException {
            if (done) {
                return null;
            }
            long off = in.offset();
            List<byte[]> out = new ArrayList<>(Math.min(r.limits.chunkElements(), 256));
            long bytes = 0;
            while (!full(out.size(), bytes)) {
                if (pendingNext < pending.size()) {
                    byte[] e = pending.get(pendingNext++);
                    out.add(e);
                    bytes += e.length + 16;
                    continue;
                }
                pending.clear();
                pendingNext = 0;
                if (nodes == 0) {
                    break;
                }
                readNode();
                nodes--;
            }
            if (out.isEmpty()) {
                done = true;
                if (total == 0 && !r.skipEmptyKeys) {
                    throw new RedkitException(ErrorKind.EMPTY_KEYS, in.source(), r.header.offset(), r.context(),
                            "every quicklist node is empty");
                }
                return null;
            }
            total += out.size();
            return new Elements(out, off);
        }

        /** A node's container: 1 PLAIN or 2 PACKED (read only in quicklist 2; version 1 nodes are all ziplists). */
        private long container() throws IOException {
            if (type != RdbType.LIST_QUICKLIST_2) {
                return 2;
            }
            long nodeOffset = in.offset();
            long container = r.readLen("quicklist node container");
            if (container != 1 && container != 2) {
                throw r.corrupt(nodeOffset, r.context(), "quicklist node container " + container + " (expected 1 PLAIN or 2 PACKED)");
            }
            return container;
        }

        private void readNode() throws IOException {
            long container = container();
            long blobOffset = in.offset();
            byte[] blob = r.readString("quicklist node");
            if (container == 1) {
                pending.add(blob);
            } else if (type == RdbType.LIST_QUICKLIST_2) {
                ListpackDecoder.decode(blob, 0, blob.length, new Collector(pending), blobContext(blobOffset, "quicklist listpack node"));
            } else {
                ZiplistDecoder.decode(blob, 0, blob.length, new Collector(pending), blobContext(blobOffset, "quicklist ziplist node"));
            }
        }

        @Override
        void check() throws IOException {
            if (done) {
                return;
            }
            long left = pending.size() - pendingNext;
            pending.clear();
            pendingNext = 0;
            Checker c = new Checker(1, -1, -1);
            while (nodes > 0) {
                long container = container();
                long blobOffset = in.offset();
                byte[] blob = r.readStringShared("quicklist node");
                int len = r.sharedLen;
                if (container == 1) {
                    left++;
                } else if (type == RdbType.LIST_QUICKLIST_2) {
                    left += ListpackDecoder.decode(blob, 0, len, c, blobContext(blobOffset, "quicklist listpack node"));
                } else {
                    left += ZiplistDecoder.decode(blob, 0, len, c, blobContext(blobOffset, "quicklist ziplist node"));
                }
                nodes--;
            }
            done = true;
            if (total + left == 0 && !r.skipEmptyKeys) {
                throw new RedkitException(ErrorKind.EMPTY_KEYS, in.source(), r.header.offset(), r.context(),
                        "every quicklist node is empty");
            }
        }

        @Override
        void skip() throws IOException {
            skipped = true;
            while (nodes > 0) {
                if (type == RdbType.LIST_QUICKLIST_2) {
                    r.readLen("quicklist node container");
                }
                r.skipString("quicklist node");
                nodes--;
            }
            done = true;
        }
    }

    // ------------------------------------------------------------------ modules

    /** A module value kept raw: the module id and its opcode stream. */
    static final class ModuleCursor extends ValueCursor {
        private final ModuleValue value;

        ModuleCursor(RdbReader r, boolean preGa) throws IOException {
            super(r);
            long off = in.offset();
            long id = r.readLen("module id");
            String name = ModuleStream.name(id);
            int mark = r.startTee();
            if (preGa) {
                ModuleStream.skipPreGa(r, name, off);
            } else {
                ModuleStream.skip(r, "value of module type " + name);
            }
            byte[] payload = r.endTee(mark);
            value = new ModuleValue(name, id, payload, off);
        }

        @Override
        Event nextPart() {
            if (done) {
                return null;
            }
            done = true;
            return value;
        }
    }

    // ------------------------------------------------------------------ arrays (RDB 14)

    /** Redis 8.8 sparse arrays. */
    static final class ArrayCursor extends ValueCursor {
        private long remaining;
        private final long insertIdx;

        ArrayCursor(RdbReader r) throws IOException {
            super(r);
            long off = in.offset();
            remaining = r.readCount("array element count");
            if (remaining == 0) {
                throw r.corrupt(off, r.context(), "array element count 0 (expected at least 1)");
            }
            sizeHint = remaining;
            long flag = r.readLen("array insert flag");
            if (flag != 0 && flag != 1) {
                throw r.corrupt(off, r.context(), "insert flag " + flag + " (expected 0 or 1)");
            }
            insertIdx = flag == 1 ? r.readLen("array insert index") : -1;
        }

        @Override
        Event nextPart() throws IOException {
            if (done || remaining == 0) {
                done = true;
                return null;
            }
            long off = in.offset();
            List<ArrayElement> out = new ArrayList<>();
            long bytes = 0;
            while (remaining > 0 && !full(out.size(), bytes)) {
                long eo = in.offset();
                long index = r.readLen("array index");
                if (index == -1L) {
                    throw r.corrupt(eo, r.context(), "array index 2^64-1 is not valid");
                }
                long tag = r.readLen("array element tag");
                byte[] v;
                switch ((int) Math.min(tag, 99)) {
                    case ArrayElement.TAG_SDS, ArrayElement.TAG_SMALLSTR -> v = r.readString("array element");
                    case ArrayElement.TAG_INT -> v = Numbers.decimal(in.readLongLE("array integer"));
                    case ArrayElement.TAG_FLOAT -> v = Numbers.formatDouble(Double.longBitsToDouble(in.readLongLE("array float")))
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    default -> throw r.corrupt(eo, r.context(), "array element tag " + tag + " (expected 0..3)");
                }
                out.add(new ArrayElement(index, (int) tag, v));
                bytes += v.length + 32;
                remaining--;
            }
            return new ArrayElements(out, insertIdx, off);
        }
    }

    // ------------------------------------------------------------------ hash templates (RDB 15)

    /** Hashes whose field names come from a template, inline (29, 31) or by reference (30, 32). */
    static final class TemplateCursor extends ValueCursor {
        private final List<HashField> fields = new ArrayList<>();
        private int next;

        TemplateCursor(RdbReader r, RdbType type) throws IOException {
            super(r);
            long off = in.offset();
            byte[][] names;
            List<byte[]> values = new ArrayList<>();
            switch (type) {
                case HASH_TMPL_LP_REF -> {
                    long bo = in.offset();
                    byte[] lp = r.readString("template values listpack");
                    ListpackDecoder.decode(lp, 0, lp.length, new Collector(values), blobContext(bo, "template values listpack"));
                    if (values.isEmpty()) {
                        throw r.corrupt(bo, r.context(), "template values listpack is empty (expected the template id first)");
                    }
                    Long id = Bytes.parseLong(values.remove(0));
                    names = template(id == null ? -1 : id, off);
                }
                case HASH_TMPL_ARRAY_REF -> {
                    names = template(r.readLen("template id"), off);
                    for (int i = 0; i < names.length; i++) {
                        values.add(r.readString("template value"));
                    }
                }
                default -> {
                    names = inlineNames(off);
                    if (type == RdbType.HASH_TMPL_LP) {
                        long bo = in.offset();
                        byte[] lp = r.readString("template values listpack");
                        ListpackDecoder.decode(lp, 0, lp.length, new Collector(values), blobContext(bo, "template values listpack"));
                        if (!values.isEmpty()) {
                            values.remove(0); // the source template id, ignored
                        }
                    } else {
                        for (int i = 0; i < names.length; i++) {
                            values.add(r.readString("template value"));
                        }
                    }
                }
            }
            if (values.size() != names.length) {
                throw r.corrupt(off, r.context(), "template has " + names.length + " fields but the key holds " + values.size() + " values");
            }
            for (int i = 0; i < names.length; i++) {
                fields.add(new HashField(names[i], values.get(i), -1));
            }
            sizeHint = fields.size();
            empty = fields.isEmpty();
        }

        private byte[][] template(long id, long off) throws RedkitException {
            byte[][] names = r.templates.get(id);
            if (names == null) {
                throw r.corrupt(off, r.context(), "Invalid hash template ID " + id + " (no HASH_TEMPLATE record defines it)");
            }
            return names;
        }

        private byte[][] inlineNames(long off) throws IOException {
            long fmt = r.readLen("template fields format");
            List<byte[]> names = new ArrayList<>();
            if (fmt == 0) {
                long bo = in.offset();
                byte[] lp = r.readString("template names listpack");
                ListpackDecoder.decode(lp, 0, lp.length, new Collector(names), blobContext(bo, "template names listpack"));
            } else if (fmt == 1) {
                long n = r.readCount("template field count");
                for (long i = 0; i < n; i++) {
                    names.add(r.readString("template field name"));
                }
            } else {
                throw r.corrupt(off, r.context(), "template fields format " + fmt + " (expected 0 or 1)");
            }
            return names.toArray(new byte[0][]);
        }

        @Override
        Event nextPart() {
            if (done || next >= fields.size()) {
                done = true;
                return null;
            }
            int end = Math.min(fields.size(), next + r.limits.chunkElements());
            List<HashField> out = new ArrayList<>(fields.subList(next, end));
            next = end;
            return new HashFields(out, in.offset());
        }
    }
}
