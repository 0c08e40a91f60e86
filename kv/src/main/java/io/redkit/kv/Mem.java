package io.redkit.kv;

/**
 * Heap size arithmetic of a 64-bit HotSpot JVM with compressed oops and class pointers (heap under 32 GB):
 * 12-byte object headers, 16-byte array headers, 4-byte references, 8-byte alignment.
 */
final class Mem {
    static final int REF = 4;
    static final int OBJECT_HEADER = 12;
    static final int ARRAY_HEADER = 16;

    private Mem() {
    }

    static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** Bytes of an array of n elements of the given width. */
    static long array(long n, int width) {
        return align(ARRAY_HEADER + n * width);
    }

    /** Bytes of a byte[] of length n. */
    static long bytes(byte[] b) {
        return align(ARRAY_HEADER + b.length);
    }

    /** Bytes of an object with the given field bytes. */
    static long object(int fieldBytes) {
        return align(OBJECT_HEADER + fieldBytes);
    }
}
