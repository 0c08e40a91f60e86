package io.redkit.core.event;

/** An entry of a consumer group's pending list. */
public record StreamPending(StreamId id, long deliveryTimeMs, long deliveryCount) {
}
