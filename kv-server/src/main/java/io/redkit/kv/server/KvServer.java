package io.redkit.kv.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.redkit.kv.KvEngine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The RESP server over a {@link KvEngine}: one Netty event loop group (half the cores) runs every connection.
 * Plain commands run concurrently under the engine's shard locks plus the shared side of a global lock; MULTI/EXEC,
 * scripts and list moves take the exclusive side, so other clients see them whole. {@link #start()} binds,
 * {@link #close()} shuts down gracefully (stops accepting, closes clients, flushes persistence).
 */
public final class KvServer implements AutoCloseable {
    final ServerConfig config;
    final KvEngine engine;
    final CommandTable table = new CommandTable();
    final GlobalLock global = new GlobalLock();
    final PubSub pubsub = new PubSub();
    final Scripts scripts;
    final Persistence persistence;
    /** Users and permissions; set by {@link #start()} (from the ACL file when there is one). */
    volatile Acl acl;
    final Map<Long, ClientHandler> clients = new ConcurrentHashMap<>();
    final Map<DbKey, Set<ClientHandler>> watchers = new ConcurrentHashMap<>();
    final Map<DbKey, Set<ClientHandler>> waiters = new ConcurrentHashMap<>();
    final AtomicLong nextClientId = new AtomicLong();
    final LongAdder commands = new LongAdder();
    final LongAdder connectionsReceived = new LongAdder();
    final LongAdder rejectedConnections = new LongAdder();
    final long startMs = System.currentTimeMillis();
    volatile long usedMemory;
    volatile long opsPerSec;
    private final long[] opsSamples = new long[16];
    private int opsSampleIdx;
    private long lastOpsCount;
    private long lastOpsNanos = System.nanoTime();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Runnable onShutdownCommand;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel listener;
    private ScheduledExecutorService ticker;
    private volatile boolean closing;

    /**
     * A server for the engine; {@code persistence} is told about shutdown and SAVE; {@code onShutdownCommand} runs
     * (on its own thread) after a client's SHUTDOWN closed the server, e.g. to exit the process.
     */
    public KvServer(ServerConfig config, KvEngine engine, Persistence persistence, Runnable onShutdownCommand) {
        this.config = config;
        this.engine = engine;
        this.persistence = persistence;
        this.onShutdownCommand = onShutdownCommand;
        this.scripts = new Scripts(this);
    }

    /** Refuses to listen beyond loopback without a password, as Redis's protected mode does. */
    static void checkBind(ServerConfig config) throws IOException {
        checkBind(config, loadAcl(config, new CommandTable()));
    }

    private static void checkBind(ServerConfig config, Acl acl) throws IOException {
        InetAddress a = InetAddress.getByName(config.bind);
        if (!a.isLoopbackAddress() && acl.openDefault(config.requirePass)) {
            throw new IOException("refusing to bind " + config.bind + " (not loopback) without a password: "
                    + "set --requirepass, --password-file or an ACL file whose default user has a password or is "
                    + "off, or bind 127.0.0.1");
        }
    }

    private static Acl loadAcl(ServerConfig config, CommandTable table) throws IOException {
        if (config.aclFile == null) {
            return Acl.defaults(table);
        }
        if (config.requirePass != null && !config.requirePass.isEmpty()) {
            throw new IOException("give the default user's password in the ACL file, not as well as requirepass");
        }
        return Acl.load(config.aclFile, table);
    }

    /** Binds and starts serving; returns the port listened on. */
    public int start() throws IOException {
        acl = loadAcl(config, table);
        checkBind(config, acl);
        int threads = config.ioThreads > 0 ? config.ioThreads : defaultIoThreads();
        Class<? extends ServerChannel> channel;
        if (useEpoll()) {
            boss = new EpollEventLoopGroup(1);
            workers = new EpollEventLoopGroup(threads);
            channel = EpollServerSocketChannel.class;
        } else {
            boss = new NioEventLoopGroup(1);
            workers = new NioEventLoopGroup(threads);
            channel = NioServerSocketChannel.class;
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 511)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connectionsReceived.increment();
                        ClientHandler h = new ClientHandler(KvServer.this, ch);
                        if (closing || clients.size() >= config.maxClients) {
                            rejectedConnections.increment();
                            h.rejectAndClose(closing ? "ERR server is shutting down"
                                    : "ERR max number of clients reached");
                            return;
                        }
                        ch.pipeline().addLast("decoder", new RespDecoder(config, h.state));
                        ch.pipeline().addLast("handler", h);
                    }
                });
        try {
            listener = b.bind(new InetSocketAddress(InetAddress.getByName(config.bind), config.port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        } catch (Exception e) {
            close();
            throw new IOException("cannot listen on " + config.bind + ":" + config.port + ": " + e.getMessage(), e);
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kv-server-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        Eviction.configure(this); // the limit and policy of the command line, before the first command
        engine.startActiveExpiry(100);
        return port();
    }

    /**
     * Half the cores, at least one: a loop thread per core measured 20-30% more CPU per request on 2 cores than
     * one loop (more wake-ups, and loops waiting on each other's log write), and the other cores are left to the
     * log's writer, the collector and clients on the same host.
     */
    static int defaultIoThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * Linux's epoll transport when its native library loads (fewer system calls and no selector bookkeeping per
     * read than the JDK selector), else the portable NIO one; {@code -Dredkit.kv.transport=nio} forces NIO.
     */
    static boolean useEpoll() {
        if ("nio".equals(System.getProperty("redkit.kv.transport"))) {
            return false;
        }
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            // the native part is missing on this platform: NIO serves the same protocol
            return false;
        }
    }

    /** The port listened on. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    private void tick() {
        try {
            usedMemory = engine.usedMemory();
            long now = System.nanoTime();
            long count = commands.sum();
            long rate = (count - lastOpsCount) * 1_000_000_000L / Math.max(1, now - lastOpsNanos);
            lastOpsCount = count;
            lastOpsNanos = now;
            opsSamples[opsSampleIdx++ % opsSamples.length] = rate;
            long sum = 0;
            for (long s : opsSamples) {
                sum += s;
            }
            opsPerSec = sum / opsSamples.length;
            if (config.timeoutSeconds > 0 && opsSampleIdx % 10 == 0) {
                // idle clients are checked here, once a second, rather than by a timer per connection
                for (ClientHandler c : clients.values()) {
                    c.checkIdle();
                }
            }
            if (config.maxMemory > 0 && usedMemory > config.maxMemory) {
                Eviction.evict(this);
            }
        } catch (RuntimeException e) {
            // the ticker must keep running; a failed sample only delays INFO figures
        }
    }

    /** Marks watchers of the written keys dirty and wakes clients blocked on them. */
    void afterWrite(int db, CommandTable.Cmd cmd, List<byte[]> argv) {
        if (watchers.isEmpty() && waiters.isEmpty()) {
            return;
        }
        String n = cmd.name();
        if (n.equals("flushdb") || n.equals("flushall") || n.equals("swapdb")) {
            touchAll(n.equals("flushall") ? -1 : db);
            return;
        }
        for (byte[] k : cmd.keys(argv)) {
            touched(new DbKey(db, k));
        }
    }

    void touched(DbKey k) {
        Set<ClientHandler> w = watchers.get(k);
        if (w != null) {
            for (ClientHandler c : w) {
                c.watchDirty = true;
            }
        }
        Set<ClientHandler> b = waiters.get(k);
        if (b != null) {
            for (ClientHandler c : b) {
                c.wake();
            }
        }
    }

    /** Every watcher of the database ({@code -1}: of all) is made dirty, every blocked client retries. */
    void touchAll(int db) {
        for (Map.Entry<DbKey, Set<ClientHandler>> e : watchers.entrySet()) {
            if (db < 0 || e.getKey().db == db) {
                for (ClientHandler c : e.getValue()) {
                    c.watchDirty = true;
                }
            }
        }
        for (Set<ClientHandler> s : waiters.values()) {
            for (ClientHandler c : s) {
                c.wake();
            }
        }
    }

    /** Called by SHUTDOWN: closes the server on another thread, then runs the shutdown action. */
    void shutdownFromClient() {
        Thread t = new Thread(() -> {
            close();
            if (onShutdownCommand != null) {
                onShutdownCommand.run();
            }
        }, "kv-server-shutdown");
        t.start();
    }

    /** Blocks until the server has been closed. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Graceful shutdown: stop accepting, close clients, stop the loops, flush and fsync persistence. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            if (listener != null) {
                listener.close().syncUninterruptibly();
            }
            for (ClientHandler c : clients.values()) {
                c.closeNow();
            }
            if (workers != null) {
                workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
            if (boss != null) {
                boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
            if (ticker != null) {
                ticker.shutdownNow();
            }
            engine.close();
            if (persistence != null) {
                persistence.shutdown();
            }
        } finally {
            closed.countDown();
        }
    }
}
