package io.redkit.cli.shell;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.formats.Scores;
import io.redkit.kv.Reply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads values by Redis commands, from the KV engine or a live server, in bounded batches: only what the view
 * shows is fetched (LRANGE/ZRANGE/XRANGE ranges, HSCAN/SSCAN where the server has them), the rest is counted.
 */
final class CommandValues {
    /** Runs one command in a database. */
    @FunctionalInterface
    interface Exec {
        Reply call(int db, List<byte[]> argv) throws IOException;
    }

    /** Elements fetched per command. */
    static final int BATCH = 1000;

    private final Exec exec;
    private final boolean scanCommands;
    private final String source;

    /**
     * @param scanCommands use HSCAN/SSCAN (a server) instead of HGETALL/SMEMBERS (the in-process engine, which
     *                     answers from memory anyway)
     */
    CommandValues(Exec exec, boolean scanCommands, String source) {
        this.exec = exec;
        this.scanCommands = scanCommands;
        this.source = source;
    }

    static List<byte[]> argv(Object... parts) {
        List<byte[]> a = new ArrayList<>(parts.length);
        for (Object p : parts) {
            a.add(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return a;
    }

    Reply call(int db, Object... parts) throws IOException {
        Reply r = exec.call(db, argv(parts));
        if (r instanceof Reply.Error e) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, source, -1, "command " + parts[0], e.text());
        }
        return r;
    }

    /** The TYPE of a key ({@code none} when missing). */
    String type(int db, byte[] key) throws IOException {
        Reply r = call(db, "TYPE", key);
        return r instanceof Reply.Simple s ? s.text() : text(r);
    }

    /** Writes the key's value into the view; false when there is no such key. */
    boolean value(int db, byte[] key, ValueView view, boolean all) throws IOException {
        String type = type(db, key);
        switch (type) {
            case "none" -> {
                return false;
            }
            case "string" -> string(db, key, view, all);
            case "list" -> {
                view.header("#", "value");
                long n = integer(call(db, "LLEN", key));
                long at = 0;
                while (at < n && view.wants()) {
                    List<Reply> items = items(call(db, "LRANGE", key, at, at + BATCH - 1));
                    if (items.isEmpty()) {
                        break;
                    }
                    for (Reply r : items) {
                        view.row(Long.toString(at++), cell(view, r));
                    }
                }
                view.skip(Math.max(0, n - view.rowCount()));
            }
            case "zset" -> {
                view.header("score", "member");
                long n = integer(call(db, "ZCARD", key));
                long at = 0;
                while (at < n && view.wants()) {
                    List<Reply> items = items(call(db, "ZRANGE", key, at, at + BATCH - 1, "WITHSCORES"));
                    if (items.isEmpty()) {
                        break;
                    }
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        view.row(score(items.get(i + 1)), cell(view, items.get(i)));
                        at++;
                    }
                }
                view.skip(Math.max(0, n - view.rowCount()));
            }
            case "hash" -> {
                view.header("field", "value");
                long n = integer(call(db, "HLEN", key));
                pairs(db, key, view, scanCommands ? "HSCAN" : null, "HGETALL", 2);
                view.skip(Math.max(0, n - view.rowCount()));
            }
            case "set" -> {
                view.header("member");
                long n = integer(call(db, "SCARD", key));
                pairs(db, key, view, scanCommands ? "SSCAN" : null, "SMEMBERS", 1);
                view.skip(Math.max(0, n - view.rowCount()));
            }
            case "stream" -> stream(db, key, view);
            default -> view.note("a value of type " + type + " (not shown)");
        }
        return true;
    }

    private void string(int db, byte[] key, ValueView view, boolean all) throws IOException {
        long len = integer(call(db, "STRLEN", key));
        if (all) {
            // a long string comes in slices, so no reply is larger than a slice
            for (long at = 0; at < len; at += 1 << 20) {
                view.string(bytes(call(db, "GETRANGE", key, at, Math.min(len, at + (1 << 20)) - 1)));
            }
            if (len == 0) {
                view.string(new byte[0]);
            }
            return;
        }
        byte[] head = len == 0 ? new byte[0] : bytes(call(db, "GETRANGE", key, 0, Math.min(len, ValueView.STRING_PAGE) - 1));
        view.string(head);
        view.moreString(len - head.length);
    }

    private void pairs(int db, byte[] key, ValueView view, String scan, String whole, int width) throws IOException {
        if (scan == null) {
            // the engine answers in its table's order: sort by field (member) bytes for a stable screen
            List<Reply> items = items(call(db, whole, key));
            List<Integer> starts = new ArrayList<>();
            for (int i = 0; i + width - 1 < items.size(); i += width) {
                starts.add(i);
            }
            starts.sort((a, b) -> java.util.Arrays.compareUnsigned(bytes(items.get(a)), bytes(items.get(b))));
            for (int i : starts) {
                if (!view.wants()) {
                    break;
                }
                row(view, items, i, width);
            }
            return;
        }
        String cursor = "0";
        do {
            List<Reply> r = items(call(db, scan, key, cursor, "COUNT", BATCH));
            if (r.size() != 2) {
                throw new RedkitException(ErrorKind.BAD_FORMAT, source, -1, scan, "reply of " + r.size() + " items (expected 2)");
            }
            cursor = text(r.get(0));
            List<Reply> items = items(r.get(1));
            for (int i = 0; i + width - 1 < items.size() && view.wants(); i += width) {
                row(view, items, i, width);
            }
        } while (!cursor.equals("0") && view.wants());
    }

    private static void row(ValueView view, List<Reply> items, int i, int width) {
        if (width == 2) {
            view.row(cell(view, items.get(i)), cell(view, items.get(i + 1)));
        } else {
            view.row(cell(view, items.get(i)));
        }
    }

    private void stream(int db, byte[] key, ValueView view) throws IOException {
        view.header("id", "fields");
        long n = integer(call(db, "XLEN", key));
        String start = "-";
        long seen = 0;
        while (seen < n && view.wants()) {
            List<Reply> entries = items(call(db, "XRANGE", key, start, "+", "COUNT", BATCH));
            if (entries.isEmpty()) {
                break;
            }
            for (Reply e : entries) {
                List<Reply> pair = items(e);
                String id = text(pair.get(0));
                List<Reply> fv = items(pair.get(1));
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i + 1 < fv.size(); i += 2) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(Text.arg(bytes(fv.get(i)))).append('=').append(Text.arg(bytes(fv.get(i + 1))));
                }
                view.row(id, sb.toString());
                start = "(" + id;
                seen++;
            }
        }
        view.skip(Math.max(0, n - view.rowCount()));
    }

    private static String cell(ValueView view, Reply r) {
        return r instanceof Reply.Bulk b ? Text.show(b.data(), view.cellLimit()) : text(r);
    }

    private static String score(Reply r) {
        if (r instanceof Reply.Dbl d) {
            return Scores.redisText(d.value());
        }
        return text(r);
    }

    static long integer(Reply r) throws IOException {
        if (r instanceof Reply.Int i) {
            return i.value();
        }
        if (r instanceof Reply.Null) {
            return -1;
        }
        throw new IOException("expected an integer reply, got " + r.kind());
    }

    static byte[] bytes(Reply r) {
        if (r instanceof Reply.Bulk b) {
            return b.data();
        }
        return text(r).getBytes(StandardCharsets.UTF_8);
    }

    static List<Reply> items(Reply r) throws IOException {
        if (r instanceof Reply.Array a) {
            return a.items();
        }
        if (r instanceof Reply.Null) {
            return List.of();
        }
        throw new IOException("expected an array reply, got " + r.kind());
    }

    static String text(Reply r) {
        return switch (r.kind()) {
            case SIMPLE -> ((Reply.Simple) r).text();
            case ERROR -> ((Reply.Error) r).text();
            case INTEGER -> Long.toString(((Reply.Int) r).value());
            case BULK -> new String(((Reply.Bulk) r).data(), StandardCharsets.UTF_8);
            case DOUBLE -> Scores.redisText(((Reply.Dbl) r).value());
            case NULL -> "(nil)";
            case ARRAY -> ((Reply.Array) r).items().toString();
        };
    }
}
