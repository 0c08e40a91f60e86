package io.redkit.core.event;

/** Where a stream comes from. */
public enum SourceKind { RDB, AOF, REPLICATION }
