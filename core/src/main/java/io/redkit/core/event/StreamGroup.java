package io.redkit.core.event;

import java.util.List;

/**
 * A consumer group.
 *
 * @param entriesRead -1 when unknown (stored as 2^64-1) or before RDB 10
 * @param pending     the group PEL in file order
 * @param nacks       IDs pending in the group but owned by no consumer (RDB 14), else empty
 */
public record StreamGroup(byte[] name, StreamId lastId, long entriesRead, List<StreamPending> pending,
                          List<StreamConsumer> consumers, List<StreamId> nacks) {
}
