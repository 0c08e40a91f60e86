package io.redkit.core.event;

import java.util.List;

/** A consumer of a group with the IDs it owns; activeTimeMs is -1 before RDB 11. */
public record StreamConsumer(byte[] name, long seenTimeMs, long activeTimeMs, List<StreamId> pending) {
}
