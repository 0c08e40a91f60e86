package io.redkit.core.sink;

import io.redkit.core.event.DataType;
import io.redkit.core.event.KeyHeader;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which keys pass: databases, a key glob, a key regex, types, and expired or not. The same filter
 * serves every command. Immutable; build with {@link #builder()}.
 */
public final class KeyFilter {
    /** Which keys to keep with respect to their expiry. */
    public enum Expiry { ALL, EXPIRED, NOT_EXPIRED }

    private static final KeyFilter ALL = builder().build();

    private final Set<Integer> dbs;
    private final Glob glob;
    private final Pattern regex;
    private final Set<DataType> types;
    private final Expiry expiry;
    private final long nowMs;

    private KeyFilter(Builder b) {
        this.dbs = b.dbs == null ? null : Set.copyOf(b.dbs);
        this.glob = b.glob;
        this.regex = b.regex;
        this.types = b.types == null ? null : EnumSet.copyOf(b.types);
        this.expiry = b.expiry;
        this.nowMs = b.nowMs;
    }

    /** A filter that keeps everything. */
    public static KeyFilter all() {
        return ALL;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when the filter keeps every key (lets callers skip the check). */
    public boolean keepsAll() {
        return dbs == null && glob == null && regex == null && types == null && expiry == Expiry.ALL;
    }

    /** True when keys of database {@code db} can pass. */
    public boolean acceptsDb(int db) {
        return dbs == null || dbs.contains(db);
    }

    /** True when the key passes every criterion. */
    public boolean test(KeyHeader h) {
        if (!acceptsDb(h.db())) {
            return false;
        }
        if (types != null && !types.contains(h.type())) {
            return false;
        }
        if (expiry != Expiry.ALL) {
            boolean expired = h.isExpiredAt(nowMs);
            if (expired != (expiry == Expiry.EXPIRED)) {
                return false;
            }
        }
        return testKey(h.key());
    }

    /** True when a key name passes the glob and the regex. */
    public boolean testKey(byte[] key) {
        if (glob != null && !glob.matches(key)) {
            return false;
        }
        // ISO-8859-1 maps each byte to one char, so a regex can match any binary key
        return regex == null || regex.matcher(new String(key, StandardCharsets.ISO_8859_1)).find();
    }

    /** Builder; every criterion is optional. */
    public static final class Builder {
        private Set<Integer> dbs;
        private Glob glob;
        private Pattern regex;
        private Set<DataType> types;
        private Expiry expiry = Expiry.ALL;
        private long nowMs = System.currentTimeMillis();

        public Builder dbs(Set<Integer> dbs) {
            this.dbs = dbs == null || dbs.isEmpty() ? null : dbs;
            return this;
        }

        public Builder glob(byte[] pattern) {
            this.glob = pattern == null ? null : new Glob(pattern);
            return this;
        }

        public Builder regex(Pattern regex) {
            this.regex = regex;
            return this;
        }

        public Builder types(Set<DataType> types) {
            this.types = types == null || types.isEmpty() ? null : types;
            return this;
        }

        public Builder expiry(Expiry expiry) {
            this.expiry = expiry;
            return this;
        }

        /** The clock used to decide what is expired. */
        public Builder nowMs(long nowMs) {
            this.nowMs = nowMs;
            return this;
        }

        public KeyFilter build() {
            return new KeyFilter(this);
        }
    }
}
