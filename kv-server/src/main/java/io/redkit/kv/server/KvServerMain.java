package io.redkit.kv.server;

import io.redkit.kv.KvEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a server as a process: {@code --dir D --bind A --port P --requirepass X | --password-file F | --acl-file F --fsync F
 * --maxmemory N --maxmemory-policy P --timeout S --pid-file F}. SIGTERM and SHUTDOWN close it gracefully. The
 * {@code redkit kv serve} command uses {@link #launch}; this {@code main} serves tests and benchmarks.
 */
public final class KvServerMain {
    private KvServerMain() {
    }

    /** A running server with its persistence. */
    public record Running(KvServer server, Persistence persistence, int port) {
    }

    /**
     * Opens the data directory (its append-only log, recovered), starts serving, and installs a shutdown hook that closes
     * the server on SIGTERM. {@code onShutdownCommand} runs after a client's SHUTDOWN.
     */
    public static Running launch(ServerConfig config, PrintStream log, Runnable onShutdownCommand) throws IOException {
        KvServer.checkBind(config);
        Files.createDirectories(config.dir);
        StorePersistence p = new StorePersistence(config.dir, config.appendFsync);
        KvEngine engine = p.store().engine();
        long keys = 0;
        for (int db = 0; db < KvEngine.DATABASES; db++) {
            keys += engine.dbSize(db);
        }
        KvServer server = new KvServer(config, engine, p, onShutdownCommand);
        int port = server.start();
        Thread hook = new Thread(server::close, "kv-server-sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        log.println("redkit kv serve: " + keys + " keys loaded from " + config.dir + "; listening on " + config.bind
                + ":" + port + " (fsync " + config.appendFsync + ")");
        log.flush();
        return new Running(server, p, port);
    }

    /** Reads a password file: its first line, without the line end. */
    public static String readPasswordFile(Path f) throws IOException {
        String s = Files.readString(f, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** Entry point for tests and benchmarks (the CLI has its own). */
    public static void main(String[] args) throws Exception {
        ServerConfig c = new ServerConfig();
        Path pidFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--dir" -> c.dir = Path.of(v);
                case "--bind" -> c.bind = v;
                case "--port" -> c.port = Integer.parseInt(v);
                case "--requirepass" -> c.requirePass = v;
                case "--password-file" -> c.requirePass = readPasswordFile(Path.of(v));
                case "--acl-file" -> c.aclFile = Path.of(v);
                case "--fsync" -> c.appendFsync = v;
                case "--maxmemory" -> c.maxMemory = ConfigCommand.parseMemory(v);
                case "--maxmemory-policy" -> c.maxMemoryPolicy = v;
                case "--timeout" -> c.timeoutSeconds = Integer.parseInt(v);
                case "--pid-file" -> pidFile = Path.of(v);
                case "--io-threads" -> c.ioThreads = Integer.parseInt(v);
                default -> {
                    System.err.println("unknown option " + a);
                    System.exit(2);
                }
            }
            i++;
        }
        Running r = launch(c, System.out, () -> System.exit(0));
        if (pidFile != null) {
            Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()) + "\n");
        }
        r.server().awaitClosed();
    }
}
