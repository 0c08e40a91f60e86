package io.redkit.cli.option;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;
import java.util.List;

/** Values of {@code --compat}: output layouts of other tools that scripts were written against. */
public enum Compat {
    /** The layout of redis-rdb-tools' json output. */
    RDB_TOOLS("rdb-tools");

    private final String id;

    Compat(String id) {
        this.id = id;
    }

    /** The name on the command line. */
    public String id() {
        return id;
    }

    /** Parses the command-line spelling. */
    public static final class Converter implements ITypeConverter<Compat> {
        @Override
        public Compat convert(String value) {
            for (Compat c : values()) {
                if (c.id.equalsIgnoreCase(value)) {
                    return c;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a known layout (expected: rdb-tools)");
        }
    }

    /** The spellings, for help and completion. */
    public static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(RDB_TOOLS.id).iterator();
        }
    }
}
