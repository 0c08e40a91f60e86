package io.redkit.cli.option;

import io.redkit.core.event.DataType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code --type} values spelled as Redis's TYPE command spells them: the converter and the candidate list. */
public final class DataTypes implements ITypeConverter<DataType>, Iterable<String> {
    @Override
    public DataType convert(String value) {
        DataType t = DataType.fromId(value);
        if (t == null) {
            throw new TypeConversionException("'" + value + "' is not a type (expected one of " + String.join(", ", this) + ")");
        }
        return t;
    }

    @Override
    public Iterator<String> iterator() {
        List<String> ids = new ArrayList<>();
        for (DataType t : DataType.values()) {
            ids.add(t.id());
        }
        return ids.iterator();
    }
}
