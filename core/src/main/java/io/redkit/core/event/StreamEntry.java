package io.redkit.core.event;

import java.util.List;

/** One live stream entry: its ID and its fields and values, alternating. */
public record StreamEntry(StreamId id, List<byte[]> fieldsAndValues) {
}
