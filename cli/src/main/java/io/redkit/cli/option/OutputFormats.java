package io.redkit.cli.option;

import io.redkit.formats.OutputFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code dump -f} values spelled in lower case ({@code jsonl}, {@code rdb}, ...): converter and candidate list. */
public final class OutputFormats implements ITypeConverter<OutputFormat>, Iterable<String> {
    @Override
    public OutputFormat convert(String value) {
        OutputFormat f = OutputFormat.fromId(value);
        if (f == null) {
            throw new TypeConversionException("'" + value + "' is not a format (expected one of "
                    + String.join(", ", this) + ")");
        }
        return f;
    }

    @Override
    public Iterator<String> iterator() {
        List<String> ids = new ArrayList<>();
        for (OutputFormat f : OutputFormat.values()) {
            ids.add(f.id());
        }
        return ids.iterator();
    }
}
