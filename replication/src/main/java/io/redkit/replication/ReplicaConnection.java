package io.redkit.replication;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.ssl.SslContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One TCP (or TLS) connection to the master. Everything received goes, undecoded, into a
 * {@link ByteQueue} read by the parsing thread: the replication stream needs its own framing
 * (the RDB payload has no trailing CRLF) before any RESP decoding, so no Netty decoder sits in the
 * pipeline. Outbound commands are encoded by netty-codec-redis.
 */
final class ReplicaConnection implements AutoCloseable {
    private final Channel channel;
    private final ByteQueue queue;

    private ReplicaConnection(Channel channel, ByteQueue queue) {
        this.channel = channel;
        this.queue = queue;
    }

    /** Connects to {@code host:port}; failures are non-retryable {@link ReplicationException}s the caller may retry. */
    static ReplicaConnection open(EventLoopGroup group, String host, int port, SslContext ssl, long queueBytes,
                                  long readTimeoutMillis, int connectTimeoutMillis, Runnable idle) throws IOException {
        Channel[] holder = new Channel[1];
        ByteQueue queue = new ByteQueue(queueBytes, readTimeoutMillis,
                () -> {
                    Channel c = holder[0];
                    if (c != null) {
                        // on the event loop, so it is ordered after the channelRead that paused
                        c.eventLoop().execute(() -> c.config().setAutoRead(true));
                    }
                }, idle);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast("encoder", new RedisEncoder());
                        ch.pipeline().addLast("feeder", new Feeder(queue));
                    }
                });
        ChannelFuture f = b.connect(host, port);
        try {
            if (!f.await(connectTimeoutMillis + 1000L, TimeUnit.MILLISECONDS)) {
                f.cancel(true);
                throw new ReplicationException("cannot connect to " + host + ":" + port + ": timeout", true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting");
        }
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            throw new ReplicationException("cannot connect to " + host + ":" + port + ": "
                    + (c == null ? "failed" : c.getMessage()), true, c);
        }
        holder[0] = f.channel();
        return new ReplicaConnection(f.channel(), queue);
    }

    /** The received bytes, for the parsing thread. */
    ByteQueue input() {
        return queue;
    }

    /** Sends one command (an array of bulk strings); safe from any thread. */
    void send(byte[]... argv) {
        List<RedisMessage> parts = new ArrayList<>(argv.length);
        for (byte[] a : argv) {
            parts.add(new FullBulkStringRedisMessage(Unpooled.wrappedBuffer(a)));
        }
        channel.writeAndFlush(new ArrayRedisMessage(parts));
    }

    /** Sends raw bytes (a bare newline keepalive). */
    void sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    /** The local TCP port, announced with REPLCONF listening-port when none is configured. */
    int localPort() {
        java.net.SocketAddress a = channel.localAddress();
        return a instanceof java.net.InetSocketAddress i ? i.getPort() : 0;
    }

    /** True while the socket is open. */
    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        queue.discard(new ReplicationException("connection closed", true));
        channel.close();
    }

    /** Moves inbound buffers into the queue, pausing reads while it is full. */
    private static final class Feeder extends ChannelInboundHandlerAdapter {
        private final ByteQueue queue;

        Feeder(ByteQueue queue) {
            this.queue = queue;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                // ownership passes to the queue
                if (queue.offer(buf)) {
                    ctx.channel().config().setAutoRead(false);
                }
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            queue.close(new ReplicationException("connection closed by the master", true));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            String what = cause instanceof javax.net.ssl.SSLException || cause.getCause() instanceof javax.net.ssl.SSLException
                    ? "TLS error: " : "connection error: ";
            // a TLS handshake failure does not cure itself on retry
            boolean retry = !what.startsWith("TLS");
            queue.close(new ReplicationException(what + cause.getMessage(), retry, cause));
            ctx.close();
        }
    }
}
