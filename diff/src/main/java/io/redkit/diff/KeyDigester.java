package io.redkit.diff;

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
import io.redkit.core.event.StreamId;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Computes the canonical digest of one key's value while its parts stream by, so no value is ever held
 * whole. Ordered content (string bytes, list items, stream entries, array elements) goes through one
 * running SHA-256; unordered content (set members, hash fields with their TTLs, zset members with their
 * scores) adds up per-element 128-bit hashes ({@link Hash128}) modulo 2^128, which does not depend on
 * order or chunking; the sum and the count end in the SHA-256.
 * The key's own expiry is not part of the digest: it is compared on its own, with a tolerance.
 */
public final class KeyDigester {
    private final MessageDigest run = sha256();
    private final byte[] scratch = new byte[8];
    /** One element's framed bytes, reused (grown on demand, kept no larger than the biggest element). */
    private byte[] elem = new byte[256];
    private int elemLen;
    private final long[] elemHash = new long[2];

    private KeyHeader header;
    private long size;
    private long accHi;
    private long accLo;
    private long insertIdx = -1;
    private final byte[] preview = new byte[DigestRecord.PREVIEW_BYTES];
    private int previewLen;

    /** Starts a key; the previous one, if not finished, is dropped. */
    public void start(KeyHeader h) {
        header = h;
        run.reset();
        size = 0;
        accHi = 0;
        accLo = 0;
        insertIdx = -1;
        previewLen = 0;
        putLong(run, h.type().ordinal());
    }

    /** Feeds one value part of the current key (any chunk of any type). */
    public void accept(Event e) {
        switch (e.kind()) {
            case STRING_PART: {
                byte[] d = ((StringPart) e).data();
                run.update(d);
                int n = Math.min(d.length, preview.length - previewLen);
                System.arraycopy(d, 0, preview, previewLen, n);
                previewLen += n;
                size += d.length;
                break;
            }
            case ELEMENTS:
                elements(((Elements) e).items());
                break;
            case HASH_FIELDS:
                for (HashField f : ((HashFields) e).fields()) {
                    elemLen = 0;
                    elemBytes(f.field());
                    elemBytes(f.value());
                    elemLong(f.expireAtMs());
                    addElement();
                }
                break;
            case ZSET_MEMBERS:
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    elemLen = 0;
                    elemBytes(m.member());
                    elemLong(scoreBits(m.score()));
                    addElement();
                }
                break;
            case STREAM_ENTRIES:
                for (StreamEntry s : ((StreamEntries) e).entries()) {
                    putId(run, s.id());
                    putLong(run, s.fieldsAndValues().size());
                    for (byte[] b : s.fieldsAndValues()) {
                        putBytes(run, b);
                    }
                    size++;
                }
                break;
            case STREAM_META:
                meta((StreamMeta) e);
                break;
            case ARRAY_ELEMENTS: {
                ArrayElements a = (ArrayElements) e;
                for (ArrayElement x : a.elements()) {
                    putLong(run, x.index());
                    putBytes(run, x.value());
                    size++;
                }
                insertIdx = a.insertIdx();
                break;
            }
            case MODULE_VALUE: {
                ModuleValue m = (ModuleValue) e;
                putLong(run, m.moduleId());
                putBytes(run, m.payload());
                size++;
                break;
            }
            default:
                throw new IllegalArgumentException("not a value part: " + e.kind());
        }
    }

    /** Ends the current key and returns its record. */
    public DigestRecord finish() {
        KeyHeader h = header;
        header = null;
        putLong(run, size);
        putLong(run, accHi);
        putLong(run, accLo);
        putLong(run, insertIdx);
        byte[] d = run.digest();
        byte[] p = h.type() == DataType.STRING ? Arrays.copyOf(preview, previewLen) : new byte[0];
        return new DigestRecord(h.db(), h.key(), h.type(), h.expireAtMs(), size, getLong(d, 0), getLong(d, 8), p);
    }

    /** The header of the key being digested, or null between keys. */
    public KeyHeader current() {
        return header;
    }

    private void elements(List<byte[]> items) {
        if (header.type() == DataType.LIST) {
            for (byte[] b : items) {
                putBytes(run, b);
                size++;
            }
            return;
        }
        for (byte[] b : items) {
            elemLen = 0;
            elemBytes(b);
            addElement();
        }
    }

    /** Adds the current element's hash to the order-free sum (128-bit, with carry). */
    private void addElement() {
        Hash128.hash(elem, elemLen, elemHash);
        if (elem.length > 1 << 20) {
            // one huge member need not keep its buffer for the rest of the run
            elem = new byte[256];
        }
        long hi = elemHash[0];
        long lo = elemHash[1];
        long sum = accLo + lo;
        accHi += hi + (Long.compareUnsigned(sum, accLo) < 0 ? 1 : 0);
        accLo = sum;
        size++;
    }

    /** Stream metadata as the jsonl contract lists it: last id, and groups by name with their counts. */
    private void meta(StreamMeta m) {
        putId(run, m.lastId());
        List<StreamGroup> groups = new ArrayList<>(m.groups());
        groups.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        putLong(run, groups.size());
        for (StreamGroup g : groups) {
            putBytes(run, g.name());
            putId(run, g.lastId());
            putLong(run, g.pending().size());
            List<StreamConsumer> cs = new ArrayList<>(g.consumers());
            cs.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
            putLong(run, cs.size());
            for (StreamConsumer c : cs) {
                putBytes(run, c.name());
                putLong(run, c.pending().size());
            }
        }
    }

    /** Redis compares scores as doubles: -0 and 0 are the same score. */
    static long scoreBits(double score) {
        return Double.doubleToLongBits(score == 0.0 ? 0.0 : score);
    }

    private void elemBytes(byte[] b) {
        elemLong(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, elem, elemLen, b.length);
        elemLen += b.length;
    }

    private void elemLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            elem[elemLen + i] = (byte) v;
            v >>>= 8;
        }
        elemLen += 8;
    }

    private void ensure(int more) {
        if (elemLen + more > elem.length) {
            elem = java.util.Arrays.copyOf(elem, Math.max(elem.length * 2, elemLen + more));
        }
    }

    private void putId(MessageDigest md, StreamId id) {
        putLong(md, id == null ? -1 : id.ms());
        putLong(md, id == null ? -1 : id.seq());
    }

    private void putBytes(MessageDigest md, byte[] b) {
        putLong(md, b.length);
        md.update(b);
    }

    private void putLong(MessageDigest md, long v) {
        for (int i = 7; i >= 0; i--) {
            scratch[i] = (byte) v;
            v >>>= 8;
        }
        md.update(scratch);
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256
            throw new IllegalStateException(e);
        }
    }
}
