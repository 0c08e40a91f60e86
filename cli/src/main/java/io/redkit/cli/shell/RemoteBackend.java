package io.redkit.cli.shell;

import io.redkit.core.ErrorKind;
import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import io.redkit.kv.Reply;
import io.redkit.live.net.BlockingRespClient;
import io.redkit.replication.ReplicaUri;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A live server ({@code redis[s]://[[user]:password@]host[:port][/db]}) browsed by commands: SCAN for keys, TYPE,
 * PTTL and MEMORY USAGE for metadata, ranges and HSCAN/SSCAN for values. {@code top} and {@code prefix} walk
 * the keyspace with SCAN, up to {@link #MAX_KEYS} keys.
 */
final class RemoteBackend implements Backend {
    /** Keys visited by {@code top}/{@code prefix} before they stop and say so. */
    static final long MAX_KEYS = 1_000_000;
    /** SCAN calls made for one completion, so that TAB answers quickly on a big keyspace. */
    static final int COMPLETE_SCANS = 50;
    /** Bounds on replies: values are fetched in slices, so a bulk over 64 MB or an array over 16M is not expected. */
    static final Limits REPLY_LIMITS = Limits.builder().maxStringBytes(64 << 20).maxElements(1 << 24).build();

    private final BlockingRespClient conn;
    private final String name;
    private final CommandValues values;
    private int selected;

    private RemoteBackend(BlockingRespClient conn) {
        this.conn = conn;
        this.name = conn.name();
        this.values = new CommandValues(this::exec, true, name);
    }

    /** True for a source this backend opens. */
    static boolean handles(String source) {
        return source.startsWith("redis://") || source.startsWith("rediss://");
    }

    /** Connects (and authenticates) to the server of {@code uri}. */
    static RemoteBackend open(String uri, RemoteSettings s) throws IOException {
        ReplicaUri u = parse(uri);
        javax.net.ssl.SSLSocketFactory tls = null;
        if (u.tls()) {
            tls = s.tls() != null ? s.tls() : (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault();
        }
        // the address's own password wins: the setting only fills in a missing one
        String password = u.password() != null ? u.password() : s.password();
        BlockingRespClient c = BlockingRespClient.connect(u.host(), u.port(), s.connectTimeoutMs(), s.readTimeoutMs(),
                tls, REPLY_LIMITS).auth(u.user(), password);
        RemoteBackend b = new RemoteBackend(c);
        try {
            Reply pong = b.call(CommandValues.argv("PING"));
            if (pong instanceof Reply.Error e) {
                throw new IOException(b.name + ": " + e.text());
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return b;
    }

    /** The database named by the URI path ({@code /3}), or 0. */
    static int uriDb(String uri) {
        return Math.max(0, parse(uri).db());
    }

    private static ReplicaUri parse(String uri) {
        try {
            return ReplicaUri.parse(uri);
        } catch (IllegalArgumentException e) {
            // the message names the bad part; the URI itself is not repeated, it may hold a password
            throw new IllegalArgumentException("bad URI: " + e.getMessage(), e);
        }
    }

    private Reply exec(int db, List<byte[]> argv) throws IOException {
        select(db);
        return call(argv);
    }

    /** Sends one command and reads its reply. */
    private Reply call(List<byte[]> argv) throws IOException {
        conn.send(argv.toArray(new byte[0][]));
        conn.flush();
        return toShell(conn.read());
    }

    /** Sends several commands at once and reads their replies in order. */
    private List<Reply> pipeline(List<List<byte[]>> commands) throws IOException {
        for (List<byte[]> c : commands) {
            conn.send(c.toArray(new byte[0][]));
        }
        conn.flush();
        List<Reply> replies = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            replies.add(toShell(conn.read()));
        }
        return replies;
    }

    /** The same reply in the engine's model, which the shell's views display. */
    static Reply toShell(io.redkit.live.net.Reply r) {
        return switch (r.type()) {
            case STATUS -> new Reply.Simple(r.text());
            case ERROR -> Reply.error(r.text());
            case INTEGER -> Reply.integer(r.asLong());
            case BULK -> Reply.bulk(r.bytes());
            case NULL -> Reply.NULL;
            case ARRAY -> {
                List<Reply> items = new ArrayList<>(r.items().size());
                for (io.redkit.live.net.Reply i : r.items()) {
                    items.add(toShell(i));
                }
                yield new Reply.Array(items);
            }
        };
    }

    private void select(int db) throws IOException {
        if (db != selected) {
            Reply r = call(CommandValues.argv("SELECT", db));
            if (r instanceof Reply.Error e) {
                throw new RedkitException(ErrorKind.UNSUPPORTED, name, -1, "SELECT " + db, e.text());
            }
            selected = db;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String[]> info() throws IOException {
        List<String[]> out = new ArrayList<>();
        out.add(new String[]{"source", "redis://" + name});
        String server = CommandValues.text(call(CommandValues.argv("INFO", "server")));
        String version = field(server, "redis_version");
        out.add(new String[]{"server", "Redis-compatible server " + (version == null ? "?" : version)});
        String mem = CommandValues.text(call(CommandValues.argv("INFO", "memory")));
        String used = field(mem, "used_memory");
        if (used != null) {
            out.add(new String[]{"used memory", Text.human(Long.parseLong(used)) + " (" + used + " bytes)"});
        }
        String ks = CommandValues.text(call(CommandValues.argv("INFO", "keyspace")));
        for (String line : ks.split("\r?\n")) {
            if (line.startsWith("db")) {
                int colon = line.indexOf(':');
                out.add(new String[]{line.substring(0, colon), line.substring(colon + 1)});
            }
        }
        return out;
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Override
    public KeyMeta meta(int db, byte[] key) throws IOException {
        select(db);
        List<KeyMeta> m = metas(db, List.of(key));
        return m.isEmpty() ? null : m.get(0);
    }

    /** TYPE, PTTL and MEMORY USAGE of keys in one round trip; missing keys are left out. */
    private List<KeyMeta> metas(int db, List<byte[]> keys) throws IOException {
        List<List<byte[]>> cmds = new ArrayList<>(keys.size() * 3);
        for (byte[] k : keys) {
            cmds.add(CommandValues.argv("TYPE", k));
            cmds.add(CommandValues.argv("PTTL", k));
            cmds.add(CommandValues.argv("MEMORY", "USAGE", k));
        }
        List<Reply> r = pipeline(cmds);
        long now = System.currentTimeMillis();
        List<KeyMeta> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String type = CommandValues.text(r.get(3 * i));
            if (type.equals("none")) {
                continue;
            }
            long pttl = r.get(3 * i + 1) instanceof Reply.Int p ? p.value() : -1;
            long mem = r.get(3 * i + 2) instanceof Reply.Int m ? m.value() : -1;
            out.add(new KeyMeta(db, keys.get(i), type, pttl >= 0 ? now + pttl : -1, mem));
        }
        return out;
    }

    @Override
    public void keys(int db, byte[] pattern, KeyVisitor v) throws IOException {
        select(db);
        String cursor = "0";
        do {
            List<Reply> r = scan(cursor, pattern);
            cursor = CommandValues.text(r.get(0));
            for (Reply k : CommandValues.items(r.get(1))) {
                if (!v.visit(CommandValues.bytes(k))) {
                    return;
                }
            }
        } while (!cursor.equals("0"));
    }

    private List<Reply> scan(String cursor, byte[] pattern) throws IOException {
        Reply reply = pattern == null
                ? call(CommandValues.argv("SCAN", cursor, "COUNT", CommandValues.BATCH))
                : call(CommandValues.argv("SCAN", cursor, "MATCH", pattern, "COUNT", CommandValues.BATCH));
        if (reply instanceof Reply.Error e) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, name, -1, "SCAN", e.text());
        }
        List<Reply> r = CommandValues.items(reply);
        if (r.size() != 2) {
            throw new RedkitException(ErrorKind.BAD_FORMAT, name, -1, "SCAN", "reply of " + r.size() + " items");
        }
        return r;
    }

    @Override
    public String metas(int db, MetaVisitor v) throws IOException {
        select(db);
        String cursor = "0";
        long seen = 0;
        do {
            List<Reply> r = scan(cursor, null);
            cursor = CommandValues.text(r.get(0));
            List<byte[]> keys = new ArrayList<>();
            for (Reply k : CommandValues.items(r.get(1))) {
                keys.add(CommandValues.bytes(k));
            }
            for (KeyMeta m : metas(db, keys)) {
                if (!v.visit(m)) {
                    return null;
                }
            }
            seen += keys.size();
            if (seen >= MAX_KEYS && !cursor.equals("0")) {
                return "only the first " + seen + " keys SCAN returned were looked at";
            }
        } while (!cursor.equals("0"));
        return null;
    }

    @Override
    public boolean value(int db, byte[] key, ValueView view, boolean all) throws IOException {
        return values.value(db, key, view, all);
    }

    @Override
    public List<byte[]> complete(int db, byte[] prefix, int max) throws IOException {
        select(db);
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        for (byte b : prefix) {
            if (b == '*' || b == '?' || b == '[' || b == ']' || b == '\\') {
                p.write('\\');
            }
            p.write(b);
        }
        p.write('*');
        byte[] pattern = p.toByteArray();
        List<byte[]> out = new ArrayList<>();
        String cursor = "0";
        int scans = 0;
        do {
            List<Reply> r = scan(cursor, pattern);
            cursor = CommandValues.text(r.get(0));
            for (Reply k : CommandValues.items(r.get(1))) {
                if (out.size() < max) {
                    out.add(CommandValues.bytes(k));
                }
            }
        } while (!cursor.equals("0") && out.size() < max && ++scans < COMPLETE_SCANS);
        out.sort(java.util.Arrays::compareUnsigned);
        return out;
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
