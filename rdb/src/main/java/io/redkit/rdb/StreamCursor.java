package io.redkit.rdb;

import io.redkit.core.event.Event;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamIdmp;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StreamPending;
import io.redkit.rdb.encoding.BlobContext;
import io.redkit.rdb.encoding.EntryVisitor;
import io.redkit.rdb.encoding.ListpackDecoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams (types 15, 19, 21, 26, 27): entries from the node listpacks in bounded chunks, then one
 * {@link StreamMeta} with IDs, counters, consumer groups and (v4+) the IDMP state.
 *
 * <pre>
 * len nodes; nodes x { string nodekey(ms BE, seq BE), string listpack }
 * len length; id last; [v2+: id first, id max-deleted, len entries-added]
 * len groups; groups x { name, id last, [v2+ entries-read], PEL, consumers, [v5 NACKs] }
 * [v4+: IDMP trailer]
 * </pre>
 *
 * Node listpack: master entry {@code count deleted nfields f1..fn 0}, then per entry
 * {@code flags ms-delta seq-delta [nfields f v ...] | [v ...] lp-count}.
 */
final class StreamCursor extends ValueCursor {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAMEFIELDS = 2;

    private final int layout;
    private long nodes;
    private boolean metaDone;
    private final Entries lp = new Entries();
    /** Set by {@link #check()}: nodes are validated entry by entry but no entry is made. */
    private boolean checking;

    StreamCursor(RdbReader r, RdbType type) throws IOException {
        super(r);
        layout = switch (type) {
            case STREAM_LISTPACKS -> 1;
            case STREAM_LISTPACKS_2 -> 2;
            case STREAM_LISTPACKS_3 -> 3;
            case STREAM_LISTPACKS_4 -> 4;
            default -> 5;
        };
        nodes = r.readCount("stream node count");
    }

    @Override
    Event nextPart() throws IOException {
        if (done) {
            return null;
        }
        long off = in.offset();
        if (nodes > 0) {
            List<StreamEntry> out = new ArrayList<>();
            long bytes = 0;
            while (nodes > 0 && !full(out.size(), bytes)) {
                bytes += readNode(out);
                nodes--;
            }
            return new StreamEntries(out, off);
        }
        if (!metaDone) {
            metaDone = true;
            done = true;
            return readMeta(off);
        }
        done = true;
        return null;
    }

    @Override
    void check() throws IOException {
        checking = true;
        super.check();
    }

    private long readNode(List<StreamEntry> out) throws IOException {
        long keyOffset = in.offset();
        byte[] nodeKey = r.readString("stream node key");
        if (nodeKey.length != 16) {
            throw r.corrupt(keyOffset, r.context(), "stream node key of " + nodeKey.length + " bytes (expected 16)");
        }
        long masterMs = be64(nodeKey, 0);
        long masterSeq = be64(nodeKey, 8);
        long blobOffset = in.offset();
        byte[] blob = r.readString("stream node listpack");
        BlobContext ctx = blobContext(blobOffset, "stream node listpack");
        lp.reset(blob);
        ListpackDecoder.decode(blob, 0, blob.length, lp, ctx);
        if (lp.n == 0) {
            throw ctx.corrupt(0, "stream node listpack is empty");
        }
        int i = 0;
        long count = lp.integer(i++, ctx, "master count");
        long deleted = lp.integer(i++, ctx, "master deleted count");
        long nMaster = lp.integer(i++, ctx, "master field count");
        if (nMaster < 0 || nMaster > lp.n) {
            throw ctx.corrupt(0, "master field count " + nMaster + " exceeds the listpack's " + lp.n + " entries");
        }
        byte[][] masterFields = new byte[(int) nMaster][];
        for (int k = 0; k < nMaster; k++) {
            masterFields[k] = checking ? lp.check(i++, ctx) : lp.bytes(i++, ctx);
        }
        if (lp.integer(i++, ctx, "master entry terminator") != 0) {
            throw ctx.corrupt(0, "master entry terminator is not 0");
        }
        long items = count + deleted;
        long bytes = 0;
        for (long it = 0; it < items; it++) {
            long flags = lp.integer(i++, ctx, "entry flags");
            long ms = masterMs + lp.integer(i++, ctx, "entry ms delta");
            long seq = masterSeq + lp.integer(i++, ctx, "entry seq delta");
            List<byte[]> fv;
            if (checking) {
                fv = null;
                long nf = nMaster;
                if ((flags & FLAG_SAMEFIELDS) == 0) {
                    nf = lp.integer(i++, ctx, "entry field count");
                    if (nf < 0 || nf * 2 > lp.n - i) {
                        throw ctx.corrupt(0, "entry field count " + nf + " exceeds the listpack");
                    }
                    nf *= 2;
                }
                for (long k = 0; k < nf; k++) {
                    lp.check(i++, ctx);
                }
            } else if ((flags & FLAG_SAMEFIELDS) != 0) {
                fv = new ArrayList<>((int) nMaster * 2);
                for (int k = 0; k < nMaster; k++) {
                    fv.add(masterFields[k]);
                    fv.add(lp.bytes(i++, ctx));
                }
            } else {
                long nf = lp.integer(i++, ctx, "entry field count");
                if (nf < 0 || nf * 2 > lp.n - i) {
                    throw ctx.corrupt(0, "entry field count " + nf + " exceeds the listpack");
                }
                fv = new ArrayList<>((int) nf * 2);
                for (long k = 0; k < nf * 2; k++) {
                    fv.add(lp.bytes(i++, ctx));
                }
            }
            lp.integer(i++, ctx, "entry lp-count");
            if ((flags & FLAG_DELETED) == 0 && !checking) {
                out.add(new StreamEntry(new StreamId(ms, seq), fv));
                for (byte[] b : fv) {
                    bytes += b.length + 16;
                }
            }
        }
        if (i != lp.n) {
            throw ctx.corrupt(0, "stream node has " + (lp.n - i) + " entries after its last item");
        }
        return bytes;
    }

    private StreamMeta readMeta(long off) throws IOException {
        long length = r.readLen("stream length");
        StreamId last = readLenId("stream last id");
        StreamId first = null;
        StreamId maxDeleted = null;
        long added = -1;
        if (layout >= 2) {
            first = readLenId("stream first id");
            maxDeleted = readLenId("stream max deleted id");
            added = r.readLen("stream entries added");
        }
        long nGroups = r.readCount("stream group count");
        List<StreamGroup> groups = new ArrayList<>();
        for (long g = 0; g < nGroups; g++) {
            byte[] name = r.readString("group name");
            StreamId glast = readLenId("group last id");
            long entriesRead = layout >= 2 ? r.readLen("group entries read") : -1;
            long nPel = r.readCount("group PEL size");
            List<StreamPending> pel = new ArrayList<>();
            for (long p = 0; p < nPel; p++) {
                StreamId id = readRawId("PEL id");
                long time = in.readLongLE("PEL delivery time");
                long count = r.readLen("PEL delivery count");
                pel.add(new StreamPending(id, time, count));
            }
            long nCons = r.readCount("consumer count");
            List<StreamConsumer> consumers = new ArrayList<>();
            for (long c = 0; c < nCons; c++) {
                byte[] cname = r.readString("consumer name");
                long seen = in.readLongLE("consumer seen time");
                long active = layout >= 3 ? in.readLongLE("consumer active time") : -1;
                long np = r.readCount("consumer PEL size");
                List<StreamId> owned = new ArrayList<>();
                for (long p = 0; p < np; p++) {
                    owned.add(readRawId("consumer PEL id"));
                }
                consumers.add(new StreamConsumer(cname, seen, active, owned));
            }
            List<StreamId> nacks = List.of();
            if (layout >= 5) {
                long nn = r.readCount("group NACK count");
                nacks = new ArrayList<>();
                for (long k = 0; k < nn; k++) {
                    nacks.add(readRawId("NACK id"));
                }
            }
            groups.add(new StreamGroup(name, glast, entriesRead, pel, consumers, nacks));
        }
        StreamIdmp idmp = null;
        if (layout >= 4) {
            long duration = r.readLen("IDMP duration");
            long maxEntries = r.readLen("IDMP max entries");
            long nProducers = r.readCount("IDMP producer count");
            List<StreamIdmp.Producer> producers = new ArrayList<>();
            for (long p = 0; p < nProducers; p++) {
                byte[] pid = r.readString("IDMP producer id");
                long ne = r.readCount("IDMP entry count");
                List<StreamIdmp.Recorded> rec = new ArrayList<>();
                for (long e = 0; e < ne; e++) {
                    byte[] iid = r.readString("IDMP iid");
                    rec.add(new StreamIdmp.Recorded(iid, readLenId("IDMP stream id")));
                }
                producers.add(new StreamIdmp.Producer(pid, rec));
            }
            long iidsAdded = r.readLen("IDMP iids added");
            long iidsDup = r.readLen("IDMP iids duplicates");
            idmp = new StreamIdmp(duration, maxEntries, producers, iidsAdded, iidsDup);
        }
        return new StreamMeta(length, last, first, maxDeleted, added, groups, idmp, off);
    }

    private StreamId readLenId(String what) throws IOException {
        long ms = r.readLen(what);
        long seq = r.readLen(what);
        return new StreamId(ms, seq);
    }

    private StreamId readRawId(String what) throws IOException {
        long ms = in.readLongBE(what);
        long seq = in.readLongBE(what);
        return new StreamId(ms, seq);
    }

    private static long be64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    /** Listpack entries of one node, kept as integers or slices of the node's blob. */
    private static final class Entries implements EntryVisitor {
        private byte[] blob;
        int n;
        private boolean[] isInt = new boolean[64];
        private long[] value = new long[64];
        private int[] len = new int[64];

        void reset(byte[] blob) {
            this.blob = blob;
            n = 0;
        }

        private void grow() {
            if (n == isInt.length) {
                isInt = Arrays.copyOf(isInt, n * 2);
                value = Arrays.copyOf(value, n * 2);
                len = Arrays.copyOf(len, n * 2);
            }
        }

        @Override
        public void string(byte[] buf, int off, int l) {
            grow();
            isInt[n] = false;
            value[n] = off;
            len[n] = l;
            n++;
        }

        @Override
        public void integer(long v) {
            grow();
            isInt[n] = true;
            value[n] = v;
            n++;
        }

        long integer(int i, BlobContext ctx, String what) throws io.redkit.core.RedkitException {
            if (i >= n) {
                throw ctx.corrupt(0, what + ": the listpack ends after " + n + " entries");
            }
            if (isInt[i]) {
                return value[i];
            }
            byte[] s = Arrays.copyOfRange(blob, (int) value[i], (int) value[i] + len[i]);
            Long v = io.redkit.core.Bytes.parseLong(s);
            if (v == null) {
                throw ctx.corrupt(0, what + ": entry " + i + " is not an integer");
            }
            return v;
        }

        /** The checks of {@link #bytes} without the copy; returns null. */
        byte[] check(int i, BlobContext ctx) throws io.redkit.core.RedkitException {
            if (i >= n) {
                throw ctx.corrupt(0, "entry " + i + " is past the listpack's " + n + " entries");
            }
            return null;
        }

        byte[] bytes(int i, BlobContext ctx) throws io.redkit.core.RedkitException {
            if (i >= n) {
                throw ctx.corrupt(0, "entry " + i + " is past the listpack's " + n + " entries");
            }
            if (isInt[i]) {
                return Numbers.decimal(value[i]);
            }
            return Arrays.copyOfRange(blob, (int) value[i], (int) value[i] + len[i]);
        }
    }
}
