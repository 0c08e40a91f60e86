package io.redkit.core;

import java.io.IOException;

/**
 * The one exception family for bad input: it names the source, the byte offset (or -1 when
 * not known), the structure being read and what was expected. Never thrown for bugs.
 */
public class RedkitException extends IOException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String source;
    private final long offset;
    private final String context;
    private final String detail;

    public RedkitException(ErrorKind kind, String source, long offset, String context, String detail) {
        this(kind, source, offset, context, detail, null);
    }

    public RedkitException(ErrorKind kind, String source, long offset, String context, String detail, Throwable cause) {
        super(format(kind, source, offset, context, detail), cause);
        this.kind = kind;
        this.source = source;
        this.offset = offset;
        this.context = context;
        this.detail = detail;
    }

    private static String format(ErrorKind kind, String source, long offset, String context, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(source == null ? "<input>" : source);
        if (offset >= 0) {
            sb.append(" at offset ").append(offset);
        }
        sb.append(": ").append(kind.id());
        if (context != null && !context.isEmpty()) {
            sb.append(" in ").append(context);
        }
        if (detail != null && !detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    /** The error's kind, e.g. {@link ErrorKind#TRUNCATED}. */
    public ErrorKind kind() {
        return kind;
    }

    /** The file or stream the error was found in. */
    public String source() {
        return source;
    }

    /** Byte offset in the source where the bad structure starts or the input ends; -1 if unknown. */
    public long offset() {
        return offset;
    }

    /** The structure being read, e.g. {@code "listpack entry 17 of key 'user:9'"}. */
    public String context() {
        return context;
    }

    /** What was found and what was expected. */
    public String detail() {
        return detail;
    }
}
