package io.redkit.cli.shell;

import io.redkit.core.Bytes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Text helpers of the shell: binary-safe previews, quoting that the shell reads back, argument splitting, sizes. */
final class Text {
    private Text() {
    }

    /**
     * Bytes as readable text: valid UTF-8 without control characters as it is, anything else with non-printable
     * bytes as {@code \xNN}; cut to {@code maxChars} characters with a trailing {@code ...}.
     */
    static String show(byte[] b, int maxChars) {
        return show(b, 0, b.length, maxChars);
    }

    /** {@link #show(byte[], int)} of {@code b[off, off+len)}. */
    static String show(byte[] b, int off, int len, int maxChars) {
        if (maxChars < Integer.MAX_VALUE / 8 && len > maxChars * 4L + 4) {
            // a huge value shown short: look at a head that holds maxChars characters, cut at a UTF-8 boundary
            int cut = off + maxChars * 4;
            while (cut > off && (b[cut] & 0xC0) == 0x80) {
                cut--;
            }
            String head = show(b, off, cut - off, maxChars);
            return head.endsWith("...") ? head : head + "...";
        }
        if (Bytes.isUtf8(b, off, len) && noControl(b, off, len)) {
            String s = new String(b, off, len, StandardCharsets.UTF_8);
            if (s.codePointCount(0, s.length()) <= maxChars) {
                return s;
            }
            return s.substring(0, s.offsetByCodePoints(0, Math.max(0, maxChars - 3))) + "...";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            if (sb.length() >= maxChars - 3) {
                return sb.append("...").toString();
            }
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    private static boolean noControl(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * A key as an argument the shell reads back to the same bytes: as it is when it is plain printable text
     * without blanks, quotes or backslashes, else in double quotes with {@code \xNN} escapes.
     */
    static String arg(byte[] b) {
        boolean plain = b.length > 0 && Bytes.isUtf8(b) && noControl(b, 0, b.length);
        if (plain) {
            for (byte x : b) {
                if (x == ' ' || x == '"' || x == '\'' || x == '\\') {
                    plain = false;
                    break;
                }
            }
        }
        if (plain) {
            return new String(b, StandardCharsets.UTF_8);
        }
        StringBuilder sb = new StringBuilder("\"");
        boolean utf8 = Bytes.isUtf8(b);
        if (utf8) {
            String s = new String(b, StandardCharsets.UTF_8);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7F) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        } else {
            for (byte x : b) {
                int c = x & 0xFF;
                if (c == '"' || c == '\\') {
                    sb.append('\\').append((char) c);
                } else if (c >= 0x20 && c < 0x7F) {
                    sb.append((char) c);
                } else {
                    sb.append(String.format("\\x%02x", c));
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * Splits a command line into arguments as bytes: ASCII blanks separate; {@code "..."} knows {@code \n \r \t \" \\
     * \xNN}; {@code '...'} knows only {@code \'}; outside quotes a backslash takes the next character as it is.
     *
     * @throws IllegalArgumentException on an unbalanced quote
     */
    static List<byte[]> split(String line) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                if (inWord) {
                    out.add(cur.toByteArray());
                    cur.reset();
                    inWord = false;
                }
                i++;
            } else if (c == '"') {
                inWord = true;
                i = doubleQuoted(line, i + 1, cur);
            } else if (c == '\'') {
                inWord = true;
                i = singleQuoted(line, i + 1, cur);
            } else if (c == '\\' && i + 1 < n) {
                inWord = true;
                appendUtf8(cur, line, i + 1);
                i += 1 + Character.charCount(line.codePointAt(i + 1));
            } else {
                inWord = true;
                appendUtf8(cur, line, i);
                i += Character.charCount(line.codePointAt(i));
            }
        }
        if (inWord) {
            out.add(cur.toByteArray());
        }
        return out;
    }

    /** Reads a double-quoted part starting after its quote; returns the index after the closing quote. */
    private static int doubleQuoted(String line, int i, ByteArrayOutputStream cur) {
        int n = line.length();
        while (i < n) {
            char d = line.charAt(i);
            if (d == '"') {
                return i + 1;
            }
            if (d == '\\' && i + 1 < n) {
                char e = line.charAt(i + 1);
                if (e == 'x' && i + 3 < n && hex(line.charAt(i + 2)) >= 0 && hex(line.charAt(i + 3)) >= 0) {
                    cur.write(hex(line.charAt(i + 2)) * 16 + hex(line.charAt(i + 3)));
                    i += 4;
                    continue;
                }
                switch (e) {
                    case 'n' -> cur.write('\n');
                    case 'r' -> cur.write('\r');
                    case 't' -> cur.write('\t');
                    case 'a' -> cur.write(7);
                    case 'b' -> cur.write('\b');
                    default -> appendUtf8(cur, line, i + 1);
                }
                i += 1 + Character.charCount(line.codePointAt(i + 1));
                continue;
            }
            appendUtf8(cur, line, i);
            i += Character.charCount(line.codePointAt(i));
        }
        throw new IllegalArgumentException("unbalanced quotes");
    }

    /** Reads a single-quoted part starting after its quote; returns the index after the closing quote. */
    private static int singleQuoted(String line, int i, ByteArrayOutputStream cur) {
        int n = line.length();
        while (i < n) {
            char d = line.charAt(i);
            if (d == '\'') {
                return i + 1;
            }
            if (d == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                cur.write('\'');
                i += 2;
                continue;
            }
            appendUtf8(cur, line, i);
            i += Character.charCount(line.codePointAt(i));
        }
        throw new IllegalArgumentException("unbalanced quotes");
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static void appendUtf8(ByteArrayOutputStream out, String s, int at) {
        int cp = s.codePointAt(at);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    /** A byte count for people: {@code 512 B}, {@code 1.5 KB}, {@code 12.3 MB}. */
    static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
