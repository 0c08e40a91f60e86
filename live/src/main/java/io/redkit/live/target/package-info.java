/**
 * Live Redis targets: {@link io.redkit.live.target.RedisTargetSink} writes any event stream into a standalone server,
 * a Sentinel-managed master or a Redis Cluster, pipelined with a bounded window, by RESTORE or rebuilt commands,
 * with slot routing, redirects, retries and a {@link io.redkit.live.target.TargetReport}.
 */
package io.redkit.live.target;
