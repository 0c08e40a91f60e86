package io.redkit.cli.option;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** Parses a byte size or count: a number with an optional k, m or g suffix (powers of 1024). */
public final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        long mult = 1;
        if (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            mult = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : last == 'g' ? 1L << 30 : 1;
            if (mult != 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n <= 0) {
                throw new TypeConversionException("'" + value + "' must be positive");
            }
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a size (e.g. 1048576, 512k, 64m, 2g)");
        }
    }
}
