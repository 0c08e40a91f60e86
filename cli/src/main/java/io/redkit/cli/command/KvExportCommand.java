package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.KvSources;
import io.redkit.cli.io.OutputTarget;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.OutputMixin;
import io.redkit.core.Slots;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.Sink;
import io.redkit.formats.OutputFormat;
import io.redkit.formats.SinkOptions;
import io.redkit.kv.persist.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code redkit kv export DIR --slots A-B -f rdb|resp}: the keys whose Redis Cluster slot is in a range, e.g. to
 * load one node of a cluster.
 */
@Command(name = "export", description = "Write the keys whose Redis Cluster slot (CRC16 of the key or its hash "
        + "tag, mod 16384) is in A-B, as an RDB file or as RESP commands (for redis-cli --pipe).")
public final class KvExportCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory (kv:DIR or DIR).")
    String dir;

    @Option(names = "--slots", required = true, paramLabel = "A-B", description = "Slot range, inclusive (0-16383).")
    String slots;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "rdb",
            description = "rdb or resp (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    OutputMixin output;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public KvExportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        int[] range = parseRange();
        OutputFormat f = switch (format) {
            case "rdb" -> OutputFormat.RDB;
            case "resp" -> OutputFormat.RESP;
            default -> throw new ParameterException(spec.commandLine(), "-f must be rdb or resp, found '" + format + "'");
        };
        if (f == OutputFormat.RDB && output.isStdout() && ctx.outTerminal()) {
            throw new ParameterException(spec.commandLine(),
                    "refusing to write binary RDB data to a terminal: use -o FILE or a pipe");
        }
        String src = dir.startsWith(KvSources.PREFIX) ? dir : KvSources.PREFIX + dir;
        long kept = 0;
        try (KvStore s = KvSources.openReadOnly(src, ctx.err());
             EventSource snap = s.engine().snapshot();
             OutputTarget target = output.open(ctx.data())) {
            Sink sink = f.create(target.stream(), SinkOptions.builder().build());
            boolean ok = false;
            try {
                Event e;
                boolean skipping = false;
                while ((e = snap.next()) != null) {
                    if (e.kind() == EventKind.KEY_START) {
                        int slot = Slots.slot(((KeyStart) e).header().key());
                        if (slot < range[0] || slot > range[1]) {
                            snap.skipValue();
                            skipping = true;
                            continue;
                        }
                        kept++;
                    } else if (skipping && e.kind() == EventKind.KEY_END) {
                        skipping = false;
                        continue;
                    }
                    if (!skipping) {
                        sink.accept(e);
                    }
                }
                sink.close();
                ok = true;
            } finally {
                if (ok) {
                    target.commit();
                } else {
                    target.abort();
                }
            }
        }
        ctx.err().println("redkit: exported " + kept + " key(s) of slots " + range[0] + "-" + range[1]);
        return ExitCodes.OK;
    }

    private int[] parseRange() {
        String[] p = slots.split("-", -1);
        try {
            int a = Integer.parseInt(p[0].trim());
            int b = p.length == 1 ? a : Integer.parseInt(p[1].trim());
            if (p.length > 2 || a < 0 || b >= Slots.COUNT || a > b) {
                throw new NumberFormatException();
            }
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--slots: expected A-B with 0 <= A <= B <= 16383, found '"
                    + slots + "'");
        }
    }
}
