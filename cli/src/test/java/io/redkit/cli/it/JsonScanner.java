package io.redkit.cli.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict pull tokenizer for JSON and JSON lines over a byte stream, written for tests that must read
 * huge outputs (a 100 MB string on one line) without holding them: a string's text is kept only up to
 * {@code maxText} bytes, its full UTF-8 byte length is always counted. {@link #readValue} builds a value
 * tree with the same equality Python's {@code json.loads} gives: integral numbers below 2^53 become
 * {@code Long} whatever their spelling ({@code 3.0 == 3}), others {@code Double}; objects are maps,
 * arrays lists.
 */
public final class JsonScanner {
    /** Token kinds. */
    public enum Token { START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, FIELD, STRING, NUMBER, TRUE, FALSE, NULL, EOF }

    private final InputStream in;
    private final int maxText;
    private final Deque<Character> stack = new ArrayDeque<>();
    private boolean afterValue;
    private boolean justOpened;
    private boolean fieldPending;
    private long pos;
    private int peeked = -2;

    private byte[] text = new byte[64];
    private int textLen;
    private long stringBytes;
    private String number;

    /** A scanner over {@code in} keeping at most {@code maxText} bytes of each string's text. */
    public JsonScanner(InputStream in, int maxText) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
        this.maxText = maxText;
    }

    /** Parses every JSON value of a JSON-lines text into trees. */
    public static List<Object> parseLines(String jsonl) {
        JsonScanner s = new JsonScanner(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), Integer.MAX_VALUE);
        List<Object> out = new ArrayList<>();
        try {
            while (true) {
                Token t = s.next();
                if (t == Token.EOF) {
                    return out;
                }
                out.add(s.valueFrom(t));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one JSON text into a tree. */
    public static Object parse(String json) {
        List<Object> all = parseLines(json);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one JSON value, found " + all.size());
        }
        return all.get(0);
    }

    /** The next token, or {@link Token#EOF} at the end of input between top-level values. */
    public Token next() throws IOException {
        int c = skipWs();
        if (!stack.isEmpty()) {
            char top = stack.peek();
            if (c == '}' || c == ']') {
                if ((c == '}') != (top == '{') || fieldPending || !(afterValue || justOpened)) {
                    throw error("unexpected '" + (char) c + "'");
                }
                read();
                stack.pop();
                afterValue = true;
                justOpened = false;
                return c == '}' ? Token.END_OBJECT : Token.END_ARRAY;
            }
            if (afterValue) {
                if (c != ',') {
                    throw error("expected ',' or end of container, found " + describe(c));
                }
                read();
                c = skipWs();
                afterValue = false;
            }
            justOpened = false;
            if (top == '{' && !fieldPending) {
                if (c != '"') {
                    throw error("expected a field name, found " + describe(c));
                }
                read();
                readString();
                if (skipWs() != ':') {
                    throw error("expected ':' after a field name");
                }
                read();
                fieldPending = true;
                return Token.FIELD;
            }
        } else if (c < 0) {
            return Token.EOF;
        }
        fieldPending = false;
        read();
        switch (c) {
            case '{':
                stack.push('{');
                justOpened = true;
                afterValue = false;
                return Token.START_OBJECT;
            case '[':
                stack.push('[');
                justOpened = true;
                afterValue = false;
                return Token.START_ARRAY;
            case '"':
                readString();
                afterValue = true;
                return Token.STRING;
            case 't':
                literal("rue");
                afterValue = true;
                return Token.TRUE;
            case 'f':
                literal("alse");
                afterValue = true;
                return Token.FALSE;
            case 'n':
                literal("ull");
                afterValue = true;
                return Token.NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    readNumber(c);
                    afterValue = true;
                    return Token.NUMBER;
                }
                throw error("unexpected " + describe(c));
        }
    }

    /** The text of the current STRING or FIELD token (only its first {@code maxText} bytes). */
    public String text() {
        return new String(text, 0, textLen, StandardCharsets.UTF_8);
    }

    /** True when the current string's text was cut at {@code maxText} bytes. */
    public boolean textTruncated() {
        return stringBytes > textLen;
    }

    /** UTF-8 byte length of the current STRING or FIELD token's decoded text. */
    public long stringBytes() {
        return stringBytes;
    }

    /** The spelling of the current NUMBER token. */
    public String numberText() {
        return number;
    }

    /** Byte offset in the input (for error messages). */
    public long position() {
        return pos;
    }

    /** Reads the value starting at the next token into a tree. */
    public Object readValue() throws IOException {
        return valueFrom(next());
    }

    /** Skips the value whose first token is {@code t}. */
    public void skip(Token t) throws IOException {
        int depth = (t == Token.START_ARRAY || t == Token.START_OBJECT) ? 1 : 0;
        while (depth > 0) {
            Token x = next();
            if (x == Token.START_ARRAY || x == Token.START_OBJECT) {
                depth++;
            } else if (x == Token.END_ARRAY || x == Token.END_OBJECT) {
                depth--;
            } else if (x == Token.EOF) {
                throw error("end of input inside a value");
            }
        }
    }

    private Object valueFrom(Token t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (true) {
                    Token x = next();
                    if (x == Token.END_OBJECT) {
                        return m;
                    }
                    String name = text();
                    m.put(name, readValue());
                }
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (true) {
                    Token x = next();
                    if (x == Token.END_ARRAY) {
                        return l;
                    }
                    l.add(valueFrom(x));
                }
            }
            case STRING:
                if (textTruncated()) {
                    throw error("string longer than " + maxText + " bytes in a tree value");
                }
                return text();
            case NUMBER:
                return normalizeNumber(number);
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case NULL:
                return null;
            default:
                throw error("unexpected " + t);
        }
    }

    /** A JSON number as Python compares it: integral values below 2^53 as Long, others as Double (or Long when exact). */
    public static Object normalizeNumber(String s) {
        boolean integral = s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return Double.parseDouble(s);
            }
        }
        return normalizeDouble(Double.parseDouble(s));
    }

    /** A double as {@link #normalizeNumber} represents it. */
    public static Object normalizeDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return (long) d;
        }
        return d;
    }

    private void readNumber(int first) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append((char) first);
        while (true) {
            int c = peek();
            if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                sb.append((char) read());
            } else {
                break;
            }
        }
        number = sb.toString();
        if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error("bad number " + number);
        }
    }

    private void literal(String rest) throws IOException {
        for (int i = 0; i < rest.length(); i++) {
            if (read() != rest.charAt(i)) {
                throw error("bad literal");
            }
        }
    }

    // the opening quote is consumed; reads up to and including the closing quote
    private void readString() throws IOException {
        textLen = 0;
        stringBytes = 0;
        while (true) {
            int c = read();
            if (c < 0) {
                throw error("end of input inside a string");
            }
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw error("raw control character in a string");
            }
            if (c != '\\') {
                put(c);
                continue;
            }
            int e = read();
            switch (e) {
                case '"': case '\\': case '/':
                    put(e);
                    break;
                case 'b':
                    put('\b');
                    break;
                case 'f':
                    put('\f');
                    break;
                case 'n':
                    put('\n');
                    break;
                case 'r':
                    put('\r');
                    break;
                case 't':
                    put('\t');
                    break;
                case 'u': {
                    int cp = hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (read() != '\\' || read() != 'u') {
                            throw error("lone high surrogate escape");
                        }
                        int lo = hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) {
                            throw error("bad low surrogate escape");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        throw error("lone low surrogate escape");
                    }
                    byte[] u = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                    for (byte b : u) {
                        put(b & 0xFF);
                    }
                    break;
                }
                default:
                    throw error("bad escape \\" + (char) e);
            }
        }
    }

    private int hex4() throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(read(), 16);
            if (d < 0) {
                throw error("bad \\u escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private void put(int b) {
        stringBytes++;
        if (textLen < maxText) {
            if (textLen == text.length) {
                text = Arrays.copyOf(text, (int) Math.min((long) text.length * 2, Math.max(maxText, 64)));
            }
            text[textLen++] = (byte) b;
        }
    }

    private int skipWs() throws IOException {
        while (true) {
            int c = peek();
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                read();
            } else {
                return c;
            }
        }
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int read() throws IOException {
        int c = peek();
        peeked = -2;
        if (c >= 0) {
            pos++;
        }
        return c;
    }

    private static String describe(int c) {
        return c < 0 ? "end of input" : "'" + (char) c + "'";
    }

    private IOException error(String what) {
        return new IOException("JSON: " + what + " at byte " + pos);
    }
}
