package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.KvSources;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.kv.Reply;
import io.redkit.kv.persist.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code redkit kv scan DIR}: the keys of a database, optionally matching a glob and a type. */
@Command(name = "scan", description = "List the keys of a database (SCAN order), one per line.")
public final class KvScanCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory (kv:DIR or DIR).")
    String dir;

    @Option(names = "--db", paramLabel = "N", defaultValue = "0", description = "Database (default: ${DEFAULT-VALUE}).")
    int db;

    @Option(names = "--match", paramLabel = "GLOB", description = "Only keys matching this Redis glob.")
    String match;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only keys of this type (string, list, hash, set, "
            + "zset, stream).")
    String type;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N keys.")
    long limit = Long.MAX_VALUE;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public KvScanCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        String spec = dir.startsWith(KvSources.PREFIX) ? dir : KvSources.PREFIX + dir;
        try (KvStore s = KvSources.openReadOnly(spec, ctx.err())) {
            String cursor = "0";
            long n = 0;
            do {
                List<byte[]> argv = new ArrayList<>();
                for (String a : new String[] {"SCAN", cursor, "COUNT", "1000"}) {
                    argv.add(a.getBytes(StandardCharsets.US_ASCII));
                }
                if (match != null) {
                    argv.add("MATCH".getBytes(StandardCharsets.US_ASCII));
                    argv.add(match.getBytes(StandardCharsets.UTF_8));
                }
                if (type != null) {
                    argv.add("TYPE".getBytes(StandardCharsets.US_ASCII));
                    argv.add(type.getBytes(StandardCharsets.UTF_8));
                }
                Reply r = s.engine().execute(db, argv);
                if (!(r instanceof Reply.Array a) || a.items().size() != 2) {
                    StringBuilder sb = new StringBuilder();
                    render(r, "", sb);
                    ctx.err().print("redkit: " + sb);
                    return ExitCodes.USAGE;
                }
                cursor = new String(((Reply.Bulk) a.items().get(0)).data(), StandardCharsets.US_ASCII);
                for (Reply k : ((Reply.Array) a.items().get(1)).items()) {
                    if (n++ >= limit) {
                        return ExitCodes.OK;
                    }
                    ctx.out().println(new String(((Reply.Bulk) k).data(), StandardCharsets.UTF_8));
                }
            } while (!cursor.equals("0"));
        }
        return ExitCodes.OK;
    }

    /** A reply as redis-cli prints it: numbered lines for arrays, quoted strings, (integer) and (nil). */
    static void render(Reply r, String indent, StringBuilder sb) {
        switch (r.kind()) {
            case SIMPLE -> sb.append(((Reply.Simple) r).text()).append('\n');
            case ERROR -> sb.append("(error) ").append(((Reply.Error) r).text()).append('\n');
            case INTEGER -> sb.append("(integer) ").append(((Reply.Int) r).value()).append('\n');
            case DOUBLE -> sb.append('"').append(score(((Reply.Dbl) r).value())).append("\"\n");
            case NULL -> sb.append("(nil)\n");
            case BULK -> sb.append(quote(((Reply.Bulk) r).data())).append('\n');
            case ARRAY -> {
                List<Reply> items = ((Reply.Array) r).items();
                if (items.isEmpty()) {
                    sb.append("(empty array)\n");
                }
                for (int i = 0; i < items.size(); i++) {
                    String num = (i + 1) + ") ";
                    if (i > 0) {
                        sb.append(indent);
                    }
                    sb.append(num);
                    render(items.get(i), indent + " ".repeat(num.length()), sb);
                }
            }
            default -> sb.append('\n');
        }
    }

    /** A score as Redis prints it: integral values without a fraction, inf and -inf spelled out. */
    static String score(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static String quote(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }
}
