package io.redkit.cli.command;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code redkit kv}: quick looks into a KV data directory without a server, and slot-range exports. */
@Command(name = "kv",
        description = "Work with a data directory of the bundled KV store: info, get, scan and export open it "
                + "read-only (base and log are replayed into memory, nothing is written); serve serves it over RESP.",
        subcommands = {KvInfoCommand.class, KvGetCommand.class, KvScanCommand.class, KvExportCommand.class,
                KvServeCommand.class})
public final class KvCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: info, get, scan, export or serve");
    }
}
