/**
 * Small RESP clients for the live targets and sources: a pipelined one on Netty (commands written in batches from
 * one producer thread, replies matched in order on the event loop, TLS and AUTH at connect) and a blocking one that
 * can stream a big bulk reply, both yielding the same {@link io.redkit.live.net.Reply}.
 */
package io.redkit.live.net;
