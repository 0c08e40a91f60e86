package io.redkit.cli.shell;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.DataType;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of a dataset without their values: per key its database, key bytes, type, expiry, estimated memory
 * and the byte offset of the key in its file (-1 when unknown), sorted by (db, key bytes) once built.
 *
 * <p>Layout while keys are added: key bytes appended to chunks, addressed by a packed (chunk, position)
 * reference. {@link #finish()} sorts and then rewrites the keys front-coded in sorted order: blocks of
 * {@link #BLOCK} keys, the first whole, each next one as (bytes shared with the previous key, rest); databases
 * become runs. What stays per key is parallel primitive arrays (type 1 byte, expiry, memory, offset 8 bytes
 * each): about 25 bytes per key plus its front-coded bytes, with no object per key. Not thread-safe; read-only
 * after {@link #finish()}.
 */
final class KeyIndex {
    private static final int CHUNK = 1 << 20;
    private static final DataType[] TYPES = DataType.values();
    /** Arrays are indexed by int; leave the headroom the JDK wants. */
    static final int MAX_KEYS = Integer.MAX_VALUE - 16;

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] chunk;
    private int chunkIndex;
    private int chunkPos;

    private int n;
    private long[] keyRef = new long[1024];
    private int[] keyLen = new int[1024];
    private int[] db = new int[1024];
    private byte[] type = new byte[1024];
    private long[] expire = new long[1024];
    private long[] memory = new long[1024];
    private long[] offset = new long[1024];
    private long keyBytes;
    private boolean sorted;

    /** Keys per front-coded block: a lookup decodes at most this many keys. */
    static final int BLOCK = 16;
    /** Once finished: where each block starts, as a packed (chunk, position) reference into {@link #blocks}. */
    private long[] blockRef;
    private List<byte[]> blocks;
    /** Once finished: the first sorted position of each database run, and that run's database. */
    private int[] runStart;
    private int[] runDb;
    private byte[] scratch = new byte[64];

    /** Adds a key; {@code key} is copied. */
    void add(int dbNum, byte[] key, DataType t, long expireAtMs, long estimatedBytes, long fileOffset)
            throws RedkitException {
        if (n == MAX_KEYS) {
            throw new RedkitException(ErrorKind.LIMIT, "key index", -1, "key index", "more than " + MAX_KEYS + " keys");
        }
        if (n == keyRef.length) {
            int cap = (int) Math.min(MAX_KEYS, (long) n * 3 / 2 + 16);
            keyRef = Arrays.copyOf(keyRef, cap);
            keyLen = Arrays.copyOf(keyLen, cap);
            db = Arrays.copyOf(db, cap);
            type = Arrays.copyOf(type, cap);
            expire = Arrays.copyOf(expire, cap);
            memory = Arrays.copyOf(memory, cap);
            offset = Arrays.copyOf(offset, cap);
        }
        keyRef[n] = store(key);
        keyLen[n] = key.length;
        db[n] = dbNum;
        type[n] = (byte) t.ordinal();
        expire[n] = expireAtMs;
        memory[n] = estimatedBytes;
        offset[n] = fileOffset;
        keyBytes += key.length;
        n++;
        sorted = false;
    }

    private long store(byte[] key) {
        if (key.length > 1024) {
            chunks.add(key.clone());
            return ((long) (chunks.size() - 1)) << 32;
        }
        if (chunk == null || chunkPos + key.length > chunk.length) {
            // chunks grow from 4 KB, so a small file's index stays small
            chunk = new byte[chunk == null ? 4096 : Math.min(CHUNK, chunk.length * 2)];
            chunks.add(chunk);
            chunkIndex = chunks.size() - 1;
            chunkPos = 0;
        }
        System.arraycopy(key, 0, chunk, chunkPos, key.length);
        long ref = (((long) chunkIndex) << 32) | chunkPos;
        chunkPos += key.length;
        return ref;
    }

    /** Sorts by (db, key bytes) and trims the arrays; call once after the last {@link #add}. */
    void finish() {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        mergeSort(order, new int[n], 0, n);
        type = permute(type, order);
        expire = permute(expire, order);
        memory = permute(memory, order);
        offset = permute(offset, order);
        compact(order);
        sorted = true;
    }

    /** Writes the keys front-coded in sorted order and the databases as runs, then drops the unsorted arrays. */
    private void compact(int[] order) {
        List<int[]> runs = new ArrayList<>();
        blocks = new ArrayList<>();
        blockRef = new long[(n + BLOCK - 1) / BLOCK];
        java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
        byte[] cur = null;
        int curPos = 0;
        int prev = -1;
        for (int i = 0; i < n; i++) {
            int k = order[i];
            if (runs.isEmpty() || runs.get(runs.size() - 1)[1] != db[k]) {
                runs.add(new int[]{i, db[k]});
            }
            byte[] c = chunkOf(keyRef[k]);
            int p = posOf(keyRef[k]);
            int len = keyLen[k];
            int shared = 0;
            if (i % BLOCK != 0) {
                byte[] pc = chunkOf(keyRef[prev]);
                int pp = posOf(keyRef[prev]);
                int max = Math.min(len, keyLen[prev]);
                while (shared < max && pc[pp + shared] == c[p + shared]) {
                    shared++;
                }
            }
            writeVarInt(block, shared);
            writeVarInt(block, len - shared);
            block.write(c, p + shared, len - shared);
            prev = k;
            if (i % BLOCK == BLOCK - 1 || i == n - 1) {
                int size = block.size();
                if (cur == null || curPos + size > cur.length) {
                    cur = new byte[Math.max(size, cur == null ? 4096 : Math.min(CHUNK, cur.length * 2))];
                    blocks.add(cur);
                    curPos = 0;
                }
                byte[] b = block.toByteArray();
                System.arraycopy(b, 0, cur, curPos, size);
                blockRef[i / BLOCK] = (((long) (blocks.size() - 1)) << 32) | curPos;
                curPos += size;
                block.reset();
            }
        }
        runStart = new int[runs.size()];
        runDb = new int[runs.size()];
        for (int r = 0; r < runs.size(); r++) {
            runStart[r] = runs.get(r)[0];
            runDb[r] = runs.get(r)[1];
        }
        chunks.clear();
        chunk = null;
        keyRef = null;
        keyLen = null;
        db = null;
    }

    private static void writeVarInt(java.io.ByteArrayOutputStream out, int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    /** Decodes the key at sorted position {@code i} from its block (through one scratch buffer). */
    private byte[] decode(int i) {
        long ref = blockRef[i / BLOCK];
        byte[] c = blocks.get((int) (ref >>> 32));
        int[] pos = {(int) ref};
        int len = 0;
        for (int j = i - i % BLOCK; j <= i; j++) {
            int shared = readVarInt(c, pos);
            int rest = readVarInt(c, pos);
            if (scratch.length < shared + rest) {
                scratch = Arrays.copyOf(scratch, Math.max(shared + rest, scratch.length * 2));
            }
            System.arraycopy(c, pos[0], scratch, shared, rest);
            pos[0] += rest;
            len = shared + rest;
        }
        return Arrays.copyOf(scratch, len);
    }

    private static int readVarInt(byte[] b, int[] pos) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[pos[0]++];
            v |= (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    private void mergeSort(int[] a, int[] tmp, int from, int to) {
        // bottom-up: no recursion depth to worry about, O(n log n) comparisons of key bytes
        for (int i = from; i < to; i += 16) {
            int end = Math.min(to, i + 16);
            for (int j = i + 1; j < end; j++) {
                int v = a[j];
                int k = j - 1;
                while (k >= i && compareRaw(a[k], v) > 0) {
                    a[k + 1] = a[k];
                    k--;
                }
                a[k + 1] = v;
            }
        }
        int[] src = a;
        int[] dst = tmp;
        for (int width = 16; width < to - from; width *= 2) {
            for (int lo = from; lo < to; lo += 2 * width) {
                int mid = Math.min(to, lo + width);
                int hi = Math.min(to, lo + 2 * width);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    dst[k++] = compareRaw(src[i], src[j]) <= 0 ? src[i++] : src[j++];
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
            if (width > (Integer.MAX_VALUE >> 2)) {
                break;
            }
        }
        if (src != a) {
            System.arraycopy(src, from, a, from, to - from);
        }
    }

    private int compareRaw(int x, int y) {
        if (db[x] != db[y]) {
            return Integer.compare(db[x], db[y]);
        }
        return Arrays.compareUnsigned(chunkOf(keyRef[x]), posOf(keyRef[x]), posOf(keyRef[x]) + keyLen[x],
                chunkOf(keyRef[y]), posOf(keyRef[y]), posOf(keyRef[y]) + keyLen[y]);
    }

    private static long[] permute(long[] a, int[] order) {
        long[] b = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            b[i] = a[order[i]];
        }
        return b;
    }

    private static int[] permute(int[] a, int[] order) {
        int[] b = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            b[i] = a[order[i]];
        }
        return b;
    }

    private static byte[] permute(byte[] a, int[] order) {
        byte[] b = new byte[order.length];
        for (int i = 0; i < order.length; i++) {
            b[i] = a[order[i]];
        }
        return b;
    }

    private byte[] chunkOf(long ref) {
        return chunks.get((int) (ref >>> 32));
    }

    private static int posOf(long ref) {
        return (int) ref;
    }

    /** Number of keys. */
    int size() {
        return n;
    }

    /** Database of the key at sorted position {@code i}. */
    int db(int i) {
        int lo = 0;
        int hi = runStart.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runStart[mid] <= i) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return runDb[lo];
    }

    /** A copy of the key bytes at {@code i}. */
    byte[] key(int i) {
        return decode(i);
    }

    /** Type of the key at {@code i}. */
    DataType type(int i) {
        return TYPES[type[i]];
    }

    /** Absolute expiry in unix ms, or -1. */
    long expireAt(int i) {
        return expire[i];
    }

    /** Estimated memory in bytes. */
    long memory(int i) {
        return memory[i];
    }

    /** Byte offset of the key in its file, or -1. */
    long offset(int i) {
        return offset[i];
    }

    /** Compares the key at {@code i} with (d, key). */
    int compare(int i, int d, byte[] key) {
        int di = db(i);
        if (di != d) {
            return Integer.compare(di, d);
        }
        return Arrays.compareUnsigned(decode(i), key);
    }

    /** First sorted position whose (db, key) is not below (d, key); {@link #size()} when none. */
    int lowerBound(int d, byte[] key) {
        checkSorted();
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, d, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sorted position of (d, key), or -1. */
    int find(int d, byte[] key) {
        int i = lowerBound(d, key);
        return i < n && compare(i, d, key) == 0 ? i : -1;
    }

    /** True when the key at {@code i} is in database {@code d} and starts with {@code prefix}. */
    boolean startsWith(int i, int d, byte[] prefix) {
        if (db(i) != d) {
            return false;
        }
        byte[] k = decode(i);
        return k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Total bytes of all keys. */
    long keyBytes() {
        return keyBytes;
    }

    /** Approximate heap taken by this index. */
    long heapBytes() {
        long s = (long) type.length * (1 + 8 + 8 + 8);
        if (sorted) {
            s += (long) blockRef.length * 8 + (long) runStart.length * 8;
            for (byte[] c : blocks) {
                s += c.length + 16;
            }
        } else {
            s += (long) keyRef.length * (8 + 4 + 4);
            for (byte[] c : chunks) {
                s += c.length + 16;
            }
        }
        return s;
    }

    private void checkSorted() {
        if (!sorted && n > 0) {
            throw new IllegalStateException("finish() was not called");
        }
    }

    /** Writes the keys in sorted order (the caller frames and checksums the stream). */
    void write(DataOutputStream out) throws IOException {
        checkSorted();
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            byte[] k = decode(i);
            writeVarLong(out, db(i));
            writeVarLong(out, k.length);
            out.write(k);
            out.writeByte(type[i]);
            // zigzag: -1 (none) takes one byte, and a bogus negative time from a damaged file still round-trips
            writeVarLong(out, zigzag(expire[i]));
            writeVarLong(out, zigzag(memory[i]));
            writeVarLong(out, zigzag(offset[i]));
        }
    }

    /**
     * Reads what {@link #write} wrote. Every count and length is checked against {@code maxBytes} (what is left
     * of the file) before anything is allocated; bad content is a {@link RedkitException}.
     */
    static KeyIndex read(DataInputStream in, String name, long maxBytes) throws IOException {
        KeyIndex ix = new KeyIndex();
        int count = in.readInt();
        // each record takes at least 6 bytes on disk
        if (count < 0 || (long) count * 6 > maxBytes) {
            throw new RedkitException(ErrorKind.INTEGRITY, name, -1, "key index", "key count " + count
                    + " does not fit the file");
        }
        long read = 0;
        for (int i = 0; i < count; i++) {
            long d = readVarLong(in);
            long len = readVarLong(in);
            if (d < 0 || d > Integer.MAX_VALUE || len < 0 || len > maxBytes - read) {
                throw new RedkitException(ErrorKind.INTEGRITY, name, -1, "key index", "record " + i + " is damaged");
            }
            byte[] key = new byte[(int) len];
            in.readFully(key);
            read += len + 6;
            int t = in.readByte();
            if (t < 0 || t >= TYPES.length) {
                throw new RedkitException(ErrorKind.INTEGRITY, name, -1, "key index", "record " + i + ": type " + t);
            }
            long exp = unzigzag(readVarLong(in));
            long mem = unzigzag(readVarLong(in));
            long off = unzigzag(readVarLong(in));
            ix.add((int) d, key, TYPES[t], exp, mem, off);
        }
        // written sorted: verify instead of trusting it, as lookups depend on it
        for (int i = 1; i < ix.n; i++) {
            if (ix.compareRaw(i - 1, i) >= 0) {
                throw new RedkitException(ErrorKind.INTEGRITY, name, -1, "key index", "keys out of order at " + i);
            }
        }
        ix.finish();
        return ix;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarLong(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }
}
