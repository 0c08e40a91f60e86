package io.redkit.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Helpers for binary-safe Redis strings held as {@code byte[]}. */
public final class Bytes {
    private Bytes() {
    }

    /** Unsigned lexicographic comparison, the order Redis uses for keys and set members. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** The bytes of an ASCII/UTF-8 string. */
    public static byte[] of(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the bytes are well-formed UTF-8 (no overlongs, no surrogates). */
    public static boolean isUtf8(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= end) {
                return false;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }

    /** True when the whole array is well-formed UTF-8. */
    public static boolean isUtf8(byte[] b) {
        return isUtf8(b, 0, b.length);
    }

    /**
     * A short printable preview for error messages: up to 40 characters, non-printable bytes
     * as {@code \xNN}.
     */
    public static String preview(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        int n = Math.min(b.length, 40);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        if (b.length > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** Parses a canonical signed decimal integer the way Redis's string2ll does; null if it is not one. */
    public static Long parseLong(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return null;
        }
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') {
            neg = true;
            i = 1;
            if (b.length == 1) {
                return null;
            }
        }
        if (b[i] == '0' && b.length > i + 1) {
            return null;
        }
        if (b[i] == '0' && neg) {
            return null;
        }
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            // accumulate negatively so Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            v = -v;
        }
        return v;
    }
}
