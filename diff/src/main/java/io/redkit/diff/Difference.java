package io.redkit.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** One key that differs between the two sides, with what differs and, for value differences, the details. */
public final class Difference {
    /** The ways a key can differ. */
    public enum Kind {
        /** In A, not in B. */
        MISSING,
        /** In B, not in A. */
        EXTRA,
        /** Different types. */
        TYPE,
        /** Same type, different value. */
        VALUE,
        /** Different expiry (beyond the tolerance), or an expiry on one side only. */
        TTL;

        /** The lower-case name used in reports. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final KeyRef ref;
    private final Set<Kind> kinds;
    private final DigestRecord a;
    private final DigestRecord b;
    private final List<ElementDiff> details = new ArrayList<>();
    private long moreDetails;
    private String note;

    /**
     * @param a the record of side A, null when missing there
     * @param b the record of side B, null when missing there
     */
    public Difference(KeyRef ref, Set<Kind> kinds, DigestRecord a, DigestRecord b) {
        this.ref = ref;
        this.kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        this.a = a;
        this.b = b;
    }

    /** The key. */
    public KeyRef ref() {
        return ref;
    }

    /** What differs (at least one kind). */
    public Set<Kind> kinds() {
        return kinds;
    }

    /** Side A's record, or null. */
    public DigestRecord a() {
        return a;
    }

    /** Side B's record, or null. */
    public DigestRecord b() {
        return b;
    }

    /** Element differences found by the second pass (empty when none was run or none applies). */
    public List<ElementDiff> details() {
        return Collections.unmodifiableList(details);
    }

    /** Element differences found beyond those listed in {@link #details()}. */
    public long moreDetails() {
        return moreDetails;
    }

    /** A remark of the second pass (value too large to compare element by element...), or null. */
    public String note() {
        return note;
    }

    void addDetail(ElementDiff d) {
        details.add(d);
    }

    void addMore(long n) {
        moreDetails += n;
    }

    void note(String n) {
        note = n;
    }
}
