package io.redkit.kv.server;

import io.redkit.kv.KvEngine;
import io.redkit.kv.Reply;
import io.redkit.kv.ScriptRunner;

import java.util.List;
import java.util.Locale;

/**
 * Replays EVAL, EVALSHA and SCRIPT commands from an AOF or a replication stream (Redis before 5.0 logged scripts,
 * not their effects) with the server's Lua interpreter, on a server that is never started: no socket, no
 * persistence, the default user. Offered to {@link io.redkit.kv.KvLoader} through {@link ScriptRunner.Factory}.
 */
public final class LuaScriptRunner implements ScriptRunner {
    private final KvServer server;
    private final ClientHandler client;

    private LuaScriptRunner(KvEngine engine) {
        server = new KvServer(new ServerConfig(), engine, null, null);
        server.acl = Acl.defaults(server.table);
        // a client without a channel: scripts only read its database and user
        client = new ClientHandler(server, null);
    }

    @Override
    public Reply run(int db, List<byte[]> argv) {
        String name = new String(argv.get(0), java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        client.db = db;
        Object r;
        if (name.equals("script")) {
            r = argv.size() < 2 ? Reply.error("ERR wrong number of arguments for 'script' command")
                    : server.scripts.scriptCommand(argv);
        } else if (argv.size() < 3) {
            r = Reply.error("ERR wrong number of arguments for '" + name + "' command");
        } else {
            r = server.scripts.eval(client, argv, name.equals("evalsha"), false);
        }
        return r instanceof Reply.Error e ? e : Reply.OK;
    }

    /** The factory {@link java.util.ServiceLoader} finds. */
    public static final class Factory implements ScriptRunner.Factory {
        @Override
        public ScriptRunner create(KvEngine engine) {
            return new LuaScriptRunner(engine);
        }
    }
}
