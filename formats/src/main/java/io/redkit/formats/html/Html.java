package io.redkit.formats.html;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Text for the page: HTML escaping, display previews of binary keys, human sizes. */
final class Html {
    private Html() {
    }

    /** {@code s} with the five characters that matter in HTML text and attribute values escaped. */
    static String esc(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (r != null) {
                    sb.append(r);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * A display preview of binary bytes, not yet HTML-escaped: valid UTF-8 shows as text, other bytes
     * and control or direction-changing characters as {@code \xNN} / <code>&#92;u{N}</code> escapes (a backslash
     * itself as {@code \\}), cut after {@code max} characters with "...".
     */
    static String preview(byte[] b, int max) {
        StringBuilder sb = new StringBuilder(Math.min(b.length, max) + 8);
        int i = 0;
        int shown = 0;
        while (i < b.length && shown < max) {
            int c = b[i] & 0xFF;
            int n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            if (n > 1 && i + n <= b.length && io.redkit.core.Bytes.isUtf8(b, i, n)) {
                int cp = new String(b, i, n, StandardCharsets.UTF_8).codePointAt(0);
                if (invisible(cp)) {
                    sb.append(String.format(Locale.ROOT, "\\u{%x}", cp));
                } else {
                    sb.appendCodePoint(cp);
                }
                i += n;
            } else if (n == 1 && c >= 0x20 && c < 0x7F) {
                sb.append(c == '\\' ? "\\\\" : String.valueOf((char) c));
                i++;
            } else {
                sb.append(String.format(Locale.ROOT, "\\x%02x", c));
                i++;
            }
            shown++;
        }
        if (i < b.length) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** C1 controls, bidirectional overrides and isolates, zero-width and line/paragraph separators. */
    private static boolean invisible(int cp) {
        return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F)
                || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
    }

    /** {@code n} bytes as B, KiB, MiB, GiB or TiB with one decimal. */
    static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code n} with thousands separators. */
    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code part} as a percentage of {@code whole} with one decimal ("0.0%" when whole is 0). */
    static String pct(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f%%", whole <= 0 ? 0.0 : 100.0 * part / whole);
    }

    /** A coordinate for SVG: at most two decimals, no locale. */
    static String f(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
