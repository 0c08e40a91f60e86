package io.redkit.kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.redkit.kv.Reply;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection: its state (db, protocol, name, transaction, watches, subscriptions, a blocked pop) and the loop
 * that runs its commands in order. Replies of one read batch go into one buffer flushed once at the end of the
 * batch (pipelining). While a client is blocked, later commands wait in order; while its socket is not writable,
 * reading stops, and a client whose queued replies pass the output limit is disconnected.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    final KvServer server;
    final SocketChannel ch;
    final ClientState state = new ClientState();
    final long id;
    final long createdMs = System.currentTimeMillis();
    volatile long lastInteractionMs = createdMs;
    volatile String lastCommand = "NULL";
    volatile String name = "";
    volatile int db;
    volatile int proto = 2;
    volatile boolean watchDirty;
    private List<List<byte[]>> multi;
    private boolean multiError;
    private final Set<DbKey> watched = new HashSet<>();
    final Set<ByteBuffer> channels = new LinkedHashSet<>();
    final Set<ByteBuffer> patterns = new LinkedHashSet<>();
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private Blocked blocked;
    private ByteBuf out;
    private ChannelHandlerContext ctx;
    private boolean closeAfterFlush;
    private final Commands commands;

    ClientHandler(KvServer server, SocketChannel ch) {
        this.server = server;
        this.ch = ch;
        this.id = server.nextClientId.incrementAndGet();
        this.commands = new Commands(server, this);
        state.authenticated = server.acl.defaultNeedsNoAuth(server.config.requirePass);
        state.user = server.acl.defaultUserNow();
    }

    /** A blocked pop: the keys waited on, the command to retry, its deadline task. */
    static final class Blocked {
        final List<byte[]> argv;
        final List<DbKey> keys;
        final int db;
        ScheduledFuture<?> timeout;

        Blocked(List<byte[]> argv, List<DbKey> keys, int db) {
            this.argv = argv;
            this.keys = keys;
            this.db = db;
        }
    }

    void rejectAndClose(String error) {
        ch.writeAndFlush(ch.alloc().buffer().writeBytes(("-" + error + "\r\n").getBytes(StandardCharsets.UTF_8)))
                .addListener(f -> ch.close());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        server.clients.put(id, this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cleanup();
        ctx.fireChannelInactive();
    }

    private void cleanup() {
        server.clients.remove(id);
        unwatchAll();
        unblock();
        for (ByteBuffer c : channels) {
            server.pubsub.unsubscribe(this, bytes(c));
        }
        for (ByteBuffer p : patterns) {
            server.pubsub.punsubscribe(this, bytes(p));
        }
        channels.clear();
        patterns.clear();
        if (out != null) {
            out.release();
            out = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastInteractionMs = System.currentTimeMillis();
        if (closeAfterFlush) {
            return;
        }
        if (blocked != null || !pending.isEmpty()) {
            pending.add(msg);
            return;
        }
        handle(msg);
    }

    @SuppressWarnings("unchecked")
    private void handle(Object msg) {
        if (msg instanceof RespDecoder.ProtocolError err) {
            reply(Reply.error(err.message()));
            closeAfterFlush = true;
            return;
        }
        List<byte[]> argv = (List<byte[]>) msg;
        Object r = commands.dispatch(argv, false);
        if (r != Out.NONE) {
            reply(r);
        }
        long limit = server.config.outputBufferLimit;
        if (limit > 0 && out != null && out.readableBytes() + pendingOutbound() > limit) {
            // a client that does not read its replies gets disconnected rather than costing unbounded memory
            out.release();
            out = null;
            ch.close();
            closeAfterFlush = true;
        }
    }

    private long pendingOutbound() {
        io.netty.channel.ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        scheduleFlush();
        ctx.fireChannelReadComplete();
    }

    /** Clients of this event loop whose replies wait for the end of the loop's I/O round. */
    private static final ThreadLocal<List<ClientHandler>> PENDING_FLUSH = ThreadLocal.withInitial(ArrayList::new);
    private boolean flushQueued;

    /**
     * Queues this client's batch to be sent after every ready connection of the loop was read (a task runs after
     * the I/O round): the first flush then waits for the write log once for all of them, so with fsync always one
     * fsync covers the writes of every client served in the round, as Redis does per event loop iteration.
     */
    private void scheduleFlush() {
        if (flushQueued) {
            return;
        }
        flushQueued = true;
        List<ClientHandler> l = PENDING_FLUSH.get();
        l.add(this);
        if (l.size() == 1) {
            ch.eventLoop().execute(ClientHandler::flushPending);
        }
    }

    private static void flushPending() {
        List<ClientHandler> l = PENDING_FLUSH.get();
        // a copy: a flush may run commands of a resumed client, which can queue clients again
        List<ClientHandler> now = new ArrayList<>(l);
        l.clear();
        for (ClientHandler c : now) {
            c.flushQueued = false;
            c.flush();
        }
    }

    /** Appends a reply to the batch buffer (event loop only). */
    void reply(Object r) {
        if (out == null) {
            out = ch.alloc().ioBuffer(256);
        }
        RespWriter.write(out, r, proto);
    }

    /**
     * Sends the batch buffer once the write log took every write of the batch (one wait per batch, so pipelined
     * writes share their log write and fsync); pauses reading while the socket is not writable.
     */
    void flush() {
        if (out != null && !server.engine.awaitDurable()) {
            // the log failed: these replies must not acknowledge writes that may not be persisted
            out.release();
            out = null;
            ch.writeAndFlush(ch.alloc().buffer().writeBytes(("-MISCONF Errors writing to the append only file;"
                    + " the changes may not be persisted\r\n").getBytes(StandardCharsets.US_ASCII)))
                    .addListener(f -> ch.close());
            closeAfterFlush = true;
            return;
        }
        if (out != null) {
            ByteBuf b = out;
            out = null;
            if (closeAfterFlush) {
                ch.writeAndFlush(b).addListener(f -> ch.close());
                return;
            }
            ch.writeAndFlush(b, ch.voidPromise());
        } else if (closeAfterFlush) {
            ch.close();
            return;
        }
        if (!ch.isWritable()) {
            ch.config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ch.isWritable() && blocked == null) {
            ch.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Closes the connection (on its loop) when it was idle past the timeout; blocked and subscribed ones are exempt. */
    void checkIdle() {
        ch.eventLoop().execute(() -> {
            int t = server.config.timeoutSeconds;
            boolean exempt = blocked != null || !channels.isEmpty() || !patterns.isEmpty();
            if (t > 0 && !exempt && System.currentTimeMillis() - lastInteractionMs > t * 1000L) {
                ch.close();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a broken connection affects only itself
        ch.close();
    }

    /** Delivers a pub/sub message from any thread; a subscriber past its output limit is disconnected. */
    void push(List<byte[]> items) {
        long limit = server.config.pubsubOutputBufferLimit;
        if (limit > 0 && pendingOutbound() > limit) {
            ch.close();
            return;
        }
        ByteBuf b = ch.alloc().ioBuffer(64);
        RespWriter.write(b, new Out.Push(new ArrayList<>(items)), proto);
        ch.writeAndFlush(b, ch.voidPromise());
    }

    void closeNow() {
        if (ch.eventLoop().inEventLoop()) {
            flush();
        }
        ch.close();
    }

    /** Ends the connection once the replies so far are sent (QUIT). */
    void closeAfterReplies() {
        closeAfterFlush = true;
    }

    // ---- transactions and watches (event loop only, except watchDirty)

    boolean inMulti() {
        return multi != null;
    }

    void startMulti() {
        multi = new ArrayList<>();
        multiError = false;
    }

    void queue(List<byte[]> argv) {
        multi.add(argv);
    }

    void flagMultiError() {
        if (multi != null) {
            multiError = true;
        }
    }

    boolean multiError() {
        return multiError;
    }

    List<List<byte[]>> takeMulti() {
        List<List<byte[]>> q = multi;
        multi = null;
        return q;
    }

    void discardMulti() {
        multi = null;
        multiError = false;
    }

    void watch(DbKey k) {
        if (watched.add(k)) {
            server.watchers.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(this);
        }
    }

    void unwatchAll() {
        for (DbKey k : watched) {
            server.watchers.computeIfPresent(k, (x, s) -> {
                s.remove(this);
                return s.isEmpty() ? null : s;
            });
        }
        watched.clear();
        watchDirty = false;
    }

    // ---- blocking pops

    void block(Blocked b, double timeoutSeconds) {
        blocked = b;
        for (DbKey k : b.keys) {
            server.waiters.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(this);
        }
        if (timeoutSeconds > 0) {
            long ms = Math.max(1, (long) Math.ceil(timeoutSeconds * 1000));
            b.timeout = ch.eventLoop().schedule(this::timedOut, ms, TimeUnit.MILLISECONDS);
        }
        // a key may have been filled between the failed try and the registration
        wake();
    }

    boolean isBlocked() {
        return blocked != null;
    }

    private void unblock() {
        Blocked b = blocked;
        if (b == null) {
            return;
        }
        blocked = null;
        for (DbKey k : b.keys) {
            server.waiters.computeIfPresent(k, (x, s) -> {
                s.remove(this);
                return s.isEmpty() ? null : s;
            });
        }
        if (b.timeout != null) {
            b.timeout.cancel(false);
        }
    }

    /** A key this client waits on was written: retry on the client's own loop. */
    void wake() {
        ch.eventLoop().execute(() -> {
            Blocked b = blocked;
            if (b == null || !ch.isActive()) {
                return;
            }
            Object r = commands.retryBlocked(b);
            if (r != Out.NONE) {
                unblock();
                reply(r);
                resume();
            }
        });
    }

    private void timedOut() {
        Blocked b = blocked;
        if (b == null) {
            return;
        }
        unblock();
        reply(Reply.NULL_ARRAY);
        resume();
    }

    /** Runs the commands that arrived while blocked, then flushes. */
    private void resume() {
        while (blocked == null && !pending.isEmpty() && !closeAfterFlush) {
            handle(pending.poll());
        }
        flush();
        if (blocked == null && ch.isWritable()) {
            ch.config().setAutoRead(true);
        }
    }

    /** CLIENT LIST / CLIENT INFO line. */
    String infoLine() {
        InetSocketAddress r = (InetSocketAddress) ch.remoteAddress();
        InetSocketAddress l = (InetSocketAddress) ch.localAddress();
        long now = System.currentTimeMillis();
        String flags = (multi != null ? "x" : "") + (blocked != null ? "b" : "")
                + (!channels.isEmpty() || !patterns.isEmpty() ? "P" : "");
        return "id=" + id + " addr=" + (r == null ? "?" : r.getAddress().getHostAddress() + ":" + r.getPort())
                + " laddr=" + (l == null ? "?" : l.getAddress().getHostAddress() + ":" + l.getPort())
                + " fd=0 name=" + name + " age=" + (now - createdMs) / 1000 + " idle="
                + (now - lastInteractionMs) / 1000 + " flags=" + (flags.isEmpty() ? "N" : flags) + " db=" + db
                + " sub=" + channels.size() + " psub=" + patterns.size() + " ssub=0 multi="
                + (multi == null ? -1 : multi.size()) + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0"
                + " obl=0 oll=0 omem=" + pendingOutbound() + " tot-mem=0 events=r cmd=" + lastCommand
                + " user=" + state.user.name + " redir=-1 resp=" + proto;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
