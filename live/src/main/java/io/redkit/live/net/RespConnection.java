package io.redkit.live.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One pipelined connection to a Redis server. A producer thread {@link #append appends} commands (each with a
 * tag) into a write buffer and {@link #flush flushes} it; the event loop matches replies to tags in order and hands
 * them to the {@link Listener}. When the connection breaks, the tags without a reply stay queued, in order, for
 * {@link #unanswered()}: the caller decides what may be sent again.
 */
public final class RespConnection implements Closeable {
    /** Receives replies and the end of the connection, on the event loop thread. */
    public interface Listener {
        /** The reply to the command appended with {@code tag}. */
        void onReply(Object tag, Reply reply);

        /** The connection is gone (once); {@code cause} says why, null after {@link #close()}. */
        void onClosed(Throwable cause);
    }

    /** Longest status or error line accepted from a server. */
    private static final int MAX_INLINE = 64 * 1024;
    /** Most elements of one reply array (the writer's replies are small; CLUSTER SHARDS has one per shard). */
    private static final long MAX_ARRAY = 1 << 20;
    /** Longest bulk string reply (INFO, a DUMP of a big value read back). */
    private static final long MAX_BULK = 512L << 20;
    private static final byte[] CRLF = {'\r', '\n'};
    /** The write buffer goes out by itself once it holds this much (a full TCP window's worth, roughly)... */
    private static final int AUTO_FLUSH_BYTES = 64 * 1024;
    /** ...or this many commands. */
    private static final int AUTO_FLUSH_COMMANDS = 512;
    /** The staging array's usual size; one grown past {@link #STAGE_KEEP} by a big command is not kept. */
    private static final int STAGE_BYTES = AUTO_FLUSH_BYTES + 4096;
    private static final int STAGE_KEEP = 1 << 20;

    private final Channel channel;
    private final HostPort address;
    private final Queue<Object> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Listener listener;
    private volatile Throwable failure;
    /**
     * The encoded commands not flushed yet: a plain array written without Netty's per-write checks, copied into one
     * buffer for the channel by {@link #flush} (and then reused).
     */
    private byte[] out = new byte[STAGE_BYTES];
    private int outLen;
    private int unflushedCommands;

    private RespConnection(Channel channel, HostPort address) {
        this.channel = channel;
        this.address = address;
    }

    /**
     * Connects, then authenticates ({@code AUTH [user] password}) when a password is given. Fails with an
     * {@link IOException} naming the address.
     *
     * @param readTimeoutMillis the connection is closed when commands wait this long without a byte of reply (0: never)
     */
    public static RespConnection connect(EventLoopGroup group, HostPort addr, SslContext ssl, int connectTimeoutMillis,
            long readTimeoutMillis, String user, String password) throws IOException {
        RespConnection[] self = new RespConnection[1];
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc(), addr.host(), addr.port()));
                        }
                        if (readTimeoutMillis > 0) {
                            p.addLast(new IdleStateHandler(readTimeoutMillis, 0, 0, TimeUnit.MILLISECONDS));
                        }
                        p.addLast(new RedisDecoder(MAX_INLINE, io.netty.handler.codec.redis.FixedRedisMessagePool.INSTANCE));
                        p.addLast(new ReplyLimits());
                        p.addLast(new RedisBulkStringAggregator());
                        p.addLast(new RedisArrayAggregator());
                        p.addLast(new Handler(() -> self[0]));
                    }
                });
        ChannelFuture f = b.connect(addr.host(), addr.port());
        try {
            f.await(connectTimeoutMillis + 1000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.channel().close();
            throw new IOException("interrupted while connecting to " + addr, e);
        }
        if (!f.isSuccess()) {
            f.channel().close();
            Throwable c = f.cause();
            ConnectException ce = new ConnectException("cannot connect to " + addr + ": "
                    + (c == null ? "timed out" : c.getMessage()));
            if (c != null) {
                ce.initCause(c);
            }
            throw ce;
        }
        RespConnection conn = new RespConnection(f.channel(), addr);
        self[0] = conn;
        if (password != null) {
            Reply r = user != null ? conn.call("AUTH", user, password) : conn.call("AUTH", password);
            if (r.isError()) {
                conn.close();
                throw new IOException(addr + ": authentication failed: " + r.text());
            }
        }
        return conn;
    }

    /** The server's address. */
    public HostPort address() {
        return address;
    }

    /** Sets who receives replies to appended commands and the end of the connection. */
    public void listener(Listener l) {
        this.listener = l;
    }

    /** True until the connection broke or was closed. */
    public boolean isOpen() {
        return !closed.get() && channel.isActive();
    }

    /** Why the connection broke, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Commands sent or buffered whose reply has not been handled yet. */
    public int inFlight() {
        return waiting.size();
    }

    /** Bytes appended but not flushed yet. */
    public synchronized int unflushedBytes() {
        return outLen;
    }

    /** Commands appended but not flushed yet. */
    public synchronized int unflushedCommands() {
        return unflushedCommands;
    }

    /**
     * Appends one command to the write buffer; its reply goes to the listener with {@code tag}. The buffer is sent
     * once it holds 64 KB or 512 commands, else by {@link #flush}.
     */
    public synchronized void append(List<byte[]> argv, Object tag) {
        encode(argv);
        waiting.add(tag);
        if (outLen >= AUTO_FLUSH_BYTES || unflushedCommands >= AUTO_FLUSH_COMMANDS) {
            flush();
        }
    }

    /** Appends one command given as an array. */
    public void append(byte[][] argv, Object tag) {
        append(List.of(argv), tag);
    }

    private void encode(List<byte[]> argv) {
        int n = argv.size();
        // an upper bound: a length has at most 10 digits
        long size = 13;
        for (int i = 0; i < n; i++) {
            size += argv.get(i).length + 15;
        }
        if (outLen + size > out.length) {
            if (outLen + size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a command of " + size + " bytes");
            }
            out = Arrays.copyOf(out, (int) Math.max(outLen + size, Math.min(Integer.MAX_VALUE - 16,
                    2L * out.length)));
        }
        byte[] b = out;
        int p = outLen;
        b[p++] = '*';
        p = writeNumber(b, p, n);
        b[p++] = '\r';
        b[p++] = '\n';
        for (int i = 0; i < n; i++) {
            byte[] a = argv.get(i);
            b[p++] = '$';
            p = writeNumber(b, p, a.length);
            b[p++] = '\r';
            b[p++] = '\n';
            System.arraycopy(a, 0, b, p, a.length);
            p += a.length;
            b[p++] = '\r';
            b[p++] = '\n';
        }
        outLen = p;
        unflushedCommands++;
    }

    /** Writes the decimal digits of {@code v} (0 or more) at {@code p}; returns the position after them. */
    private static int writeNumber(byte[] b, int p, int v) {
        if (v < 10) {
            b[p] = (byte) ('0' + v);
            return p + 1;
        }
        int digits = 1;
        for (int t = v / 10; t > 0; t /= 10) {
            digits++;
        }
        int end = p + digits;
        for (int i = end - 1; i >= p; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    /** Sends what was appended. */
    public synchronized void flush() {
        int len = outLen;
        outLen = 0;
        unflushedCommands = 0;
        if (out.length > STAGE_KEEP) {
            // a big command grew it: the copy below is its last use
            byte[] big = out;
            out = new byte[STAGE_BYTES];
            if (len > 0 && !closed.get()) {
                write(big, len);
            }
            return;
        }
        if (len == 0 || closed.get()) {
            return;
        }
        write(out, len);
    }

    private void write(byte[] staged, int len) {
        ByteBuf b = channel.alloc().buffer(len);
        b.writeBytes(staged, 0, len);
        // always through the loop's task queue, also when called on the loop: writes keep the order of flushes
        channel.eventLoop().execute(() -> channel.writeAndFlush(b, channel.voidPromise()));
    }

    /**
     * Sends one command after everything appended so far and waits for its reply (an error reply is returned, not
     * thrown). A broken connection or no reply within a minute is an {@link IOException}.
     */
    public Reply call(List<byte[]> argv) throws IOException {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        append(argv, f);
        flush();
        if (closed.get()) {
            f.completeExceptionally(closedError());
        }
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + address, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(address + ": " + c, c);
        } catch (TimeoutException e) {
            close();
            throw new IOException(address + ": no reply in 60 s");
        }
    }

    /** {@link #call(List)} with text arguments. */
    public Reply call(String... argv) throws IOException {
        List<byte[]> l = new ArrayList<>(argv.length);
        for (String a : argv) {
            l.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return call(l);
    }

    /**
     * After the connection broke: the tags of commands without a reply, oldest first (removed from the
     * connection). Only meaningful once {@link Listener#onClosed} was called.
     */
    public List<Object> unanswered() {
        List<Object> l = new ArrayList<>();
        Object t;
        while ((t = waiting.poll()) != null) {
            if (t instanceof CompletableFuture<?> f) {
                f.completeExceptionally(closedError());
            } else {
                l.add(t);
            }
        }
        return l;
    }

    private IOException closedError() {
        Throwable c = failure;
        return new IOException("connection to " + address + " lost" + (c == null ? "" : ": " + c.getMessage()), c);
    }

    /** Closes the connection; unflushed commands are dropped. */
    @Override
    public void close() {
        synchronized (this) {
            outLen = 0;
            unflushedCommands = 0;
        }
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void closedBy(Throwable cause) {
        if (closed.compareAndSet(false, true)) {
            if (cause != null) {
                failure = cause;
            }
            for (Object t : waiting) {
                if (t instanceof CompletableFuture<?> f) {
                    f.completeExceptionally(closedError());
                }
            }
            Listener l = listener;
            if (l != null) {
                l.onClosed(cause);
            }
        }
    }

    private void received(Reply r) {
        Object tag = waiting.peek();
        if (tag == null) {
            closedBy(new IOException(address + ": a reply to no command: " + r));
            channel.close();
            return;
        }
        if (tag instanceof CompletableFuture<?> f) {
            waiting.poll();
            @SuppressWarnings("unchecked")
            CompletableFuture<Reply> rf = (CompletableFuture<Reply>) f;
            rf.complete(r);
            return;
        }
        // the command counts as in flight until its listener has run: a producer that sees inFlight() == 0 must
        // also see whatever the listener recorded for the reply (a conflict, a scratch key to delete)
        try {
            Listener l = listener;
            if (l != null) {
                l.onReply(tag, r);
            }
        } finally {
            waiting.poll();
        }
    }

    /**
     * Checks announced lengths before the aggregators allocate for them (the array aggregator presizes its list from
     * the header): a confused or hostile server gets the connection closed, not our heap.
     */
    private static final class ReplyLimits extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.handler.codec.redis.ArrayHeaderRedisMessage a && a.length() > MAX_ARRAY) {
                io.netty.util.ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(new IOException("reply array of " + a.length() + " elements (at most "
                        + MAX_ARRAY + ")"));
                return;
            }
            if (msg instanceof io.netty.handler.codec.redis.BulkStringHeaderRedisMessage b
                    && b.bulkStringLength() > MAX_BULK) {
                io.netty.util.ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(new IOException("reply string of " + b.bulkStringLength() + " bytes (at most "
                        + MAX_BULK + ")"));
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Converts Netty's messages into replies (releasing them) and watches the channel's end. */
    private static final class Handler extends SimpleChannelInboundHandler<RedisMessage> {
        private final java.util.function.Supplier<RespConnection> conn;
        private Throwable cause;

        Handler(java.util.function.Supplier<RespConnection> conn) {
            this.conn = conn;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RedisMessage msg) {
            RespConnection c = conn.get();
            if (c != null) {
                c.received(convert(msg));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                RespConnection c = conn.get();
                if (c != null && !c.waiting.isEmpty()) {
                    cause = new IOException("no reply from " + c.address + " within the read timeout");
                    ctx.close();
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
            if (cause == null) {
                cause = t;
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            RespConnection c = conn.get();
            if (c != null) {
                c.closedBy(cause != null ? cause : new IOException("connection closed by " + c.address));
            }
            super.channelInactive(ctx);
        }
    }

    static Reply convert(RedisMessage m) {
        if (m instanceof SimpleStringRedisMessage s) {
            // +OK is most replies of a migration: no copy for it
            return "OK".equals(s.content()) ? Reply.OK : Reply.status(s.content().getBytes(StandardCharsets.UTF_8));
        }
        if (m instanceof ErrorRedisMessage e) {
            return Reply.error(e.content().getBytes(StandardCharsets.UTF_8));
        }
        if (m instanceof IntegerRedisMessage i) {
            return Reply.integer(i.value());
        }
        if (m instanceof FullBulkStringRedisMessage b) {
            if (b.isNull()) {
                return Reply.NULL;
            }
            ByteBuf c = b.content();
            byte[] bytes = new byte[c.readableBytes()];
            c.getBytes(c.readerIndex(), bytes);
            return Reply.bulk(bytes);
        }
        if (m instanceof ArrayRedisMessage a) {
            if (a.isNull()) {
                return Reply.NULL;
            }
            List<Reply> items = new ArrayList<>(a.children().size());
            for (RedisMessage child : a.children()) {
                items.add(convert(child));
            }
            return Reply.array(items);
        }
        return Reply.error(("unexpected reply " + m).getBytes(StandardCharsets.UTF_8));
    }
}
