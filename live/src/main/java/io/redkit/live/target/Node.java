package io.redkit.live.target;

import io.redkit.live.net.HostPort;
import io.redkit.live.net.Reply;
import io.redkit.live.net.RespConnection;

import java.util.concurrent.atomic.LongAdder;

/** One server written to (a cluster master or the standalone server): its connection and its counters. */
final class Node implements RespConnection.Listener {
    final HostPort address;
    private final RedisTargetSink owner;
    volatile RespConnection conn;
    /** The db the connection has selected; producer thread only. */
    int db;
    final LongAdder keys = new LongAdder();
    final LongAdder commands = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder redirects = new LongAdder();
    final LongAdder skipped = new LongAdder();

    Node(HostPort address, RedisTargetSink owner) {
        this.address = address;
        this.owner = owner;
    }

    /** Takes a new connection into use (at start and after a reconnect). */
    void attach(RespConnection c) {
        c.listener(this);
        this.conn = c;
        this.db = 0;
    }

    boolean broken() {
        RespConnection c = conn;
        return c != null && !c.isOpen();
    }

    @Override
    public void onReply(Object tag, Reply reply) {
        owner.replied(this, (Cmd) tag, reply);
    }

    @Override
    public void onClosed(Throwable cause) {
        owner.nodeLost();
    }

    TargetReport.NodeReport report() {
        return new TargetReport.NodeReport(address.toString(), keys.sum(), commands.sum(), bytes.sum(), retries.sum(),
                redirects.sum(), skipped.sum());
    }
}
