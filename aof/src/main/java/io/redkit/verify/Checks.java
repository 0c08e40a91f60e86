package io.redkit.verify;

import io.redkit.core.event.DataType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Assertions a CI job makes about a backup that reads cleanly: it is not empty, not stale, holds
 * the expected types and no suspiciously long key. Each failed assertion is a {@link Problem}
 * whose kind is the assertion's name.
 *
 * @param minKeys     fewest keys the RDB data must hold, or -1 for no check
 * @param maxAge      oldest the data may be (from the RDB {@code ctime} or the newest AOF {@code #TS:}), or null
 * @param expectTypes types of which at least one key must be present (empty for no check)
 * @param maxKeyBytes longest key name allowed in bytes, or -1 for no check
 */
public record Checks(long minKeys, Duration maxAge, Set<DataType> expectTypes, long maxKeyBytes) {
    /** Kind of a failed {@code minKeys} assertion. */
    public static final String MIN_KEYS = "min-keys";
    /** Kind of a failed {@code maxAge} assertion. */
    public static final String MAX_AGE = "max-age";
    /** Kind of a failed {@code expectTypes} assertion. */
    public static final String EXPECT_TYPE = "expect-type";
    /** Kind of a failed {@code maxKeyBytes} assertion. */
    public static final String MAX_KEY_BYTES = "max-key-bytes";

    /** Copies the set. */
    public Checks {
        expectTypes = Set.copyOf(expectTypes);
    }

    /** No assertions. */
    public static Checks none() {
        return new Checks(-1, null, Set.of(), -1);
    }

    /** True when at least one assertion is set. */
    public boolean any() {
        return minKeys >= 0 || maxAge != null || !expectTypes.isEmpty() || maxKeyBytes >= 0;
    }

    /**
     * The failed assertions of a report, judged at {@code now}. A report that already has problems
     * gets none: its facts are incomplete, and the damage is the reason it fails.
     */
    public List<Problem> apply(FileReport r, Instant now) {
        List<Problem> out = new ArrayList<>();
        if (!r.valid()) {
            return out;
        }
        Facts f = r.facts();
        String name = r.name();
        if (minKeys >= 0 && f.keys() < minKeys) {
            String why = f.rdbParts() == 0 && f.commands() > 0
                    ? " (an AOF without RDB part: its " + f.commands() + " commands are not replayed, keys are counted in RDB data only)"
                    : "";
            out.add(new Problem(name, -1, MIN_KEYS, name + ": " + MIN_KEYS + ": " + f.keys() + " keys (expected at least "
                    + minKeys + ")" + why));
        }
        if (maxAge != null) {
            long t = f.newestTimeS();
            if (t < 0) {
                out.add(new Problem(name, -1, MAX_AGE, name + ": " + MAX_AGE
                        + ": no time in the data (no RDB ctime aux field, no AOF #TS: annotation)"));
            } else {
                Duration age = Duration.between(Instant.ofEpochSecond(t), now);
                if (age.compareTo(maxAge) > 0) {
                    out.add(new Problem(name, -1, MAX_AGE, name + ": " + MAX_AGE + ": written at " + Instant.ofEpochSecond(t)
                            + ", " + human(age) + " old (expected at most " + human(maxAge) + ")"));
                }
            }
        }
        for (DataType t : DataType.values()) {
            if (expectTypes.contains(t) && !f.types().contains(t)) {
                out.add(new Problem(name, -1, EXPECT_TYPE, name + ": " + EXPECT_TYPE + ": no key of type " + t.id()
                        + " (types present: " + typeList(f.types()) + ")"));
            }
        }
        if (maxKeyBytes >= 0 && f.largestKeyBytes() > maxKeyBytes) {
            out.add(new Problem(name, -1, MAX_KEY_BYTES, name + ": " + MAX_KEY_BYTES + ": key '" + f.largestKey() + "' is "
                    + f.largestKeyBytes() + " bytes long (expected at most " + maxKeyBytes + ")"));
        }
        return out;
    }

    /** {@code r} with the failed assertions added to its problems. */
    public FileReport check(FileReport r, Instant now) {
        List<Problem> failed = apply(r, now);
        if (failed.isEmpty()) {
            return r;
        }
        List<Problem> all = new ArrayList<>(r.problems());
        all.addAll(failed);
        return new FileReport(r.name(), r.format(), r.bytes(), all, r.facts());
    }

    private static String typeList(Set<DataType> types) {
        if (types.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (DataType t : DataType.values()) {
            if (types.contains(t)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(t.id());
            }
        }
        return sb.toString();
    }

    /** A duration as people write it: {@code 2d3h}, {@code 45m10s}, {@code -5s} for the future. */
    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 0) {
            return "-" + human(Duration.ofSeconds(-s));
        }
        StringBuilder sb = new StringBuilder();
        long days = s / 86400;
        long h = s / 3600 % 24;
        long m = s / 60 % 60;
        long sec = s % 60;
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (m > 0 && days == 0) {
            sb.append(m).append('m');
        }
        if ((sec > 0 && days == 0 && h == 0) || sb.length() == 0) {
            sb.append(sec).append('s');
        }
        return sb.toString();
    }
}
