package io.redkit.cli.shell;

import io.redkit.aof.SourceOptions;
import io.redkit.cli.ExitCodes;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The commands of {@code redkit shell} over one {@link Backend}: {@code ls}, {@code scan}, {@code get},
 * {@code type}, {@code ttl}, {@code info}, {@code top}, {@code prefix}, {@code select}, {@code help},
 * {@code quit}. Line editing lives in {@link InteractiveLoop}; this class runs one command line at a time and is
 * also the whole of the scripted mode (commands read from a pipe, plain output).
 */
public final class Shell implements Closeable {
    /** The commands, for help and completion. */
    static final List<String> COMMANDS = List.of("ls", "scan", "get", "type", "ttl", "info", "top", "prefix",
            "select", "help", "quit", "exit");
    /** Commands whose first argument is a key (completed from the index). */
    static final List<String> KEY_COMMANDS = List.of("get", "type", "ttl");
    /** Prefixes tracked by {@code prefix}; keys of further new prefixes are counted under "(other)". */
    static final int MAX_PREFIXES = 100_000;

    private static final String[] HELP = {
        "ls [PATTERN]           keys of the current database matching a glob (default *)",
        "scan PATTERN [COUNT]   at most COUNT (default 100) keys matching PATTERN",
        "get KEY [--all]        the value: a string as text, a collection as a table (paged; --all: everything)",
        "type KEY               the key's type, or none",
        "ttl KEY                time to live in seconds: -1 no expiry, -2 no such key",
        "info                   the source, its version, keys per database, size",
        "top [N]                the N (default 10) biggest keys by estimated memory",
        "prefix [DEPTH]         key counts and memory by key prefix, split on ':' (default depth 1)",
        "select DB              switch database",
        "help                   this list",
        "quit, exit, Ctrl-D     leave",
        "Keys with blanks or binary bytes: \"double quotes\" with \\xNN escapes, or 'single quotes'.",
    };

    private final Backend backend;
    private final Style style;
    private final int page;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private int db;
    private int failure;

    Shell(Backend backend, Style style, int page, int db) {
        this.backend = backend;
        this.style = style;
        this.page = page;
        this.db = db;
    }

    /**
     * Opens SOURCE for browsing.
     *
     * @param keepIndex write the key index beside an RDB file ({@code --index})
     * @param err       warnings
     */
    public static Shell open(String source, SourceOptions options, boolean keepIndex, boolean color, int page,
                             PrintStream err) throws IOException {
        return open(source, options, keepIndex, RemoteSettings.DEFAULTS, color, page, err);
    }

    /** {@link #open(String, SourceOptions, boolean, boolean, int, PrintStream)} with how to reach a live server. */
    public static Shell open(String source, SourceOptions options, boolean keepIndex, RemoteSettings remote,
                             boolean color, int page, PrintStream err) throws IOException {
        Backend b = Backends.open(source, options, keepIndex, remote, err);
        int db = RemoteBackend.handles(source) ? RemoteBackend.uriDb(source) : 0;
        return new Shell(b, new Style(color), page, db);
    }

    Backend backend() {
        return backend;
    }

    /** The current database. */
    int db() {
        return db;
    }

    /** Asks a running command to stop (Ctrl-C while it prints). */
    void interrupt() {
        interrupted.set(true);
    }

    /** The prompt: the source's name, and the database when it is not 0. */
    String prompt() {
        return backend.name() + (db == 0 ? "" : "[" + db + "]") + "> ";
    }

    /**
     * Reads commands from {@code in} until its end or {@code quit}, output plain. Returns the exit code: 0, or
     * that of the first command that failed (2 usage, 1 bad data, 3 I/O).
     */
    public int runScript(BufferedReader in, PrintWriter out, PrintWriter err) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (!execute(line, out, err)) {
                break;
            }
        }
        out.flush();
        return failure;
    }

    /**
     * Runs one command line; false when it asks to leave. Errors are printed on {@code err} and remembered for
     * the exit code of a script.
     */
    boolean execute(String line, PrintWriter out, PrintWriter err) {
        interrupted.set(false);
        try {
            List<byte[]> args;
            try {
                args = Text.split(line);
            } catch (IllegalArgumentException e) {
                throw new Usage(e.getMessage());
            }
            if (args.isEmpty()) {
                return true;
            }
            String cmd = new String(args.get(0), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            List<byte[]> rest = args.subList(1, args.size());
            switch (cmd) {
                case "quit", "exit" -> {
                    return false;
                }
                case "help", "?" -> help(out);
                case "ls", "keys" -> ls(rest, out);
                case "scan" -> scan(rest, out);
                case "get" -> get(rest, out);
                case "type" -> type(rest, out);
                case "ttl" -> ttl(rest, out);
                case "info" -> info(rest, out);
                case "top" -> top(rest, out);
                case "prefix" -> prefix(rest, out);
                case "select" -> select(rest, out);
                default -> throw new Usage("unknown command '" + cmd + "' (try help)");
            }
        } catch (Usage e) {
            fail(ExitCodes.USAGE, e.getMessage(), err);
        } catch (IOException | RuntimeException e) {
            int code = ExitCodes.of(e);
            fail(code, e.getMessage() == null ? e.toString() : e.getMessage(), err);
        } finally {
            out.flush();
        }
        return true;
    }

    private void fail(int code, String message, PrintWriter err) {
        if (failure == 0) {
            failure = code;
        }
        err.println(style.error("error: " + message));
        err.flush();
    }

    /** A command used wrongly: message for the user, exit code 2 in a script. */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    private static void arity(List<byte[]> args, int min, int max, String usage) {
        if (args.size() < min || args.size() > max) {
            throw new Usage("usage: " + usage);
        }
    }

    private static long number(byte[] arg, String what, long min) {
        try {
            long v = Long.parseLong(new String(arg, StandardCharsets.UTF_8));
            if (v < min) {
                throw new Usage(what + " must be at least " + min);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Usage(what + " is not a number: " + Text.show(arg, 40));
        }
    }

    private void help(PrintWriter out) {
        for (String h : HELP) {
            out.println(h);
        }
    }

    private void ls(List<byte[]> args, PrintWriter out) throws IOException {
        arity(args, 0, 1, "ls [PATTERN]");
        backend.keys(db, args.isEmpty() ? null : args.get(0), k -> {
            out.println(Text.arg(k));
            return !interrupted.get();
        });
    }

    private void scan(List<byte[]> args, PrintWriter out) throws IOException {
        arity(args, 1, 2, "scan PATTERN [COUNT]");
        long max = args.size() == 2 ? number(args.get(1), "COUNT", 1) : 100;
        long[] n = {0};
        long[] more = {0};
        backend.keys(db, args.get(0), k -> {
            if (n[0] < max) {
                out.println(Text.arg(k));
                n[0]++;
                return !interrupted.get();
            }
            more[0]++;
            // counting the rest is cheap from an index, a full SCAN on a server: stop there
            return !(backend instanceof RemoteBackend) && !interrupted.get();
        });
        if (more[0] > 0) {
            out.println(style.dim(backend instanceof RemoteBackend ? "-- more --" : "-- more (" + more[0] + ") --"));
        }
    }

    private void get(List<byte[]> args, PrintWriter out) throws IOException {
        boolean all = false;
        List<byte[]> keys = new ArrayList<>();
        for (byte[] a : args) {
            if (Arrays.equals(a, "--all".getBytes(StandardCharsets.US_ASCII))) {
                all = true;
            } else {
                keys.add(a);
            }
        }
        arity(keys, 1, 1, "get KEY [--all]");
        ValueView view = new ValueView(out, style, all ? Long.MAX_VALUE : page, all ? Long.MAX_VALUE : ValueView.STRING_PAGE);
        if (!backend.value(db, keys.get(0), view, all)) {
            out.println(style.dim("(no such key)"));
            return;
        }
        view.finish();
    }

    private void type(List<byte[]> args, PrintWriter out) throws IOException {
        arity(args, 1, 1, "type KEY");
        Backend.KeyMeta m = backend.meta(db, args.get(0));
        out.println(m == null ? "none" : style.type(m.type()));
    }

    private void ttl(List<byte[]> args, PrintWriter out) throws IOException {
        arity(args, 1, 1, "ttl KEY");
        Backend.KeyMeta m = backend.meta(db, args.get(0));
        if (m == null) {
            out.println("-2 " + style.dim("(no such key)"));
        } else if (m.expireAtMs() < 0) {
            out.println("-1 " + style.dim("(no expiry)"));
        } else {
            long left = m.expireAtMs() - System.currentTimeMillis();
            String at = Instant.ofEpochMilli(m.expireAtMs()).toString();
            if (left <= 0) {
                out.println("-2 " + style.dim("(expired at " + at + "; a server drops it when it loads the file)"));
            } else {
                out.println((left + 999) / 1000 + " " + style.dim("(expires at " + at + ")"));
            }
        }
    }

    private void info(List<byte[]> args, PrintWriter out) throws IOException {
        arity(args, 0, 0, "info");
        List<String[]> rows = new ArrayList<>(backend.info());
        rows.add(new String[]{"database", Integer.toString(db)});
        int w = 0;
        for (String[] r : rows) {
            w = Math.max(w, r[0].length());
        }
        for (String[] r : rows) {
            out.println(style.bold(r[0]) + ":" + " ".repeat(w - r[0].length() + 1) + r[1]);
        }
    }

    private void top(List<byte[]> args, PrintWriter out) throws IOException {
        arity(args, 0, 1, "top [N]");
        int n = (int) Math.min(100_000, args.isEmpty() ? 10 : number(args.get(0), "N", 1));
        Comparator<Backend.KeyMeta> bySize = Comparator.comparingLong(Backend.KeyMeta::memory)
                .thenComparing(Backend.KeyMeta::key, (a, b) -> Arrays.compareUnsigned(b, a));
        PriorityQueue<Backend.KeyMeta> heap = new PriorityQueue<>(bySize);
        String note = backend.metas(db, m -> {
            heap.add(m);
            if (heap.size() > n) {
                heap.poll();
            }
            return !interrupted.get();
        });
        List<Backend.KeyMeta> list = new ArrayList<>(heap);
        list.sort(bySize.reversed());
        ValueView view = new ValueView(out, style, Long.MAX_VALUE, Long.MAX_VALUE);
        view.header("#", "memory", "type", "key");
        int i = 1;
        for (Backend.KeyMeta m : list) {
            view.row(Integer.toString(i++), m.memory() < 0 ? "?" : Text.human(m.memory()), m.type(), Text.arg(m.key()));
        }
        if (note != null) {
            view.note(style.dim("(" + note + ")"));
        }
        if (list.isEmpty()) {
            out.println(style.dim("(no keys in db " + db + ")"));
        }
        view.finish();
    }

    private void prefix(List<byte[]> args, PrintWriter out) throws IOException {
        arity(args, 0, 1, "prefix [DEPTH]");
        int depth = (int) Math.min(1000, args.isEmpty() ? 1 : number(args.get(0), "DEPTH", 1));
        Map<String, long[]> groups = new HashMap<>();
        long[] total = {0, 0};
        String note = backend.metas(db, m -> {
            String p = prefixOf(m.key(), depth);
            long[] c = groups.get(p);
            if (c == null) {
                if (groups.size() < MAX_PREFIXES) {
                    c = new long[2];
                    groups.put(p, c);
                } else {
                    c = groups.computeIfAbsent("(other)", x -> new long[2]);
                }
            }
            c[0]++;
            c[1] += Math.max(0, m.memory());
            total[0]++;
            total[1] += Math.max(0, m.memory());
            return !interrupted.get();
        });
        List<Map.Entry<String, long[]>> list = new ArrayList<>(groups.entrySet());
        list.sort((a, b) -> b.getValue()[1] != a.getValue()[1] ? Long.compare(b.getValue()[1], a.getValue()[1])
                : a.getKey().compareTo(b.getKey()));
        ValueView view = new ValueView(out, style, page, Long.MAX_VALUE);
        view.header("prefix", "keys", "memory", "share");
        for (Map.Entry<String, long[]> e : list) {
            long[] c = e.getValue();
            view.row(e.getKey(), Long.toString(c[0]), Text.human(c[1]),
                    total[1] == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * c[1] / total[1]));
        }
        if (note != null) {
            view.note(style.dim("(" + note + ")"));
        }
        if (list.isEmpty()) {
            out.println(style.dim("(no keys in db " + db + ")"));
        }
        view.finish();
    }

    /** The key up to its DEPTH-th ':' (or its last one when it has fewer), then ":*"; keys without ':' as one group. */
    static String prefixOf(byte[] key, int depth) {
        int cut = -1;
        int seen = 0;
        for (int i = 0; i < key.length && seen < depth; i++) {
            if (key[i] == ':') {
                cut = i;
                seen++;
            }
        }
        if (cut < 0) {
            return "(no ':')";
        }
        return Text.show(key, 0, cut, 200) + ":*";
    }

    private void select(List<byte[]> args, PrintWriter out) {
        arity(args, 1, 1, "select DB");
        long d = number(args.get(0), "DB", 0);
        if (d > Integer.MAX_VALUE) {
            throw new Usage("DB out of range");
        }
        db = (int) d;
        out.println("OK");
    }

    /** Keys of the current database starting with {@code prefix} (for completion). */
    List<byte[]> complete(byte[] prefix, int max) throws IOException {
        return backend.complete(db, prefix, max);
    }

    @Override
    public void close() throws IOException {
        backend.close();
    }
}
