package io.redkit.cli.option;

import io.redkit.core.event.DataType;
import io.redkit.core.sink.KeyFilter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Which keys a command handles; the same filters for every command. */
public final class FilterMixin {
    @Option(names = "--db", paramLabel = "N", description = "Only keys of this database (repeatable).")
    List<Integer> dbs = new ArrayList<>();

    @Option(names = "--key", paramLabel = "GLOB", description = "Only keys matching this Redis glob (* ? [a-z] \\x).")
    String keyGlob;

    @Option(names = "--key-regex", paramLabel = "RE",
            description = "Only keys in which this Java regex finds a match (keys are read as ISO-8859-1).")
    Pattern keyRegex;

    @Option(names = "--type", paramLabel = "TYPE", converter = DataTypes.class, completionCandidates = DataTypes.class,
            description = "Only keys of this type (repeatable): ${COMPLETION-CANDIDATES}.")
    List<DataType> types = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ExpiryGroup expiry;

    /** The mutually exclusive expiry selection. */
    static final class ExpiryGroup {
        @Option(names = "--expired", description = "Only keys whose expiry has passed.")
        boolean expired;

        @Option(names = "--not-expired", description = "Only keys without an expiry or with one in the future.")
        boolean notExpired;
    }

    /** The key filter these options describe; keeps everything when none is given. */
    public KeyFilter filter() {
        if (dbs.isEmpty() && keyGlob == null && keyRegex == null && types.isEmpty() && expiry == null) {
            return KeyFilter.all();
        }
        EnumSet<DataType> ts = EnumSet.noneOf(DataType.class);
        ts.addAll(types);
        KeyFilter.Expiry e = expiry == null ? KeyFilter.Expiry.ALL
                : expiry.expired ? KeyFilter.Expiry.EXPIRED : KeyFilter.Expiry.NOT_EXPIRED;
        return KeyFilter.builder()
                .dbs(new LinkedHashSet<>(dbs))
                .glob(keyGlob == null ? null : keyGlob.getBytes(StandardCharsets.UTF_8))
                .regex(keyRegex)
                .types(ts)
                .expiry(e)
                .build();
    }
}
