package io.redkit.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * JSON string literals for the small hand-written JSON of reports and log lines (the data paths use Jackson):
 * quotes, backslashes and control characters escaped, and also U+2028/U+2029 and lone surrogates, so a line
 * stays valid JSON and safe inside a script.
 */
public final class JsonStrings {
    private JsonStrings() {
    }

    /** Appends {@code s} as a JSON string literal, or {@code null} for null. */
    public static void append(Appendable out, String s) throws IOException {
        if (s == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validPair(s, i)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@link #append(Appendable, String)} into a StringBuilder, which cannot fail. */
    public static void append(StringBuilder sb, String s) {
        try {
            append((Appendable) sb, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
