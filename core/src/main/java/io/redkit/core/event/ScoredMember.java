package io.redkit.core.event;

/** A sorted-set member and its score. */
public record ScoredMember(byte[] member, double score) {
}
