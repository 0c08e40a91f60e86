/**
 * RESP output: {@link io.redkit.formats.resp.RespSink} turns the event stream into Redis commands
 * loadable with {@code redis-cli --pipe}, written by the allocation-free
 * {@link io.redkit.formats.resp.RespWriter}.
 */
package io.redkit.formats.resp;
