package io.redkit.aof;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The manifest of a Redis 7+ multi-part AOF directory, parsed with the server's own rules.
 *
 * <pre>
 * # comment\n
 * file appendonly.aof.2.base.rdb seq 2 type b\n     key value pairs, at least 3, keys case-insensitive
 * file "name with spaces" seq 3 type i\n             values split like sdssplitargs
 * </pre>
 *
 * Rules: at least one line; no blank line; every line (LF included) at most {@value #MAX_LINE}
 * bytes and ended by LF; {@code file} a base name, {@code seq} a positive integer, {@code type}
 * starting with b, h or i; one BASE at most; INCR seqs strictly increasing. Any violation is a
 * {@link ErrorKind#BAD_MANIFEST} naming the manifest and the line.
 */
public final class AofManifest {
    /** Longest manifest line, LF included (the server reads lines into a 1025-byte buffer). */
    public static final int MAX_LINE = 1024;
    /** Largest manifest redkit reads; real ones are a few hundred bytes. */
    public static final int MAX_SIZE = 16 * 1024 * 1024;

    /** The role of a listed file. */
    public enum Type {
        /** The snapshot the increments apply to ({@code b}). */
        BASE,
        /** A file superseded by a rewrite, not loaded ({@code h}). */
        HISTORY,
        /** An increment, loaded in manifest order after the base ({@code i}). */
        INCR
    }

    /**
     * One listed file.
     *
     * @param fileName the base name inside the AOF directory
     * @param seq      its sequence number (positive)
     * @param type     base, history or increment
     * @param line     the manifest line (1-based) that lists it
     */
    public record Entry(String fileName, long seq, Type type, int line) {
    }

    private final String source;
    private final List<Entry> entries;
    private final Entry base;
    private final List<Entry> incrs;

    private AofManifest(String source, List<Entry> entries) {
        this.source = source;
        this.entries = Collections.unmodifiableList(entries);
        Entry b = null;
        List<Entry> inc = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type() == Type.BASE) {
                b = e;
            } else if (e.type() == Type.INCR) {
                inc.add(e);
            }
        }
        this.base = b;
        this.incrs = Collections.unmodifiableList(inc);
    }

    /** Reads and parses a manifest file; its path names it in errors. */
    public static AofManifest read(Path manifest) throws IOException {
        String name = manifest.toString();
        try (InputStream in = Files.newInputStream(manifest)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int r;
            while ((r = in.read(chunk)) >= 0) {
                if (out.size() + r > MAX_SIZE) {
                    throw new RedkitException(ErrorKind.BAD_MANIFEST, name, -1, "manifest",
                            "larger than " + MAX_SIZE + " bytes");
                }
                out.write(chunk, 0, r);
            }
            return parse(out.toByteArray(), name);
        }
    }

    /** Parses manifest bytes; {@code source} names the manifest in errors. */
    public static AofManifest parse(byte[] content, String source) throws RedkitException {
        List<Entry> entries = new ArrayList<>();
        boolean haveBase = false;
        long maxIncrSeq = 0;
        int lineNo = 0;
        int i = 0;
        if (content.length == 0) {
            throw error(source, 0, "the manifest is empty");
        }
        while (i < content.length) {
            lineNo++;
            int lf = -1;
            for (int k = i; k < content.length; k++) {
                if (content[k] == '\n') {
                    lf = k;
                    break;
                }
            }
            int end = lf < 0 ? content.length : lf;
            if (end + 1 - i > MAX_LINE) {
                throw error(source, lineNo, "line longer than " + MAX_LINE + " bytes");
            }
            if (content[i] == '#') {
                i = end + 1;
                continue;
            }
            if (lf < 0) {
                throw error(source, lineNo, "line not ended by a newline");
            }
            List<byte[]> args = splitArgs(content, i, end, source, lineNo);
            if (args.isEmpty()) {
                throw error(source, lineNo, "blank line");
            }
            if (args.size() < 6 || args.size() % 2 != 0) {
                throw error(source, lineNo, "expected key value pairs (file, seq, type), found " + args.size() + " tokens");
            }
            String file = null;
            long seq = 0;
            int typeChar = 0;
            for (int k = 0; k < args.size(); k += 2) {
                String key = new String(args.get(k), StandardCharsets.ISO_8859_1);
                byte[] value = args.get(k + 1);
                if (key.equalsIgnoreCase("file")) {
                    file = new String(value, StandardCharsets.UTF_8);
                    if (value.length == 0 || file.equals(".") || file.equals("..") || file.indexOf('/') >= 0
                            || file.indexOf('\\') >= 0 || file.indexOf('\0') >= 0) {
                        throw error(source, lineNo, "file '" + file + "' is not a plain file name (a path is not allowed)");
                    }
                } else if (key.equalsIgnoreCase("seq")) {
                    seq = parseSeq(value, source, lineNo);
                } else if (key.equalsIgnoreCase("type")) {
                    typeChar = value.length == 0 ? 0 : value[0];
                }
                // other keys: ignored, for forward compatibility as the server does
            }
            if (file == null || seq == 0 || typeChar == 0) {
                throw error(source, lineNo, "missing " + (file == null ? "file" : seq == 0 ? "seq" : "type"));
            }
            Type type;
            switch (typeChar) {
                case 'b':
                    if (haveBase) {
                        throw error(source, lineNo, "a second base file");
                    }
                    haveBase = true;
                    type = Type.BASE;
                    break;
                case 'h':
                    type = Type.HISTORY;
                    break;
                case 'i':
                    if (seq <= maxIncrSeq) {
                        throw error(source, lineNo, "incr seq " + seq + " after seq " + maxIncrSeq + " (expected increasing)");
                    }
                    maxIncrSeq = seq;
                    type = Type.INCR;
                    break;
                default:
                    throw error(source, lineNo, "unknown file type '" + (char) (typeChar & 0xFF) + "' (expected b, h or i)");
            }
            entries.add(new Entry(file, seq, type, lineNo));
            i = end + 1;
        }
        return new AofManifest(source, entries);
    }

    /** The manifest's name as given to the parser. */
    public String source() {
        return source;
    }

    /** Every listed file, in manifest order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The base file, or null when there is none. */
    public Entry base() {
        return base;
    }

    /** The increment files in manifest order. */
    public List<Entry> incrs() {
        return incrs;
    }

    /** The files a server loads, in order: the base (if any), then every increment; history is left out. */
    public List<Entry> loadOrder() {
        List<Entry> order = new ArrayList<>(incrs.size() + 1);
        if (base != null) {
            order.add(base);
        }
        order.addAll(incrs);
        return order;
    }

    private static long parseSeq(byte[] v, String source, int lineNo) throws RedkitException {
        if (v.length == 0 || v.length > 18) {
            throw error(source, lineNo, "seq '" + printable(v) + "' is not a positive integer");
        }
        long n = 0;
        for (byte b : v) {
            if (b < '0' || b > '9') {
                throw error(source, lineNo, "seq '" + printable(v) + "' is not a positive integer");
            }
            n = n * 10 + (b - '0');
        }
        if (n == 0) {
            throw error(source, lineNo, "seq 0 (expected a positive integer)");
        }
        return n;
    }

    /**
     * Splits {@code b[from, to)} into tokens like Redis's sdssplitargs: blanks separate, {@code "..."}
     * takes C escapes and {@code \xHH}, {@code '...'} takes {@code \'}; a closing quote must be followed
     * by a blank or the end.
     */
    static List<byte[]> splitArgs(byte[] b, int from, int to, String source, int lineNo) throws RedkitException {
        List<byte[]> out = new ArrayList<>();
        int p = from;
        ByteArrayOutputStream tok = new ByteArrayOutputStream();
        while (true) {
            while (p < to && isSpace(b[p])) {
                p++;
            }
            if (p >= to) {
                return out;
            }
            tok.reset();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = p < to ? b[p] & 0xFF : -1;
                if (c == 0) {
                    throw error(source, lineNo, "NUL byte in the line");
                }
                if (inDouble) {
                    if (c == '\\' && p + 3 < to && b[p + 1] == 'x' && hex(b[p + 2]) >= 0 && hex(b[p + 3]) >= 0) {
                        tok.write(hex(b[p + 2]) * 16 + hex(b[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < to) {
                        p++;
                        int e = b[p] & 0xFF;
                        switch (e) {
                            case 'n': tok.write('\n'); break;
                            case 'r': tok.write('\r'); break;
                            case 't': tok.write('\t'); break;
                            case 'b': tok.write('\b'); break;
                            case 'a': tok.write(7); break;
                            default: tok.write(e); break;
                        }
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(b[p + 1])) {
                            throw error(source, lineNo, "closing quote not followed by a blank");
                        }
                        done = true;
                    } else if (c < 0) {
                        throw error(source, lineNo, "unbalanced double quotes");
                    } else {
                        tok.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && p + 1 < to && b[p + 1] == '\'') {
                        p++;
                        tok.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(b[p + 1])) {
                            throw error(source, lineNo, "closing quote not followed by a blank");
                        }
                        done = true;
                    } else if (c < 0) {
                        throw error(source, lineNo, "unbalanced single quotes");
                    } else {
                        tok.write(c);
                    }
                } else {
                    if (c < 0 || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                        done = true;
                    } else if (c == '"') {
                        inDouble = true;
                    } else if (c == '\'') {
                        inSingle = true;
                    } else {
                        tok.write(c);
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            out.add(tok.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        // C isspace in the "C" locale
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String printable(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length && i < 40; i++) {
            int c = v[i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }

    private static RedkitException error(String source, int lineNo, String detail) {
        return new RedkitException(ErrorKind.BAD_MANIFEST, source, -1, "manifest line " + lineNo, detail);
    }
}
