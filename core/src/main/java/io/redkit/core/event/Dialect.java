package io.redkit.core.event;

/** The RDB dialect chosen by the file header: {@code REDIS0011} or {@code VALKEY080}. */
public enum Dialect { REDIS, VALKEY }
