package io.redkit.cli.command;

import io.redkit.cli.CliContext;
import io.redkit.cli.ExitCodes;
import io.redkit.cli.log.Log;
import io.redkit.cli.option.GlobalMixin;
import io.redkit.cli.option.LogMixin;
import io.redkit.cli.option.SizeConverter;
import io.redkit.kv.server.KvServerMain;
import io.redkit.kv.server.ServerConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code redkit kv serve}: the KV store of a data directory served over RESP2/RESP3 for redis-cli, Jedis, Lettuce
 * and redis-benchmark. Runs until SIGTERM or SHUTDOWN, which close the log (written and fsynced) before exit.
 */
@Command(name = "serve", description = "Serve a data directory over the Redis protocol (RESP2 and RESP3).")
public final class KvServeCommand implements Callable<Integer> {
    /** The log's fsync policies, as Redis's appendfsync. */
    enum Fsync { always, everysec, no }

    /** The maxmemory policies accepted. */
    enum Policy { noeviction, allkeys_random, volatile_random, allkeys_lru, volatile_lru, allkeys_lfu, volatile_lfu,
        volatile_ttl }

    private final CliContext ctx;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Data directory (created when missing): appendonlydir with base and log.")
    Path dir;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); beyond loopback a password is required.")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7379",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @ArgGroup(exclusive = true)
    Password password;

    /** The password of the default user (inline, in a file or in the environment), or an ACL file of users. */
    static final class Password {
        @Option(names = "--requirepass", paramLabel = "PASSWORD",
                description = "Clients must AUTH with this password (visible in ps; prefer --password-file).")
        String inline;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the first line.")
        Path file;

        @Option(names = "--password-env", paramLabel = "VAR",
                description = "Read the password from this environment variable.")
        String env;

        @Option(names = "--acl-file", paramLabel = "FILE",
                description = "Users, passwords and permissions in Redis's ACL file syntax (user NAME on >pass ~keys "
                        + "&channels +@category -command ...).")
        Path aclFile;
    }

    @Option(names = "--fsync", paramLabel = "POLICY", defaultValue = "everysec",
            description = "When the log is fsynced: always (before each reply), everysec, no (default: ${DEFAULT-VALUE}).")
    Fsync fsync;

    @Option(names = "--maxmemory", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory limit of the data estimate, e.g. 512m (default: none).")
    Long maxMemory;

    @Option(names = "--maxmemory-policy", paramLabel = "POLICY", defaultValue = "noeviction",
            converter = PolicyConverter.class,
            description = "At the limit: noeviction (writes fail with OOM) or allkeys-random, volatile-random, "
                    + "allkeys-lru, volatile-lru, allkeys-lfu, volatile-lfu, volatile-ttl (evicted as random).")
    String policy;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Close clients idle this long (default: never).")
    int timeout;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Event loop threads serving clients (default: half the cores, at least one).")
    int ioThreads;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the process id here once listening.")
    Path pidFile;

    @Mixin
    LogMixin logging;

    @Mixin
    GlobalMixin global;

    /** Created by the command factory with the streams of the run. */
    public KvServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Accepts Redis's policy names (with dashes). */
    static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String v) {
            String p = v.toLowerCase(Locale.ROOT);
            Policy.valueOf(p.replace('-', '_'));
            return p;
        }
    }

    @Override
    public Integer call() throws Exception {
        Log log = logging.log(ctx.err(), "redkit kv serve");
        ServerConfig c = new ServerConfig();
        c.dir = dir;
        c.bind = bind;
        c.port = port;
        if (password != null) {
            if (password.env != null) {
                String v = System.getenv(password.env);
                if (v == null || v.isEmpty()) {
                    log.error("--password-env: environment variable " + password.env + " is not set or empty");
                    return ExitCodes.USAGE;
                }
                c.requirePass = v;
            } else if (password.file != null) {
                c.requirePass = KvServerMain.readPasswordFile(password.file);
            } else if (password.aclFile != null) {
                c.aclFile = password.aclFile;
            } else {
                c.requirePass = password.inline;
            }
        }
        c.appendFsync = fsync.name();
        c.maxMemory = maxMemory == null ? 0 : maxMemory;
        c.maxMemoryPolicy = policy;
        c.timeoutSeconds = timeout;
        if (ioThreads < 0) {
            log.error("--io-threads must be 0 (one per core) or more");
            return ExitCodes.USAGE;
        }
        c.ioThreads = ioThreads;
        KvServerMain.Running r;
        try {
            // SHUTDOWN closes the server; call() then returns and the launcher exits with 0
            r = KvServerMain.launch(c, log.lines(Log.Level.NOTICE), null);
        } catch (IOException e) {
            log.error(String.valueOf(e.getMessage()));
            String m = e.getMessage();
            // a refused bind or a bad ACL file is a setup mistake, not an I/O failure
            return m != null && (m.startsWith("refusing") || m.startsWith("ACL file")) ? ExitCodes.USAGE : ExitCodes.IO;
        }
        if (pidFile != null) {
            Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        }
        r.server().awaitClosed();
        return ExitCodes.OK;
    }
}
