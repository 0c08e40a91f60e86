/**
 * A small pipelined RESP client on Netty for the live targets and sources: commands written in batches from one
 * producer thread, replies matched in order on the event loop, TLS and AUTH at connect.
 */
package io.redkit.live.net;
