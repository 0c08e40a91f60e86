package io.redkit.kv.server;

import io.redkit.core.sink.Glob;
import io.redkit.kv.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CONFIG GET / SET / RESETSTAT / REWRITE for the server's settings, with Redis's parameter names. */
final class ConfigCommand {
    private ConfigCommand() {
    }

    static final List<String> POLICIES = List.of("noeviction", "allkeys-random", "volatile-random", "allkeys-lru",
            "volatile-lru", "allkeys-lfu", "volatile-lfu", "volatile-ttl");

    static Map<String, String> values(ServerConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bind", c.bind);
        m.put("port", Integer.toString(c.port));
        m.put("dir", c.dir.toAbsolutePath().toString());
        m.put("requirepass", c.requirePass == null ? "" : c.requirePass);
        m.put("appendonly", "yes");
        m.put("appendfsync", c.appendFsync);
        m.put("save", "");
        m.put("databases", "16");
        m.put("maxmemory", Long.toString(c.maxMemory));
        m.put("maxmemory-policy", c.maxMemoryPolicy);
        m.put("timeout", Integer.toString(c.timeoutSeconds));
        m.put("maxclients", Integer.toString(c.maxClients));
        m.put("lua-time-limit", Long.toString(c.luaTimeLimitMs));
        m.put("busy-reply-threshold", Long.toString(c.luaTimeLimitMs));
        m.put("proto-max-bulk-len", Long.toString(c.maxBulkLength));
        m.put("client-query-buffer-limit", Long.toString(c.queryBufferLimit));
        m.put("client-output-buffer-limit", "normal " + c.outputBufferLimit + " 0 0 pubsub "
                + c.pubsubOutputBufferLimit + " 0 0");
        return m;
    }

    static Object run(KvServer server, List<byte[]> argv) {
        String sub = Commands.lower(argv.get(1));
        switch (sub) {
            case "get": {
                if (argv.size() < 3) {
                    return Commands.wrongArgs("config|get");
                }
                Map<String, String> all = values(server.config);
                List<Object> out = new ArrayList<>();
                for (int i = 2; i < argv.size(); i++) {
                    Glob g = new Glob(Commands.lower(argv.get(i)).getBytes(StandardCharsets.UTF_8));
                    for (Map.Entry<String, String> e : all.entrySet()) {
                        if (g.matches(e.getKey().getBytes(StandardCharsets.UTF_8)) && !out.contains(e.getKey())) {
                            out.add(e.getKey());
                            out.add(e.getValue());
                        }
                    }
                }
                return new Out.MapR(out);
            }
            case "set": {
                if (argv.size() < 4 || argv.size() % 2 != 0) {
                    return Commands.wrongArgs("config|set");
                }
                for (int i = 2; i < argv.size(); i += 2) {
                    String err = set(server.config, Commands.lower(argv.get(i)), Commands.str(argv.get(i + 1)));
                    if (err != null) {
                        return Reply.error(err);
                    }
                }
                Eviction.configure(server);
                return Reply.OK;
            }
            case "resetstat":
                return Reply.OK;
            case "rewrite":
                return Reply.error("ERR The server is running without a config file");
            default:
                return Reply.error("ERR unknown subcommand '" + Commands.str(argv.get(1)) + "'. Try CONFIG HELP.");
        }
    }

    /** Applies one setting; the error text, or null. */
    static String set(ServerConfig c, String name, String value) {
        String bad = "ERR CONFIG SET failed (possibly related to argument '" + name + "') - ";
        try {
            switch (name) {
                case "requirepass" -> c.requirePass = value.isEmpty() ? null : value;
                case "appendfsync" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!List.of("always", "everysec", "no").contains(v)) {
                        return bad + "argument(s) must be one of the following: always, everysec, no";
                    }
                    if (!v.equals(c.appendFsync)) {
                        // the log's policy is fixed when it opens; restart with --fsync to change it
                        return bad + "can't change the fsync policy at run time (restart with --fsync " + v + ")";
                    }
                }
                case "maxmemory" -> c.maxMemory = parseMemory(value);
                case "maxmemory-policy" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (!POLICIES.contains(v)) {
                        return bad + "argument(s) must be one of the following: " + String.join(", ", POLICIES);
                    }
                    c.maxMemoryPolicy = v;
                }
                case "timeout" -> c.timeoutSeconds = nonNegativeInt(value);
                case "maxclients" -> c.maxClients = nonNegativeInt(value);
                case "lua-time-limit", "busy-reply-threshold" -> c.luaTimeLimitMs = nonNegativeInt(value);
                case "proto-max-bulk-len" -> c.maxBulkLength = parseMemory(value);
                case "client-query-buffer-limit" -> c.queryBufferLimit = parseMemory(value);
                case "client-output-buffer-limit" -> {
                    String[] f = value.trim().split("\\s+");
                    if (f.length % 4 != 0) {
                        return bad + "Wrong number of arguments in buffer limit configuration.";
                    }
                    for (int i = 0; i < f.length; i += 4) {
                        long hard = parseMemory(f[i + 1]);
                        switch (f[i].toLowerCase(Locale.ROOT)) {
                            case "normal" -> c.outputBufferLimit = hard;
                            case "pubsub" -> c.pubsubOutputBufferLimit = hard;
                            case "replica", "slave" -> {
                            }
                            default -> {
                                return bad + "Invalid client class specified in buffer limit configuration.";
                            }
                        }
                    }
                }
                case "port", "bind", "dir", "databases", "appendonly", "save" -> {
                    return bad + "can't set immutable config";
                }
                default -> {
                    return "ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'";
                }
            }
        } catch (NumberFormatException e) {
            return bad + "argument couldn't be parsed into an integer";
        }
        return null;
    }

    private static int nonNegativeInt(String v) {
        int n = Integer.parseInt(v);
        if (n < 0) {
            throw new NumberFormatException(v);
        }
        return n;
    }

    /** A byte count with Redis's units: 1k = 1000, 1kb = 1024, also m/mb and g/gb. */
    static long parseMemory(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"},
                {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        long n = Long.parseLong(s);
        if (n < 0) {
            throw new NumberFormatException(v);
        }
        return Math.multiplyExact(n, mul);
    }
}
