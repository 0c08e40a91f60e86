package io.redkit.kv.server;

import io.redkit.core.sink.Glob;
import io.redkit.kv.KvEngine;
import io.redkit.kv.Reply;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Lock;

/**
 * The server's side of command execution for one client: authentication and pub/sub context checks, arity, MULTI
 * queueing, the connection/server/transaction/blocking/pub-sub commands, and the call into the engine for data
 * commands. Runs on the client's event loop.
 */
final class Commands {
    static final Reply QUEUED = new Reply.Simple("QUEUED");
    static final Reply NOAUTH = Reply.error("NOAUTH Authentication required.");
    static final Reply OOM = Reply.error("OOM command not allowed when used memory > 'maxmemory'.");
    private static final byte[] LPOP = ascii("LPOP");
    private static final byte[] RPOP = ascii("RPOP");
    private static final byte[] LPUSH = ascii("LPUSH");
    private static final byte[] RPUSH = ascii("RPUSH");
    private static final byte[] TYPE = ascii("TYPE");

    private final KvServer server;
    private final ClientHandler c;

    Commands(KvServer server, ClientHandler c) {
        this.server = server;
        this.c = c;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String lower(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    static Reply wrongArgs(String name) {
        return Reply.error("ERR wrong number of arguments for '" + name + "' command");
    }

    /** Runs one command; {@code inExec} while EXEC runs the queue (the global lock is then held exclusively). */
    Object dispatch(List<byte[]> argv, boolean inExec) {
        CommandTable.Cmd cmd = server.table.lookup(argv.get(0));
        String name = cmd == null ? null : cmd.name();
        c.lastCommand = name == null ? "unknown" : name;
        if (!c.state.authenticated && !"auth".equals(name) && !"hello".equals(name) && !"quit".equals(name)
                && !"reset".equals(name)) {
            c.flagMultiError();
            return NOAUTH;
        }
        if (c.proto == 2 && (!c.channels.isEmpty() || !c.patterns.isEmpty()) && !subscribeContextAllowed(name)) {
            return Reply.error("ERR Can't execute '" + (name == null ? lower(argv.get(0)) : name)
                    + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
        }
        if (cmd == null) {
            // not a command of the server's table: the engine gives Redis's unknown-command text
            c.flagMultiError();
            return server.engine.execute(c.db, argv);
        }
        int argc = argv.size();
        if ((cmd.arity() > 0 && argc != cmd.arity()) || (cmd.arity() < 0 && argc < -cmd.arity())) {
            c.flagMultiError();
            return wrongArgs(name);
        }
        if (!c.state.user.unrestricted && !noAuthCommand(name)) {
            Reply denied = server.acl.check(c.state.user, cmd, argv);
            if (denied != null) {
                c.flagMultiError();
                if (name.equals("exec") && !inExec) {
                    // Redis words any refused EXEC this way, in a transaction or not
                    c.discardMulti();
                    c.unwatchAll();
                    return Reply.error("EXECABORT Transaction discarded because of: "
                            + ((Reply.Error) denied).text());
                }
                return denied;
            }
        }
        if (c.inMulti() && !inExec) {
            switch (name) {
                case "multi":
                    return Reply.error("ERR MULTI calls can not be nested");
                case "watch":
                    return Reply.error("ERR WATCH inside MULTI is not allowed");
                case "exec", "discard", "quit", "reset":
                    break;
                default:
                    c.queue(argv);
                    return QUEUED;
            }
        }
        server.commands.increment();
        // writes are logged without waiting here: the client's batch of replies waits once, before it is sent
        if (cmd.server()) {
            return serverCommand(cmd, argv, inExec);
        }
        Reply r = engineCall(cmd, argv);
        if (!inExec && r instanceof Reply.Null && name.equals("xreadgroup")) {
            Object blocked = blockReadGroup(argv);
            if (blocked != null) {
                return blocked;
            }
        }
        return resp3Shape(cmd, argv, r);
    }

    /**
     * XREADGROUP BLOCK ms with nothing ready for a {@code >} ID: the client waits on the keys and the command is
     * retried whole after each write to them (NOACK and COUNT included); null when it does not block.
     */
    private Object blockReadGroup(List<byte[]> argv) {
        long block = -1;
        int streams = -1;
        for (int i = 1; i < argv.size() - 1; i++) {
            String o = lower(argv.get(i));
            if (o.equals("streams")) {
                streams = i + 1;
                break;
            }
            if (o.equals("block")) {
                try {
                    block = Long.parseLong(str(argv.get(i + 1)));
                } catch (NumberFormatException e) {
                    return null;
                }
                i++;
            } else if (o.equals("group")) {
                i += 2;
            } else if (o.equals("count")) {
                i++;
            }
        }
        if (block < 0 || streams < 0) {
            return null;
        }
        int n = (argv.size() - streams) / 2;
        boolean waitsForNew = false;
        List<DbKey> keys = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            byte[] id = argv.get(streams + n + k);
            waitsForNew |= id.length == 1 && id[0] == '>';
            keys.add(new DbKey(c.db, argv.get(streams + k)));
        }
        if (!waitsForNew) {
            return null;
        }
        c.block(new ClientHandler.Blocked(argv, keys, c.db), block / 1000.0);
        return Out.NONE;
    }

    /**
     * RESP3 clients get Redis 7.0's shapes: maps (HGETALL, XINFO, XREADGROUP), sets (SMEMBERS, SINTER, SUNION,
     * SDIFF, SPOP with a count) and member-score pairs as nested arrays (WITHSCORES, ZPOPMIN/ZPOPMAX with a
     * count); RESP2 keeps the engine's flat arrays.
     */
    private Object resp3Shape(CommandTable.Cmd cmd, List<byte[]> argv, Reply r) {
        if (c.proto != 3 || !(r instanceof Reply.Array a)) {
            return r;
        }
        switch (cmd.name()) {
            case "hgetall":
                return new Out.MapR(new ArrayList<>(a.items()));
            case "smembers", "sinter", "sunion", "sdiff":
                return new Out.SetR(new ArrayList<>(a.items()));
            case "spop":
                return argv.size() > 2 ? new Out.SetR(new ArrayList<>(a.items())) : r;
            case "zpopmin", "zpopmax":
                return argv.size() > 2 ? pairs(a) : r;
            case "zrange", "zrangebyscore", "zrevrangebyscore", "zrevrange", "zunion", "zinter", "zdiff",
                    "zrandmember":
                return hasWord(argv, "withscores") ? pairs(a) : r;
            case "hrandfield":
                return hasWord(argv, "withvalues") ? pairs(a) : r;
            case "xinfo":
                return xinfoShape(argv, a);
            case "xreadgroup":
                return streamsMap(a);
            default:
                return r;
        }
    }

    private static boolean hasWord(List<byte[]> argv, String w) {
        for (int i = 2; i < argv.size(); i++) {
            if (argv.get(i).length == w.length() && lower(argv.get(i)).equals(w)) {
                return true;
            }
        }
        return false;
    }

    /** A flat member, score, member, score... array as [[member, score], ...]. */
    private static Object pairs(Reply.Array a) {
        List<Object> out = new ArrayList<>(a.items().size() / 2);
        for (int i = 0; i + 1 < a.items().size(); i += 2) {
            out.add(new Reply.Array(List.of(a.items().get(i), a.items().get(i + 1))));
        }
        return new Out.Arr(out);
    }

    /** XREADGROUP's [[key, entries], ...] as a map key -> entries, as XREAD in RESP3. */
    private static Object streamsMap(Reply.Array a) {
        List<Object> out = new ArrayList<>();
        for (Reply e : a.items()) {
            if (!(e instanceof Reply.Array kv) || kv.items().size() != 2) {
                return a;
            }
            out.add(kv.items().get(0));
            out.add(kv.items().get(1));
        }
        return new Out.MapR(out);
    }

    /** XINFO GROUPS/CONSUMERS: each entry a map; XINFO STREAM: the reply a map (FULL: its groups too). */
    private static Object xinfoShape(List<byte[]> argv, Reply.Array a) {
        String sub = lower(argv.get(1));
        if (sub.equals("groups") || sub.equals("consumers")) {
            List<Object> out = new ArrayList<>();
            for (Reply e : a.items()) {
                out.add(e instanceof Reply.Array m ? new Out.MapR(new ArrayList<>(m.items())) : e);
            }
            return new Out.Arr(out);
        }
        if (sub.equals("stream")) {
            return streamInfoMap(a);
        }
        return a;
    }

    /** XINFO STREAM [FULL]: a map; in FULL, "groups" holds maps whose "consumers" hold maps. */
    private static Object streamInfoMap(Reply.Array a) {
        List<Object> out = new ArrayList<>();
        List<Reply> items = a.items();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            Reply k = items.get(i);
            Reply v = items.get(i + 1);
            out.add(k);
            boolean nested = k instanceof Reply.Bulk b && (Commands.str(b.data()).equals("groups")
                    || Commands.str(b.data()).equals("consumers"));
            if (nested && v instanceof Reply.Array list) {
                List<Object> maps = new ArrayList<>();
                for (Reply e : list.items()) {
                    maps.add(e instanceof Reply.Array m ? streamInfoMap(m) : e);
                }
                out.add(new Out.Arr(maps));
            } else {
                out.add(v);
            }
        }
        return new Out.MapR(out);
    }

    /** Commands a client may send before it authenticates, which ACL rules do not restrict either. */
    private static boolean noAuthCommand(String name) {
        return switch (name) {
            case "auth", "hello", "quit", "reset" -> true;
            default -> false;
        };
    }

    private static boolean subscribeContextAllowed(String name) {
        return name != null && switch (name) {
            case "subscribe", "psubscribe", "unsubscribe", "punsubscribe", "ping", "quit", "reset" -> true;
            default -> false;
        };
    }

    /** A data command through the engine, under the shared side of the global lock. */
    Reply engineCall(CommandTable.Cmd cmd, List<byte[]> argv) {
        if (cmd.denyOom() && server.config.maxMemory > 0 && !Eviction.evict(server)) {
            return OOM;
        }
        if (cmd.name().equals("ping") && (!c.channels.isEmpty() || !c.patterns.isEmpty()) && c.proto == 2) {
            return new Reply.Array(List.of(Reply.bulk(ascii("pong")),
                    Reply.bulk(argv.size() > 1 ? argv.get(1) : new byte[0])));
        }
        Lock l = server.global.readLock();
        l.lock();
        try {
            Reply r = server.engine.executeDeferred(c.db, argv);
            // an XREADGROUP that found nothing wrote nothing: waking blocked readers would make them spin
            if (cmd.write() && !(r instanceof Reply.Null && cmd.name().equals("xreadgroup"))) {
                server.afterWrite(c.db, cmd, argv);
            }
            return r;
        } finally {
            l.unlock();
        }
    }

    private Object serverCommand(CommandTable.Cmd cmd, List<byte[]> argv, boolean inExec) {
        switch (cmd.name()) {
            case "auth":
                return auth(argv);
            case "hello":
                return hello(argv);
            case "select":
                return select(argv);
            case "quit":
                c.closeAfterReplies();
                return Reply.OK;
            case "reset":
                return reset();
            case "client":
                return ClientCommand.run(server, c, argv);
            case "acl":
                return acl(argv);
            case "multi":
                c.startMulti();
                return Reply.OK;
            case "exec":
                return exec();
            case "discard":
                if (!c.inMulti()) {
                    return Reply.error("ERR DISCARD without MULTI");
                }
                c.discardMulti();
                c.unwatchAll();
                return Reply.OK;
            case "watch":
                for (int i = 1; i < argv.size(); i++) {
                    c.watch(new DbKey(c.db, argv.get(i)));
                }
                return Reply.OK;
            case "unwatch":
                c.unwatchAll();
                return Reply.OK;
            case "blpop", "brpop":
                return blockingPop(argv, inExec);
            case "blmove", "brpoplpush":
                return blockingMove(argv, inExec);
            case "xread":
                return xread(argv, inExec);
            case "lmove":
                return move(c.db, argv.get(1), argv.get(2), argv.get(3), argv.get(4));
            case "rpoplpush":
                return move(c.db, argv.get(1), argv.get(2), ascii("RIGHT"), ascii("LEFT"));
            case "subscribe", "psubscribe":
                return subscribe(argv, cmd.name().equals("psubscribe"));
            case "unsubscribe", "punsubscribe":
                return unsubscribe(argv, cmd.name().equals("punsubscribe"));
            case "publish":
                return Reply.integer(server.pubsub.publish(argv.get(1), argv.get(2)));
            case "pubsub":
                return pubsub(argv);
            case "info":
                return new Out.Verbatim(Info.text(server, argv));
            case "time": {
                long us = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                return new Reply.Array(List.of(Reply.bulk(ascii(Long.toString(us / 1_000_000))),
                        Reply.bulk(ascii(Long.toString(us % 1_000_000)))));
            }
            case "config":
                return ConfigCommand.run(server, argv);
            case "command":
                return commandCommand(argv);
            case "save":
                try {
                    server.persistence.save();
                    return Reply.OK;
                } catch (IOException | RuntimeException e) {
                    return Reply.error("ERR save failed: " + e.getMessage());
                }
            case "bgsave":
                Thread t = new Thread(() -> {
                    try {
                        server.persistence.save();
                    } catch (IOException | RuntimeException e) {
                        // reported through INFO persistence (last save status)
                    }
                }, "kv-bgsave");
                t.setDaemon(true);
                t.start();
                return new Reply.Simple("Background saving started");
            case "bgrewriteaof":
                try {
                    return server.persistence.rewrite()
                            ? new Reply.Simple("Background append only file rewriting started")
                            : Reply.error("ERR no append only log to rewrite (persistence is snapshot-only)");
                } catch (IOException | RuntimeException e) {
                    return Reply.error("ERR rewrite failed: " + e.getMessage());
                }
            case "lastsave":
                return Reply.integer(server.persistence.lastSave());
            case "shutdown":
                return shutdown(argv);
            case "eval", "evalsha", "eval_ro", "evalsha_ro":
                return server.scripts.eval(c, argv, cmd.name().startsWith("evalsha"), cmd.name().endsWith("_ro"));
            case "script":
                return server.scripts.scriptCommand(argv);
            case "swapdb":
                return Reply.error("ERR SWAPDB is not supported by redkit kv serve");
            default:
                return Reply.error("ERR unknown command '" + cmd.name() + "'");
        }
    }

    private Object auth(List<byte[]> argv) {
        if (argv.size() > 3) {
            return Reply.SYNTAX;
        }
        if (argv.size() == 2 && server.acl.defaultHasNoPassword(server.config.requirePass)) {
            return Reply.error("ERR AUTH <password> called without any password configured for the default "
                    + "user. Are you sure your configuration is correct?");
        }
        String user = argv.size() == 3 ? str(argv.get(1)) : "default";
        return login(user, argv.get(argv.size() - 1)) ? Reply.OK : WRONGPASS;
    }

    static final Reply WRONGPASS = Reply.error("WRONGPASS invalid username-password pair or user is disabled.");

    /** Switches the connection to the user when the password is right. */
    private boolean login(String user, byte[] password) {
        Acl.User u = server.acl.authenticate(user, password, server.config.requirePass);
        if (u == null) {
            return false;
        }
        c.state.user = u;
        c.state.authenticated = true;
        return true;
    }

    private Object acl(List<byte[]> argv) {
        String sub = lower(argv.get(1));
        int n = argv.size();
        switch (sub) {
            case "whoami":
                return n != 2 ? wrongArgs("acl|whoami") : Reply.bulk(c.state.user.name.getBytes(StandardCharsets.UTF_8));
            case "list":
            case "users": {
                if (n != 2) {
                    return wrongArgs("acl|" + sub);
                }
                List<Object> out = new ArrayList<>();
                for (String line : sub.equals("list") ? server.acl.describe() : server.acl.userNames()) {
                    out.add(line.getBytes(StandardCharsets.UTF_8));
                }
                return new Out.Arr(out);
            }
            case "cat": {
                if (n > 3) {
                    return wrongArgs("acl|cat");
                }
                List<String> names = n == 2 ? Acl.CATEGORIES : server.acl.commandsOf(str(argv.get(2)));
                if (names == null) {
                    return Reply.error("ERR Unknown category '" + str(argv.get(2)) + "'");
                }
                List<Object> out = new ArrayList<>();
                for (String s : names) {
                    out.add(s.getBytes(StandardCharsets.UTF_8));
                }
                return new Out.Arr(out);
            }
            case "setuser", "deluser", "getuser", "load", "save", "log", "dryrun", "genpass":
                return Reply.error("ERR ACL " + sub.toUpperCase(Locale.ROOT) + " is not supported by redkit kv serve"
                        + " (users come from the ACL file)");
            default:
                return Reply.error("ERR unknown subcommand '" + str(argv.get(1)) + "'. Try ACL HELP.");
        }
    }

    private Object hello(List<byte[]> argv) {
        int i = 1;
        int proto = c.proto;
        if (argv.size() > 1) {
            long v;
            try {
                v = Long.parseLong(str(argv.get(1)));
            } catch (NumberFormatException e) {
                return Reply.error("ERR Protocol version is not an integer or out of range");
            }
            if (v != 2 && v != 3) {
                return Reply.error("NOPROTO unsupported protocol version");
            }
            proto = (int) v;
            i = 2;
        }
        String setName = null;
        for (; i < argv.size(); i++) {
            String opt = lower(argv.get(i));
            if (opt.equals("auth") && i + 2 < argv.size()) {
                if (!login(str(argv.get(i + 1)), argv.get(i + 2))) {
                    return WRONGPASS;
                }
                i += 2;
            } else if (opt.equals("setname") && i + 1 < argv.size()) {
                setName = str(argv.get(i + 1));
                if (!ClientCommand.validName(setName)) {
                    return Reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
                }
                i++;
            } else {
                return Reply.error("ERR Syntax error in HELLO option '" + str(argv.get(i)) + "'");
            }
        }
        if (!c.state.authenticated) {
            return Reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
        }
        if (setName != null) {
            c.name = setName;
        }
        c.proto = proto;
        return new Out.MapR(List.of("server", "redis", "version", Info.VERSION, "proto", (long) proto, "id", c.id,
                "mode", "standalone", "role", "master", "modules", new Out.Arr(List.of())));
    }

    private Object select(List<byte[]> argv) {
        long n;
        try {
            n = Long.parseLong(str(argv.get(1)));
        } catch (NumberFormatException e) {
            return Reply.NOT_INTEGER;
        }
        if (n < 0 || n >= KvEngine.DATABASES) {
            return Reply.error("ERR DB index is out of range");
        }
        c.db = (int) n;
        return Reply.OK;
    }

    private Object reset() {
        c.discardMulti();
        c.unwatchAll();
        unsubscribe(List.of(ascii("unsubscribe")), false);
        unsubscribe(List.of(ascii("punsubscribe")), true);
        c.db = 0;
        c.proto = 2;
        c.name = "";
        c.state.authenticated = server.acl.defaultNeedsNoAuth(server.config.requirePass);
        c.state.user = server.acl.defaultUserNow();
        return new Reply.Simple("RESET");
    }

    private Object exec() {
        if (!c.inMulti()) {
            return Reply.error("ERR EXEC without MULTI");
        }
        if (c.multiError()) {
            c.discardMulti();
            c.unwatchAll();
            return Reply.error("EXECABORT Transaction discarded because of previous errors.");
        }
        List<List<byte[]>> q = c.takeMulti();
        List<Object> results = new ArrayList<>(q.size());
        Lock l = server.global.writeLock();
        l.lock();
        try {
            if (c.watchDirty) {
                c.unwatchAll();
                return Reply.NULL_ARRAY;
            }
            c.unwatchAll();
            // the transaction's writes reach the log as one MULTI ... EXEC block
            server.engine.beginGroup();
            try {
                for (List<byte[]> argv : q) {
                    Object r = dispatch(argv, true);
                    results.add(r == Out.NONE ? Reply.NULL : r);
                }
            } finally {
                server.engine.endGroup();
            }
        } finally {
            l.unlock();
        }
        return new Out.Arr(results);
    }

    // ---- blocking list commands

    private static double parseTimeout(byte[] b) {
        double t;
        try {
            t = Double.parseDouble(str(b));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
        return t;
    }

    private static Reply timeoutError(double t) {
        if (Double.isNaN(t) || Double.isInfinite(t)) {
            return Reply.error("ERR timeout is not a float or out of range");
        }
        if (t < 0) {
            return Reply.error("ERR timeout is negative");
        }
        return null;
    }

    private Object blockingPop(List<byte[]> argv, boolean noBlock) {
        double t = parseTimeout(argv.get(argv.size() - 1));
        Reply err = timeoutError(t);
        if (err != null) {
            return err;
        }
        Object r = tryPop(c.db, argv);
        if (r != Out.NONE) {
            return r;
        }
        if (noBlock) {
            return Reply.NULL_ARRAY;
        }
        List<DbKey> keys = new ArrayList<>();
        for (int i = 1; i < argv.size() - 1; i++) {
            keys.add(new DbKey(c.db, argv.get(i)));
        }
        c.block(new ClientHandler.Blocked(argv, keys, c.db), t);
        return Out.NONE;
    }

    /** One attempt of BLPOP/BRPOP over its keys in order: the reply, or NONE when every list is empty. */
    private Object tryPop(int db, List<byte[]> argv) {
        boolean left = lower(argv.get(0)).equals("blpop");
        CommandTable.Cmd pop = server.table.get(left ? "lpop" : "rpop");
        Lock l = server.global.readLock();
        l.lock();
        try {
            for (int i = 1; i < argv.size() - 1; i++) {
                byte[] key = argv.get(i);
                List<byte[]> call = List.of(left ? LPOP : RPOP, key);
                Reply r = server.engine.executeDeferred(db, call);
                if (r instanceof Reply.Error) {
                    return r;
                }
                if (r instanceof Reply.Bulk) {
                    server.afterWrite(db, pop, call);
                    return new Reply.Array(List.of(Reply.bulk(key), r));
                }
            }
        } finally {
            l.unlock();
        }
        return Out.NONE;
    }

    private Object blockingMove(List<byte[]> argv, boolean noBlock) {
        boolean blmove = lower(argv.get(0)).equals("blmove");
        byte[] from = blmove ? argv.get(3) : ascii("RIGHT");
        byte[] to = blmove ? argv.get(4) : ascii("LEFT");
        double t = parseTimeout(argv.get(argv.size() - 1));
        Reply err = timeoutError(t);
        if (err != null) {
            return err;
        }
        Reply r = move(c.db, argv.get(1), argv.get(2), from, to);
        if (!(r instanceof Reply.Null)) {
            return r;
        }
        if (noBlock) {
            return Reply.NULL;
        }
        c.block(new ClientHandler.Blocked(argv, List.of(new DbKey(c.db, argv.get(1))), c.db), t);
        return Out.NONE;
    }

    // ---- XREAD (over the engine's XRANGE with exclusive starts)

    private static final byte[] XRANGE = ascii("XRANGE");
    private static final byte[] COUNT = ascii("COUNT");
    private static final byte[] MINUS = ascii("-");
    private static final byte[] PLUS = ascii("+");

    private Object xread(List<byte[]> argv, boolean noBlock) {
        long count = -1;
        long block = -1;
        int i = 1;
        boolean streams = false;
        while (i < argv.size()) {
            String o = lower(argv.get(i));
            if (o.equals("streams")) {
                streams = true;
                i++;
                break;
            }
            if (i + 1 >= argv.size() || !(o.equals("count") || o.equals("block"))) {
                return Reply.SYNTAX;
            }
            long v;
            try {
                v = Long.parseLong(str(argv.get(i + 1)));
            } catch (NumberFormatException e) {
                return o.equals("block") ? Reply.error("ERR timeout is not an integer or out of range")
                        : Reply.NOT_INTEGER;
            }
            if (o.equals("count")) {
                count = v <= 0 ? -1 : v;
            } else {
                if (v < 0) {
                    return Reply.error("ERR timeout is negative");
                }
                block = v;
            }
            i += 2;
        }
        int rest = argv.size() - i;
        if (!streams || rest == 0 || rest % 2 != 0) {
            return streams ? Reply.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$'"
                    + " must be specified.") : Reply.SYNTAX;
        }
        int n = rest / 2;
        List<byte[]> keys = argv.subList(i, i + n);
        List<byte[]> ids = new ArrayList<>(argv.subList(i + n, argv.size()));
        for (int k = 0; k < n; k++) {
            if (ids.get(k).length == 1 && ids.get(k)[0] == '$') {
                Object last = lastId(c.db, keys.get(k));
                if (last instanceof Reply.Error) {
                    return last;
                }
                ids.set(k, (byte[]) last);
            }
        }
        Object r = tryXread(c.db, keys, ids, count);
        if (r != Out.NONE || block < 0 || noBlock) {
            return r == Out.NONE ? Reply.NULL_ARRAY : r;
        }
        // the retry reads from the IDs resolved now ("$" means entries added after this call)
        List<byte[]> retry = new ArrayList<>();
        retry.add(ascii("XREAD"));
        retry.add(COUNT);
        retry.add(ascii(Long.toString(count)));
        retry.add(ascii("STREAMS"));
        retry.addAll(keys);
        retry.addAll(ids);
        List<DbKey> wait = new ArrayList<>();
        for (byte[] k : keys) {
            wait.add(new DbKey(c.db, k));
        }
        c.block(new ClientHandler.Blocked(retry, wait, c.db), block / 1000.0);
        return Out.NONE;
    }

    /** The last entry ID of the stream ("0-0" when there is none), or WRONGTYPE. */
    private Object lastId(int db, byte[] key) {
        Reply r = server.engine.execute(db, List.of(XRANGE, key, MINUS, PLUS));
        if (r instanceof Reply.Error) {
            return r;
        }
        if (r instanceof Reply.Array a && !a.items().isEmpty()
                && a.items().get(a.items().size() - 1) instanceof Reply.Array e && e.items().get(0) instanceof Reply.Bulk id) {
            return id.data();
        }
        return ascii("0-0");
    }

    private Object tryXread(int db, List<byte[]> keys, List<byte[]> ids, long count) {
        List<Object> out = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            byte[] id = ids.get(k);
            byte[] from = new byte[id.length + 1];
            from[0] = '(';
            System.arraycopy(id, 0, from, 1, id.length);
            List<byte[]> call = count > 0 ? List.of(XRANGE, keys.get(k), from, PLUS, COUNT,
                    ascii(Long.toString(count))) : List.of(XRANGE, keys.get(k), from, PLUS);
            Reply r = server.engine.execute(db, call);
            if (r instanceof Reply.Error) {
                return r;
            }
            if (r instanceof Reply.Array a && !a.items().isEmpty()) {
                out.add(keys.get(k));
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            return Out.NONE;
        }
        if (c.proto == 3) {
            return new Out.MapR(out);
        }
        List<Object> pairs = new ArrayList<>();
        for (int k = 0; k < out.size(); k += 2) {
            pairs.add(new Out.Arr(List.of(out.get(k), out.get(k + 1))));
        }
        return new Out.Arr(pairs);
    }

    /** Retries a blocked command: its reply, or NONE to keep waiting. */
    Object retryBlocked(ClientHandler.Blocked b) {
        String n = lower(b.argv.get(0));
        if (n.equals("xreadgroup")) {
            CommandTable.Cmd cmd = server.table.get("xreadgroup");
            int saved = c.db;
            c.db = b.db;
            try {
                Reply r = engineCall(cmd, b.argv);
                return r instanceof Reply.Null ? Out.NONE : resp3Shape(cmd, b.argv, r);
            } finally {
                c.db = saved;
            }
        }
        if (n.equals("xread")) {
            int nk = (b.argv.size() - 4) / 2;
            return tryXread(b.db, b.argv.subList(4, 4 + nk), b.argv.subList(4 + nk, b.argv.size()),
                    Long.parseLong(str(b.argv.get(2))));
        }
        if (n.equals("blpop") || n.equals("brpop")) {
            return tryPop(b.db, b.argv);
        }
        boolean blmove = n.equals("blmove");
        Reply r = move(b.db, b.argv.get(1), b.argv.get(2), blmove ? b.argv.get(3) : ascii("RIGHT"),
                blmove ? b.argv.get(4) : ascii("LEFT"));
        return r instanceof Reply.Null ? Out.NONE : r;
    }

    /** LMOVE: atomic under the exclusive global lock; null when the source is empty. */
    Reply move(int db, byte[] src, byte[] dst, byte[] from, byte[] to) {
        String f = lower(from);
        String t = lower(to);
        if (!(f.equals("left") || f.equals("right")) || !(t.equals("left") || t.equals("right"))) {
            return Reply.SYNTAX;
        }
        Lock l = server.global.writeLock();
        l.lock();
        try {
            KvEngine e = server.engine;
            Reply ts = e.execute(db, List.of(TYPE, src));
            if (ts instanceof Reply.Simple s && s.text().equals("none")) {
                return Reply.NULL;
            }
            if (!(ts instanceof Reply.Simple s2 && s2.text().equals("list"))) {
                return Reply.WRONGTYPE;
            }
            Reply td = e.execute(db, List.of(TYPE, dst));
            if (!(td instanceof Reply.Simple d && (d.text().equals("none") || d.text().equals("list")))) {
                return Reply.WRONGTYPE;
            }
            List<byte[]> popCall = List.of(f.equals("left") ? LPOP : RPOP, src);
            Reply v = e.executeDeferred(db, popCall);
            if (!(v instanceof Reply.Bulk b)) {
                return Reply.NULL;
            }
            List<byte[]> pushCall = List.of(t.equals("left") ? LPUSH : RPUSH, dst, b.data());
            e.executeDeferred(db, pushCall);
            server.afterWrite(db, server.table.get("lpop"), popCall);
            server.afterWrite(db, server.table.get("lpush"), pushCall);
            return v;
        } finally {
            l.unlock();
        }
    }

    // ---- pub/sub

    private long subCount() {
        return c.channels.size() + c.patterns.size();
    }

    private Object subscribe(List<byte[]> argv, boolean pattern) {
        if (c.inMulti()) {
            return Reply.error("ERR " + (pattern ? "PSUBSCRIBE" : "SUBSCRIBE") + " isn't allowed for a DENY BLOCKING"
                    + " client");
        }
        List<Object> replies = new ArrayList<>();
        byte[] kind = ascii(pattern ? "psubscribe" : "subscribe");
        for (int i = 1; i < argv.size(); i++) {
            byte[] ch = argv.get(i);
            if ((pattern ? c.patterns : c.channels).add(ByteBuffer.wrap(ch))) {
                if (pattern) {
                    server.pubsub.psubscribe(c, ch);
                } else {
                    server.pubsub.subscribe(c, ch);
                }
            }
            replies.add(new Out.Push(List.of(kind, ch, subCount())));
        }
        return new Out.Many(replies);
    }

    private Object unsubscribe(List<byte[]> argv, boolean pattern) {
        java.util.Set<ByteBuffer> set = pattern ? c.patterns : c.channels;
        List<byte[]> names = new ArrayList<>();
        if (argv.size() == 1) {
            for (ByteBuffer b : set) {
                names.add(ClientHandler.bytes(b));
            }
        } else {
            names.addAll(argv.subList(1, argv.size()));
        }
        byte[] kind = ascii(pattern ? "punsubscribe" : "unsubscribe");
        List<Object> replies = new ArrayList<>();
        for (byte[] n : names) {
            if (set.remove(ByteBuffer.wrap(n))) {
                if (pattern) {
                    server.pubsub.punsubscribe(c, n);
                } else {
                    server.pubsub.unsubscribe(c, n);
                }
            }
            replies.add(new Out.Push(List.of(kind, n, subCount())));
        }
        if (replies.isEmpty()) {
            List<Object> none = new ArrayList<>();
            none.add(kind);
            none.add(null);
            none.add(subCount());
            replies.add(new Out.Push(none));
        }
        return new Out.Many(replies);
    }

    private Object pubsub(List<byte[]> argv) {
        String sub = lower(argv.get(1));
        switch (sub) {
            case "channels": {
                Glob g = argv.size() > 2 ? new Glob(argv.get(2)) : null;
                return new Out.Arr(new ArrayList<>(server.pubsub.activeChannels(g)));
            }
            case "numsub": {
                List<Object> out = new ArrayList<>();
                for (int i = 2; i < argv.size(); i++) {
                    out.add(argv.get(i));
                    out.add(server.pubsub.subscribers(argv.get(i)));
                }
                return new Out.Arr(out);
            }
            case "numpat":
                return Reply.integer(server.pubsub.patternCount());
            default:
                return Reply.error("ERR unknown subcommand '" + str(argv.get(1)) + "'. Try PUBSUB HELP.");
        }
    }

    // ---- COMMAND

    private Object commandCommand(List<byte[]> argv) {
        if (argv.size() == 1) {
            List<Object> all = new ArrayList<>();
            for (CommandTable.Cmd cmd : server.table.all()) {
                all.add(CommandTable.info(cmd));
            }
            return new Out.Arr(all);
        }
        String sub = lower(argv.get(1));
        switch (sub) {
            case "count":
                return Reply.integer(server.table.all().size());
            case "info": {
                List<Object> out = new ArrayList<>();
                for (int i = 2; i < argv.size(); i++) {
                    CommandTable.Cmd cmd = server.table.lookup(argv.get(i));
                    out.add(cmd == null ? null : CommandTable.info(cmd));
                }
                return new Out.Arr(out);
            }
            case "docs": {
                List<Object> out = new ArrayList<>();
                if (argv.size() == 2) {
                    for (CommandTable.Cmd cmd : server.table.all()) {
                        out.add(cmd.name());
                        out.add(CommandTable.docs(cmd));
                    }
                } else {
                    for (int i = 2; i < argv.size(); i++) {
                        CommandTable.Cmd cmd = server.table.lookup(argv.get(i));
                        if (cmd != null) {
                            out.add(cmd.name());
                            out.add(CommandTable.docs(cmd));
                        }
                    }
                }
                return new Out.MapR(out);
            }
            case "list": {
                List<Object> out = new ArrayList<>();
                for (CommandTable.Cmd cmd : server.table.all()) {
                    out.add(cmd.name());
                }
                return new Out.Arr(out);
            }
            case "getkeys": {
                if (argv.size() < 3) {
                    return wrongArgs("command|getkeys");
                }
                CommandTable.Cmd cmd = server.table.lookup(argv.get(2));
                if (cmd == null) {
                    return Reply.error("ERR Invalid command specified");
                }
                List<byte[]> call = argv.subList(2, argv.size());
                List<byte[]> keys = cmd.keys(call);
                if (keys.isEmpty()) {
                    return Reply.error("ERR The command has no key arguments");
                }
                return new Out.Arr(new ArrayList<>(keys));
            }
            default:
                return Reply.error("ERR unknown subcommand '" + str(argv.get(1)) + "'. Try COMMAND HELP.");
        }
    }

    private Object shutdown(List<byte[]> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String o = lower(argv.get(i));
            if (o.equals("abort")) {
                return Reply.error("ERR No shutdown in progress.");
            }
            if (!(o.equals("nosave") || o.equals("save") || o.equals("now") || o.equals("force"))) {
                return Reply.SYNTAX;
            }
        }
        c.flush();
        server.shutdownFromClient();
        return Out.NONE;
    }
}
