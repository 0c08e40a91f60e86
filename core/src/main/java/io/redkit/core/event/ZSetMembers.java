package io.redkit.core.event;

import java.util.List;

/** A chunk of sorted-set members in file order. */
public record ZSetMembers(List<ScoredMember> members, long offset) implements Event {
    @Override
    public EventKind kind() {
        return EventKind.ZSET_MEMBERS;
    }
}
