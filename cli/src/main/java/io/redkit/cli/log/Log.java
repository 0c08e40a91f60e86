package io.redkit.cli.log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where the diagnostics of a command go: standard error, one line per message, as text
 * ({@code redkit: message key=value}) or as JSON lines ({@code {"ts", "level", "msg", "fields"}}) for
 * services whose output is collected. Messages below the threshold are dropped before any text is
 * built. Thread-safe: each message is written and flushed as one line.
 */
public final class Log {
    /** Severity, most severe first; the default threshold is {@link #NOTICE}. */
    public enum Level {
        /** The command fails or loses something. */
        ERROR,
        /** Something went wrong and was handled (a lost connection, retried). */
        WARN,
        /** A few lines a run: what a person watching a service wants to see (listening, full resync). */
        NOTICE,
        /** More detail on what happens (-v). */
        INFO,
        /** Detail for finding a problem (-vv). */
        DEBUG;

        /** The name in JSON lines: lower case. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How each message is written. */
    public enum Format {
        /** {@code NAME: [warning: ]message key=value ...} lines for people. */
        text,
        /** One JSON object per line: {@code ts}, {@code level}, {@code msg}, {@code fields}. */
        json
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final PrintStream err;
    private final String name;
    private final Level threshold;
    private final Format format;
    private final Clock clock;

    /**
     * A log writing to {@code err} messages at {@code threshold} or more severe; {@code name} starts each
     * text line (e.g. {@code redkit}).
     */
    public Log(PrintStream err, String name, Level threshold, Format format, Clock clock) {
        this.err = err;
        this.name = name;
        this.threshold = threshold;
        this.format = format;
        this.clock = clock;
    }

    /** A text log at the default threshold ({@link Level#NOTICE}). */
    public static Log text(PrintStream err, String name) {
        return new Log(err, name, Level.NOTICE, Format.text, Clock.systemUTC());
    }

    /** The output format. */
    public Format format() {
        return format;
    }

    /** The least severe level written. */
    public Level threshold() {
        return threshold;
    }

    /** Whether a message at {@code level} would be written (to skip building costly messages). */
    public boolean enabled(Level level) {
        return level.ordinal() <= threshold.ordinal();
    }

    /** Writes {@code msg} with fields given as name, value pairs (numbers and booleans stay typed in JSON). */
    public void log(Level level, String msg, Object... fields) {
        if (!enabled(level)) {
            return;
        }
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields come in name, value pairs");
        }
        String line = format == Format.json ? json(level, msg, fields) : text(level, msg, fields);
        synchronized (err) {
            err.print(line);
            err.flush();
        }
    }

    /** {@link #log} at {@link Level#ERROR}. */
    public void error(String msg, Object... fields) {
        log(Level.ERROR, msg, fields);
    }

    /** {@link #log} at {@link Level#WARN}. */
    public void warn(String msg, Object... fields) {
        log(Level.WARN, msg, fields);
    }

    /** {@link #log} at {@link Level#NOTICE}. */
    public void notice(String msg, Object... fields) {
        log(Level.NOTICE, msg, fields);
    }

    /** {@link #log} at {@link Level#INFO}. */
    public void info(String msg, Object... fields) {
        log(Level.INFO, msg, fields);
    }

    /** {@link #log} at {@link Level#DEBUG}. */
    public void debug(String msg, Object... fields) {
        log(Level.DEBUG, msg, fields);
    }

    /**
     * A stream for code that reports through a {@link PrintStream}: each line written becomes one
     * message at {@code level}, a leading {@code NAME: } removed (this log adds its own).
     */
    public PrintStream lines(Level level) {
        OutputStream sink = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    if (s.endsWith("\r")) {
                        s = s.substring(0, s.length() - 1);
                    }
                    if (s.startsWith(name + ": ")) {
                        s = s.substring(name.length() + 2);
                    }
                    log(level, s);
                } else if (line.size() < 64 * 1024) {
                    line.write(b);
                }
            }
        };
        return new PrintStream(sink, true, StandardCharsets.UTF_8);
    }

    private String text(Level level, String msg, Object[] fields) {
        StringBuilder sb = new StringBuilder(name).append(": ");
        if (level == Level.WARN) {
            sb.append("warning: ");
        } else if (level == Level.ERROR) {
            sb.append("error: ");
        } else if (level == Level.DEBUG) {
            sb.append("debug: ");
        }
        sb.append(msg);
        for (int i = 0; i < fields.length; i += 2) {
            String v = String.valueOf(fields[i + 1]);
            sb.append(' ').append(fields[i]).append('=');
            if (v.isEmpty() || v.indexOf(' ') >= 0 || v.indexOf('"') >= 0) {
                quote(sb, v);
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString();
    }

    private String json(Level level, String msg, Object[] fields) {
        StringBuilder sb = new StringBuilder(96 + msg.length());
        sb.append("{\"ts\":\"").append(TS.format(Instant.now(clock))).append("\",\"level\":\"").append(level.id())
                .append("\",\"msg\":");
        quote(sb, msg);
        sb.append(",\"fields\":{");
        for (int i = 0; i < fields.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            quote(sb, String.valueOf(fields[i]));
            sb.append(':');
            Object v = fields[i + 1];
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                    || v instanceof Byte) {
                sb.append(v);
            } else if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
                sb.append(n.doubleValue());
            } else {
                quote(sb, v.toString());
            }
        }
        return sb.append("}}\n").toString();
    }

    /** A JSON string literal; also used for text values with spaces, which read the same way. */
    private static void quote(StringBuilder sb, String s) {
        io.redkit.core.JsonStrings.append(sb, s);
    }
}
