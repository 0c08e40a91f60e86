package io.redkit.kv.server;

import io.redkit.kv.Reply;
import io.redkit.kv.UndoLog;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.Lock;

/**
 * EVAL / EVALSHA / SCRIPT with a Lua 5.2 interpreter (LuaJ) and Redis's {@code redis.*} API. A script runs under
 * the exclusive side of the global lock, so other clients see its writes all at once; before each write the keys
 * it names are saved in an {@link UndoLog}, and a script that fails has every write undone. One interpreter (its
 * globals shared by all scripts, as in Redis) is used only under that lock.
 */
final class Scripts {
    private final KvServer server;
    private final Globals lua;
    private final Map<String, LuaValue> cache = new HashMap<>();
    private final UndoLog undo;
    private final Watchdog watchdog = new Watchdog();
    private ClientHandler caller;
    private int scriptDb;
    private boolean readOnly;

    Scripts(KvServer server) {
        this.server = server;
        this.undo = new UndoLog(server.engine);
        lua = new Globals();
        lua.load(new JseBaseLib());
        lua.load(new PackageLib());
        lua.load(new Bit32Lib());
        lua.load(new TableLib());
        lua.load(new StringLib());
        lua.load(new JseMathLib());
        // the watchdog's instruction hook stops a runaway script; the debug library itself stays hidden
        lua.load(watchdog);
        lua.set("debug", LuaValue.NIL);
        lua.get("package").get("loaded").set("debug", LuaValue.NIL);
        LoadState.install(lua);
        LuaC.install(lua);
        // no file or process access from scripts
        for (String g : new String[] {"dofile", "loadfile", "require", "module", "print"}) {
            lua.set(g, LuaValue.NIL);
        }
        LuaTable redis = new LuaTable();
        redis.set("call", new CallFn(false));
        redis.set("pcall", new CallFn(true));
        redis.set("error_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return status("err", a.checkstring(1));
            }
        });
        redis.set("status_reply", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return status("ok", a.checkstring(1));
            }
        });
        redis.set("sha1hex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaString s = a.checkstring(1);
                byte[] b = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
                return LuaValue.valueOf(sha1(b));
            }
        });
        VarArgFunction noop = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.NIL;
            }
        };
        redis.set("log", noop);
        redis.set("setresp", noop);
        redis.set("set_repl", noop);
        redis.set("replicate_commands", LuaValue.TRUE);
        redis.set("LOG_DEBUG", 0);
        redis.set("LOG_VERBOSE", 1);
        redis.set("LOG_NOTICE", 2);
        redis.set("LOG_WARNING", 3);
        lua.set("redis", redis);
    }

    private static LuaTable status(String field, LuaValue text) {
        LuaTable t = new LuaTable();
        t.set(field, text);
        return t;
    }

    static String sha1(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(b);
            StringBuilder sb = new StringBuilder(40);
            for (byte x : d) {
                sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** EVAL / EVALSHA (and their _RO forms, which refuse writes). */
    Object eval(ClientHandler c, List<byte[]> argv, boolean bySha, boolean ro) {
        long numkeys;
        try {
            numkeys = Long.parseLong(Commands.str(argv.get(2)));
        } catch (NumberFormatException e) {
            return Reply.NOT_INTEGER;
        }
        if (numkeys > argv.size() - 3) {
            return Reply.error("ERR Number of keys can't be greater than number of args");
        }
        if (numkeys < 0) {
            return Reply.error("ERR Number of keys can't be negative");
        }
        Lock l = server.global.writeLock();
        l.lock();
        try {
            String sha;
            LuaValue fn;
            if (bySha) {
                sha = Commands.str(argv.get(1)).toLowerCase(Locale.ROOT);
                fn = cache.get(sha);
                if (fn == null) {
                    return Reply.error("NOSCRIPT No matching script. Please use EVAL.");
                }
            } else {
                sha = sha1(argv.get(1));
                fn = cache.get(sha);
                if (fn == null) {
                    Object r = compile(argv.get(1), sha);
                    if (r instanceof Reply) {
                        return r;
                    }
                    fn = (LuaValue) r;
                }
            }
            LuaTable keys = new LuaTable();
            LuaTable args = new LuaTable();
            for (int i = 0; i < numkeys; i++) {
                keys.set(i + 1, LuaString.valueOf(argv.get(3 + i)));
            }
            for (int i = 3 + (int) numkeys; i < argv.size(); i++) {
                args.set(i - 2 - (int) numkeys, LuaString.valueOf(argv.get(i)));
            }
            lua.set("KEYS", keys);
            lua.set("ARGV", args);
            caller = c;
            scriptDb = c.db;
            readOnly = ro;
            undo.clear();
            long limit = server.config.luaTimeLimitMs;
            watchdog.deadline = limit > 0 ? System.nanoTime() + limit * 1_000_000L : Long.MAX_VALUE;
            // the script's writes (and an undo's) reach the log as one MULTI ... EXEC block
            server.engine.beginGroup();
            try {
                Object reply = toReply(fn.call());
                // a script that returns an error reply did not fail: its writes stay, as in Redis
                undo.clear();
                return reply;
            } catch (ScriptTimeout e) {
                undo.rollback();
                server.engine.discardGroupChanges();
                return Reply.error("ERR Script killed after running longer than lua-time-limit (" + limit
                        + " ms); its writes were undone script: " + sha + ", on @user_script.");
            } catch (LuaError e) {
                undo.rollback();
                server.engine.discardGroupChanges();
                return scriptError(e, sha);
            } catch (RuntimeException | StackOverflowError e) {
                undo.rollback();
                server.engine.discardGroupChanges();
                return Reply.error("ERR Error running script (call to f_" + sha + "): " + e);
            } finally {
                caller = null;
                watchdog.deadline = Long.MAX_VALUE;
                server.engine.endGroup();
            }
        } finally {
            l.unlock();
        }
    }

    private static Reply scriptError(LuaError e, String sha) {
        LuaValue m = e.getMessageObject();
        if (m != null && m.istable() && m.get("err").isstring()) {
            String err = m.get("err").tojstring();
            return Reply.error(err + " script: " + sha + ", on @user_script.");
        }
        String msg = e.getMessage();
        return Reply.error("ERR " + (msg == null ? "script error" : msg) + " script: " + sha
                + ", on @user_script.");
    }

    private Object compile(byte[] body, String sha) {
        try {
            LuaValue fn = lua.load(new ByteArrayInputStream(body), "@user_script", "t", lua);
            cache.put(sha, fn);
            return fn;
        } catch (LuaError e) {
            return Reply.error("ERR Error compiling script (new function): " + e.getMessage());
        }
    }

    /** SCRIPT LOAD / EXISTS / FLUSH / KILL. */
    Object scriptCommand(List<byte[]> argv) {
        String sub = Commands.lower(argv.get(1));
        Lock l = server.global.writeLock();
        l.lock();
        try {
            switch (sub) {
                case "load": {
                    if (argv.size() != 3) {
                        return Commands.wrongArgs("script|load");
                    }
                    String sha = sha1(argv.get(2));
                    if (!cache.containsKey(sha)) {
                        Object r = compile(argv.get(2), sha);
                        if (r instanceof Reply) {
                            return r;
                        }
                    }
                    return Reply.bulk(sha.getBytes(StandardCharsets.US_ASCII));
                }
                case "exists": {
                    if (argv.size() < 3) {
                        return Commands.wrongArgs("script|exists");
                    }
                    List<Reply> out = new ArrayList<>();
                    for (int i = 2; i < argv.size(); i++) {
                        out.add(Reply.integer(cache.containsKey(Commands.lower(argv.get(i))) ? 1 : 0));
                    }
                    return new Reply.Array(out);
                }
                case "flush": {
                    if (argv.size() > 3 || (argv.size() == 3 && !List.of("async", "sync")
                            .contains(Commands.lower(argv.get(2))))) {
                        return Reply.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                    }
                    cache.clear();
                    return Reply.OK;
                }
                case "kill":
                    return Reply.error("NOTBUSY No scripts in execution right now.");
                default:
                    return Reply.error("ERR unknown subcommand '" + Commands.str(argv.get(1))
                            + "'. Try SCRIPT HELP.");
            }
        } finally {
            l.unlock();
        }
    }

    /** {@code redis.call} / {@code redis.pcall}: a command from the script, its writes saved for undo first. */
    private final class CallFn extends VarArgFunction {
        private final boolean protectedCall;

        CallFn(boolean protectedCall) {
            this.protectedCall = protectedCall;
        }

        @Override
        public Varargs invoke(Varargs a) {
            int n = a.narg();
            if (n == 0) {
                return fail("ERR Please specify at least one argument for this redis lib call");
            }
            List<byte[]> argv = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                LuaValue v = a.arg(i);
                if (v.type() == LuaValue.TNUMBER) {
                    double d = v.todouble();
                    argv.add((d == Math.rint(d) && Math.abs(d) < 1e17 ? Long.toString((long) d)
                            : RespWriter.formatDouble(d)).getBytes(StandardCharsets.US_ASCII));
                } else if (v.type() == LuaValue.TSTRING) {
                    LuaString s = v.checkstring();
                    byte[] b = new byte[s.m_length];
                    System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
                    argv.add(b);
                } else {
                    return fail("ERR Lua redis lib command arguments must be strings or integers");
                }
            }
            Object r = run(argv);
            if (r instanceof Reply.Error e && !protectedCall) {
                throw new LuaError(status("err", LuaValue.valueOf(e.text())));
            }
            return toLua(r);
        }

        private Varargs fail(String text) {
            if (protectedCall) {
                return status("err", LuaValue.valueOf(text));
            }
            throw new LuaError(status("err", LuaValue.valueOf(text)));
        }
    }

    /** Runs a command for the script (the exclusive lock is held). */
    private Object run(List<byte[]> argv) {
        CommandTable.Cmd cmd = server.table.lookup(argv.get(0));
        if (cmd == null) {
            return Reply.error("ERR Unknown Redis command called from script");
        }
        int argc = argv.size();
        if ((cmd.arity() > 0 && argc != cmd.arity()) || (cmd.arity() < 0 && argc < -cmd.arity())) {
            return Reply.error("ERR Wrong number of args calling Redis command from script");
        }
        if (cmd.noScript()) {
            return Reply.error("ERR This Redis command is not allowed from script");
        }
        if (cmd.write() && readOnly) {
            return Reply.error("ERR Write commands are not allowed from read-only scripts.");
        }
        if (caller != null && !caller.state.user.unrestricted) {
            Reply denied = server.acl.check(caller.state.user, cmd, argv);
            if (denied != null) {
                // a script's caller is held to its ACL rules, in Redis 7.0's words for scripts
                String t = ((Reply.Error) denied).text();
                return Reply.error("ERR The user executing the script " + (t.contains("keys")
                        ? "can't access at least one of the keys mentioned in the command arguments"
                        : t.contains("channels") ? "can't publish to the channel mentioned in the command"
                        : "can't run this command or subcommand"));
            }
        }
        server.commands.increment();
        if (cmd.write()) {
            List<byte[]> keys = cmd.keys(argv);
            if (keys.isEmpty()) {
                return Reply.error("ERR " + cmd.name().toUpperCase(Locale.ROOT)
                        + " is not allowed from scripts in redkit (its writes could not be undone)");
            }
            if (cmd.denyOom() && server.config.maxMemory > 0 && server.usedMemory > server.config.maxMemory
                    && !Eviction.evict(server)) {
                return Commands.OOM;
            }
            for (byte[] k : keys) {
                undo.save(scriptDb, k);
            }
        }
        if (!cmd.server()) {
            Reply r = server.engine.executeDeferred(scriptDb, argv);
            if (cmd.write()) {
                server.afterWrite(scriptDb, cmd, argv);
            }
            return r;
        }
        switch (cmd.name()) {
            case "select": {
                try {
                    long db = Long.parseLong(Commands.str(argv.get(1)));
                    if (db < 0 || db >= 16) {
                        return Reply.error("ERR DB index is out of range");
                    }
                    scriptDb = (int) db;
                    return Reply.OK;
                } catch (NumberFormatException e) {
                    return Reply.NOT_INTEGER;
                }
            }
            case "publish":
                return Reply.integer(server.pubsub.publish(argv.get(1), argv.get(2)));
            case "lmove":
            case "rpoplpush":
            case "blmove":
            case "brpoplpush":
            case "blpop":
            case "brpop": {
                ClientHandler c = caller;
                int saved = c.db;
                c.db = scriptDb;
                try {
                    // the caller's command path, non-blocking (as inside MULTI)
                    return new Commands(server, c).dispatch(argv, true);
                } finally {
                    c.db = saved;
                }
            }
            case "time", "info", "command", "dbsize":
                return new Commands(server, caller).dispatch(argv, true);
            default:
                return Reply.error("ERR This Redis command is not allowed from script");
        }
    }

    private static LuaValue toLua(Object r) {
        if (r instanceof Reply rep) {
            switch (rep.kind()) {
                case SIMPLE:
                    return status("ok", LuaValue.valueOf(((Reply.Simple) rep).text()));
                case ERROR:
                    return status("err", LuaValue.valueOf(((Reply.Error) rep).text()));
                case INTEGER:
                    return LuaValue.valueOf((double) ((Reply.Int) rep).value());
                case BULK:
                    return LuaString.valueOf(((Reply.Bulk) rep).data());
                case NULL:
                    return LuaValue.FALSE;
                case DOUBLE:
                    return LuaValue.valueOf(RespWriter.formatDouble(((Reply.Dbl) rep).value()));
                case ARRAY: {
                    LuaTable t = new LuaTable();
                    int i = 1;
                    for (Reply item : ((Reply.Array) rep).items()) {
                        t.set(i++, toLua(item));
                    }
                    return t;
                }
                default:
                    return LuaValue.NIL;
            }
        }
        if (r instanceof Out.Arr a) {
            LuaTable t = new LuaTable();
            int i = 1;
            for (Object item : a.items()) {
                t.set(i++, toLua(item));
            }
            return t;
        }
        if (r instanceof Out.MapR m) {
            return toLua(new Out.Arr(m.pairs()));
        }
        if (r instanceof Out.SetR set) {
            return toLua(new Out.Arr(set.items()));
        }
        if (r instanceof Out.Verbatim v) {
            return LuaValue.valueOf(v.text());
        }
        if (r instanceof byte[] b) {
            return LuaString.valueOf(b);
        }
        if (r instanceof String s) {
            return LuaValue.valueOf(s);
        }
        if (r instanceof Long l) {
            return LuaValue.valueOf((double) l);
        }
        return LuaValue.FALSE;
    }

    private static Object toReply(LuaValue v) {
        switch (v.type()) {
            case LuaValue.TNUMBER:
                return Reply.integer((long) v.todouble());
            case LuaValue.TSTRING: {
                LuaString s = v.checkstring();
                byte[] b = new byte[s.m_length];
                System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
                return Reply.bulk(b);
            }
            case LuaValue.TBOOLEAN:
                return v.toboolean() ? Reply.integer(1) : Reply.NULL;
            case LuaValue.TTABLE: {
                LuaValue err = v.get("err");
                if (err.isstring()) {
                    return Reply.error(err.tojstring());
                }
                LuaValue ok = v.get("ok");
                if (ok.isstring()) {
                    return new Reply.Simple(ok.tojstring());
                }
                List<Object> items = new ArrayList<>();
                for (int i = 1; ; i++) {
                    LuaValue e = v.get(i);
                    if (e.isnil()) {
                        break;
                    }
                    items.add(toReply(e));
                }
                return new Out.Arr(items);
            }
            default:
                return Reply.NULL;
        }
    }

    /** Thrown by the watchdog; an Error, so a script's pcall cannot catch it. */
    static final class ScriptTimeout extends Error {
        private static final long serialVersionUID = 1L;

        ScriptTimeout() {
            super("script time limit", null, false, false);
        }
    }

    /** Checks the deadline every 4096 Lua instructions. */
    private static final class Watchdog extends DebugLib {
        volatile long deadline = Long.MAX_VALUE;
        private int count;

        @Override
        public void onInstruction(int pc, Varargs v, int top) {
            if ((++count & 0xFFF) == 0 && System.nanoTime() > deadline) {
                throw new ScriptTimeout();
            }
        }
    }
}
