package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.KvSources;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.kv.KvEngine;
import io.redkit.kv.Reply;
import io.redkit.kv.persist.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code redkit kv get DIR KEY}: one key's type, TTL and value, printed like redis-cli does. */
@Command(name = "get", description = "Print one key's type, TTL and value (as redis-cli prints replies).")
public final class KvGetCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory (kv:DIR or DIR).")
    String dir;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key (UTF-8).")
    String key;

    @Option(names = "--db", paramLabel = "N", defaultValue = "0", description = "Database (default: ${DEFAULT-VALUE}).")
    int db;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public KvGetCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        String spec = dir.startsWith(KvSources.PREFIX) ? dir : KvSources.PREFIX + dir;
        try (KvStore s = KvSources.openReadOnly(spec, ctx.err())) {
            KvEngine e = s.engine();
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            Reply t = run(e, "TYPE", k);
            String type = t instanceof Reply.Simple st ? st.text() : "none";
            if (type.equals("none")) {
                ctx.err().println("redkit: no key '" + key + "' in db " + db);
                return ExitCodes.DATA;
            }
            Reply ttl = run(e, "PTTL", k);
            ctx.out().println("type: " + type + "  ttl: "
                    + (ttl instanceof Reply.Int i && i.value() >= 0 ? i.value() + " ms" : "none"));
            Reply v = switch (type) {
                case "string" -> run(e, "GET", k);
                case "list" -> run(e, "LRANGE", k, "0", "-1");
                case "hash" -> run(e, "HGETALL", k);
                case "set" -> run(e, "SMEMBERS", k);
                case "zset" -> run(e, "ZRANGE", k, "0", "-1", "WITHSCORES");
                case "stream" -> run(e, "XRANGE", k, "-", "+");
                default -> Reply.error("unknown type " + type);
            };
            StringBuilder sb = new StringBuilder();
            KvScanCommand.render(v, "", sb);
            ctx.out().print(sb);
        }
        return ExitCodes.OK;
    }

    private Reply run(KvEngine e, String cmd, byte[] k, String... rest) {
        List<byte[]> argv = new java.util.ArrayList<>();
        argv.add(cmd.getBytes(StandardCharsets.US_ASCII));
        argv.add(k);
        for (String r : rest) {
            argv.add(r.getBytes(StandardCharsets.US_ASCII));
        }
        return e.execute(db, argv);
    }
}
