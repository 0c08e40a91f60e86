package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.io.KvSources;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.kv.KvEngine;
import io.redkit.kv.persist.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code redkit kv info DIR}: files, keys per database, memory estimate, replication position. */
@Command(name = "info", description = "Show the files, key counts, memory estimate and replication position.")
public final class KvInfoCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "DIR", description = "The data directory (kv:DIR or DIR).")
    String dir;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public KvInfoCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        String spec = dir.startsWith(KvSources.PREFIX) ? dir : KvSources.PREFIX + dir;
        try (KvStore s = KvSources.openReadOnly(spec, ctx.err())) {
            PrintStream out = ctx.out();
            Path ad = s.directory().resolve(KvStore.AOF_DIR);
            out.println("directory: " + s.directory());
            for (String f : s.files()) {
                out.printf(Locale.ROOT, "  %-32s %,d bytes%n", f, Files.size(ad.resolve(f)));
            }
            KvStore.Recovery r = s.recovery();
            out.printf(Locale.ROOT, "loaded in %d ms: %,d keys from the base, %,d commands from the log%n",
                    r.millis(), r.keysLoaded(), r.commands());
            if (r.truncatedFile() != null) {
                out.printf(Locale.ROOT, "torn tail: %,d bytes at the end of %s%n", r.truncatedBytes(), r.truncatedFile());
            }
            long total = 0;
            for (int d = 0; d < KvEngine.DATABASES; d++) {
                long n = s.engine().dbSize(d);
                total += n;
                if (n > 0) {
                    out.printf(Locale.ROOT, "db%d: keys=%d%n", d, n);
                }
            }
            out.printf(Locale.ROOT, "keys: %,d%nused memory (estimate): %,d bytes%n", total, s.engine().usedMemory());
            if (s.replicationId() != null) {
                out.printf(Locale.ROOT, "replication: %s offset %d db %d%n", s.replicationId(), s.replicationOffset(),
                        s.replicationDb());
            }
        }
        return ExitCodes.OK;
    }
}
