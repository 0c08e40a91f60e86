package io.redkit.rdb.encoding;

import io.redkit.core.RedkitException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: hex, byte builders for hand-made blobs, a visitor that records entries. */
final class Blobs {
    static final BlobContext CTX = BlobContext.of("test blob");

    private Blobs() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Appends bytes in order; each call is one commented field in a test. */
    static final class B {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        B u8(int... v) {
            for (int x : v) {
                out.write(x);
            }
            return this;
        }

        B le16(int v) {
            return u8(v & 0xFF, (v >>> 8) & 0xFF);
        }

        B le32(long v) {
            return u8((int) v & 0xFF, (int) (v >>> 8) & 0xFF, (int) (v >>> 16) & 0xFF, (int) (v >>> 24) & 0xFF);
        }

        B le64(long v) {
            return le32(v).le32(v >>> 32);
        }

        B be32(long v) {
            return u8((int) (v >>> 24) & 0xFF, (int) (v >>> 16) & 0xFF, (int) (v >>> 8) & 0xFF, (int) v & 0xFF);
        }

        B str(String s) {
            out.writeBytes(ascii(s));
            return this;
        }

        B bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    /** Records entries as {@code byte[]} (strings) or {@code Long} (integers). */
    static final class Collect implements EntryVisitor {
        final List<Object> entries = new ArrayList<>();

        @Override
        public void string(byte[] buf, int off, int len) {
            entries.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void integer(long value) {
            entries.add(value);
        }

        /** Entries as text: strings in ISO-8859-1, integers in decimal, for readable assertions. */
        List<String> texts() {
            List<String> l = new ArrayList<>();
            for (Object o : entries) {
                l.add(o instanceof byte[] ? new String((byte[]) o, StandardCharsets.ISO_8859_1) : o.toString());
            }
            return l;
        }
    }

    /** A visitor that ignores entries, for walking hostile bytes. */
    static final EntryVisitor IGNORE = new EntryVisitor() {
        @Override
        public void string(byte[] buf, int off, int len) {
            if (off < 0 || len < 0 || off + len > buf.length) {
                throw new IllegalStateException("slice out of bounds");
            }
        }

        @Override
        public void integer(long value) {
        }
    };

    /**
     * Builds a ziplist the way Redis's ziplistPush does (integers in the smallest encoding, canonical
     * prevlen), for round trips and mutation tests. Entries are {@code byte[]} or {@code Long}.
     */
    static byte[] ziplist(List<Object> entries) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int prev = 0;
        int lastOff = 10;
        for (Object e : entries) {
            ByteArrayOutputStream en = new ByteArrayOutputStream();
            if (prev < 254) {
                en.write(prev);
            } else {
                en.write(0xFE);
                writeLe(en, prev, 4);
            }
            if (e instanceof Long) {
                long v = (Long) e;
                if (v >= 0 && v <= 12) {
                    en.write(0xF1 + (int) v);
                } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    en.write(0xFE);
                    writeLe(en, v, 1);
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    en.write(0xC0);
                    writeLe(en, v, 2);
                } else if (v >= -(1 << 23) && v < (1 << 23)) {
                    en.write(0xF0);
                    writeLe(en, v, 3);
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    en.write(0xD0);
                    writeLe(en, v, 4);
                } else {
                    en.write(0xE0);
                    writeLe(en, v, 8);
                }
            } else {
                byte[] s = (byte[]) e;
                if (s.length <= 63) {
                    en.write(s.length);
                } else if (s.length <= 16383) {
                    en.write(0x40 | (s.length >>> 8));
                    en.write(s.length & 0xFF);
                } else {
                    en.write(0x80);
                    en.write(s.length >>> 24);
                    en.write((s.length >>> 16) & 0xFF);
                    en.write((s.length >>> 8) & 0xFF);
                    en.write(s.length & 0xFF);
                }
                en.writeBytes(s);
            }
            lastOff = 10 + body.size();
            prev = en.size();
            body.writeBytes(en.toByteArray());
        }
        B b = new B();
        b.le32(10 + body.size() + 1).le32(lastOff).le16(Math.min(entries.size(), 0xFFFF));
        b.bytes(body.toByteArray()).u8(0xFF);
        return b.build();
    }

    /** Builds a zipmap of key/value pairs with {@code free} padding bytes after each value. */
    static byte[] zipmap(List<byte[]> kv, int free) {
        B b = new B();
        b.u8(Math.min(kv.size() / 2, 254));
        for (int i = 0; i < kv.size(); i++) {
            byte[] s = kv.get(i);
            if (s.length < 254) {
                b.u8(s.length);
            } else {
                b.u8(0xFE).le32(s.length);
            }
            if (i % 2 == 1) {
                b.u8(free);
            }
            b.bytes(s);
            if (i % 2 == 1) {
                for (int k = 0; k < free; k++) {
                    b.u8(0);
                }
            }
        }
        return b.u8(0xFF).build();
    }

    private static void writeLe(ByteArrayOutputStream o, long v, int n) {
        for (int k = 0; k < n; k++) {
            o.write((int) (v >>> (8 * k)) & 0xFF);
        }
    }

    /** Runs a decoder over hostile bytes: anything but a RedkitException fails the test. */
    interface Decode {
        void run() throws RedkitException;
    }

    static void onlyRedkit(Decode d) {
        try {
            d.run();
        } catch (RedkitException expected) {
            // the only acceptable failure
        }
    }
}
