package io.redkit.diff;

import io.redkit.aof.Sources;
import io.redkit.aof.SourceOptions;
import io.redkit.core.Bytes;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.EventSource;
import io.redkit.core.sink.KeyFilter;
import io.redkit.core.sink.Pipeline;
import io.redkit.kv.KvEngine;
import io.redkit.kv.KvLoader;
import io.redkit.kv.Reply;
import io.redkit.rdb.io.Inputs;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One side of a comparison: a path to an RDB file, an AOF file, an append-only directory or its manifest,
 * recognised by content. An RDB is digested as it streams; anything holding commands is replayed into a
 * temporary {@link KvEngine} first (the dataset is what the commands leave behind) and its snapshot is
 * digested. The engine runs on a clock stopped at 0 so that keys are kept whatever their expiry, as an
 * RDB keeps them; an AOF stores absolute expiry times, so equal data gives equal TTLs. The engine is kept
 * until {@link #close()} for the second pass.
 */
public final class Dataset implements Closeable {
    /** Command names counted apart in the warning about failed commands. */
    private static final int MAX_FAILED_NAMES = 20;

    private final String path;
    private final String side;
    private final SourceOptions options;
    private final KeyFilter filter;
    private volatile KvEngine engine;
    private volatile boolean cancelled;
    private String description;
    private long commandErrors;
    private long keysUnsupported;

    /**
     * @param path    the file or directory
     * @param side    {@code "A"} or {@code "B"}, for messages
     * @param options reader limits and options
     * @param filter  which keys are compared (applied to the dataset, not to the commands that build it)
     */
    public Dataset(String path, String side, SourceOptions options, KeyFilter filter) {
        this.path = path;
        this.side = side;
        this.options = options;
        this.filter = filter;
    }

    /** The path as given. */
    public String path() {
        return path;
    }

    /** What the input turned out to be ({@code RDB}, {@code AOF directory (replayed)}...), once digested. */
    public String description() {
        return description;
    }

    /** Commands of a replay whose reply was an error (Redis would have rejected them too). */
    public long commandErrors() {
        return commandErrors;
    }

    /** Keys of a replay the engine cannot hold (module and array values), left out of the comparison. */
    public long keysUnsupported() {
        return keysUnsupported;
    }

    /** First pass: every key's record into {@code sorter}. */
    public void digest(RecordSorter sorter, DiffListener listener) throws IOException {
        Sources.Kind kind = Sources.detect(path);
        if (kind == Sources.Kind.RDB) {
            description = "RDB";
            try (EventSource src = open(listener)) {
                if (digestEvents(src, sorter, listener, true)) {
                    return;
                }
            }
            // commands after the RDB part (an AOF with an RDB preamble): the data is their result
            sorter.reset();
            description = "RDB with AOF commands (replayed)";
        } else {
            description = switch (kind) {
                case AOF -> "AOF (replayed)";
                case AOF_DIR -> "append-only directory (replayed)";
                default -> "AOF manifest (replayed)";
            };
        }
        replay(listener);
        try (EventSource snap = engine.snapshot()) {
            digestEvents(snap, sorter, listener, false);
        }
    }

    /** A detail pass: the values of the keys in {@code wanted}, each to what its slot gathers for side {@code index}. */
    void collect(Map<KeyRef, DetailSlot> wanted, int index, DiffListener listener) throws IOException {
        try (EventSource src = engine == null ? open(listener) : engine.snapshot()) {
            DetailSlot slot = null;
            Consumer<Event> current = null;
            Event e;
            while ((e = src.next()) != null) {
                switch (e.kind()) {
                    case KEY_START: {
                        KeyHeader h = ((KeyStart) e).header();
                        slot = filter.test(h) ? wanted.get(new KeyRef(h.db(), h.key())) : null;
                        current = slot == null ? null : slot.begin(index, h);
                        if (current == null) {
                            src.skipValue();
                        }
                        break;
                    }
                    case KEY_END:
                        if (current != null) {
                            slot.end(index);
                        }
                        current = null;
                        break;
                    case STRING_PART: case ELEMENTS: case HASH_FIELDS: case ZSET_MEMBERS: case STREAM_ENTRIES:
                    case STREAM_META: case ARRAY_ELEMENTS: case MODULE_VALUE:
                        if (current != null) {
                            current.accept(e);
                        }
                        break;
                    default:
                        break;
                }
            }
        }
    }

    /**
     * Digests keys from {@code src}. With {@code stopAtCommand}, returns false at the first command (the
     * caller replays instead); commands are otherwise ignored.
     */
    private boolean digestEvents(EventSource src, RecordSorter sorter, DiffListener listener, boolean stopAtCommand)
            throws IOException {
        KeyDigester d = new KeyDigester();
        boolean skipping = false;
        Event e;
        while ((e = src.next()) != null) {
            switch (e.kind()) {
                case KEY_START: {
                    checkCancelled();
                    KeyHeader h = ((KeyStart) e).header();
                    if (filter.test(h)) {
                        skipping = false;
                        d.start(h);
                    } else {
                        skipping = true;
                        src.skipValue();
                    }
                    break;
                }
                case KEY_END:
                    if (!skipping && d.current() != null) {
                        sorter.add(d.finish());
                        listener.key();
                    }
                    skipping = false;
                    break;
                case STRING_PART: case ELEMENTS: case HASH_FIELDS: case ZSET_MEMBERS: case STREAM_ENTRIES:
                case STREAM_META: case ARRAY_ELEMENTS: case MODULE_VALUE:
                    if (!skipping && d.current() != null) {
                        d.accept(e);
                    }
                    break;
                case COMMAND:
                    if (stopAtCommand) {
                        return false;
                    }
                    break;
                default:
                    break;
            }
        }
        return true;
    }

    private void replay(DiffListener listener) throws IOException {
        engine = new KvEngine(() -> 0L);
        KvLoader loader = new KvLoader(engine, KvLoader.OnExisting.REPLACE, false, path);
        Map<String, Long> failed = new TreeMap<>();
        String[] firstError = new String[1];
        try (EventSource src = open(listener)) {
            Pipeline.run(src, KeyFilter.all(), e -> {
                checkCancelled();
                if (e instanceof Command c) {
                    // commands run here rather than in the loader, to tell which ones the engine refused
                    replayCommand(c, failed, firstError);
                } else {
                    loader.accept(e);
                }
            });
            loader.close();
        }
        commandErrors = failed.values().stream().mapToLong(Long::longValue).sum();
        keysUnsupported = loader.keysUnsupported();
        if (commandErrors > 0) {
            listener.warning(side + ": " + commandErrors + " command(s) of " + path
                    + " failed in the replay and were left out " + failed + "; the first: " + firstError[0]);
        }
        if (keysUnsupported > 0) {
            listener.warning(side + ": " + keysUnsupported + " module or array key(s) of " + path
                    + " cannot be replayed and are left out");
        }
    }

    private void replayCommand(Command c, Map<String, Long> failed, String[] firstError) {
        List<byte[]> argv = c.argv();
        if (argv.isEmpty()) {
            return;
        }
        String name = new String(argv.get(0), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        // transactions and SELECT are framing (each command has its db); function libraries are not keys
        if (name.equals("MULTI") || name.equals("EXEC") || name.equals("SELECT") || name.equals("FUNCTION")) {
            return;
        }
        if (engine.execute(c.db(), argv) instanceof Reply.Error err) {
            if (failed.size() < MAX_FAILED_NAMES || failed.containsKey(name)) {
                failed.merge(name, 1L, Long::sum);
            } else {
                failed.merge("(other)", 1L, Long::sum);
            }
            if (firstError[0] == null) {
                firstError[0] = Bytes.preview(argv.get(0)) + " at offset " + c.offset() + ": " + printable(err.text());
            }
        }
    }

    /** An engine message for a terminal: arguments it quotes may hold any bytes. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 160));
        for (int i = 0; i < s.length() && sb.length() < 160; i++) {
            char ch = s.charAt(i);
            sb.append(ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == 0xfffd ? '?' : ch);
        }
        return sb.length() < s.length() ? sb + "..." : sb.toString();
    }

    /** Opens the input by content, counting raw bytes for the listener where the input is one file. */
    private EventSource open(DiffListener listener) throws IOException {
        Path p = Path.of(path);
        if (Files.isDirectory(p)) {
            return Sources.open(path, options);
        }
        InputStream raw = Inputs.openRaw(path);
        try {
            InputStream counted = new FilterInputStream(raw) {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        listener.bytes(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        listener.bytes(n);
                    }
                    return n;
                }
            };
            InputStream in = Inputs.decompress(counted, Inputs.displayName(path));
            return Sources.open(in, Inputs.displayName(path), p, options);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Raw bytes a pass reads from this input: its size, or -1 for a directory or an unknown size. */
    long size() {
        Path p = Path.of(path);
        return Files.isDirectory(p) ? -1 : Inputs.size(path);
    }

    /** True once the data lives in a replay engine (a second pass reads no file). */
    boolean replayed() {
        return engine != null;
    }

    /** Asks a pass running on another thread to stop at the next key (the other side failed). */
    void cancel() {
        cancelled = true;
    }

    private void checkCancelled() throws IOException {
        if (cancelled) {
            throw new CancelledException();
        }
    }

    /** Thrown into a side's pass when it was cancelled; never leaves {@link Differ}. */
    static final class CancelledException extends IOException {
        CancelledException() {
            super("cancelled");
        }
    }

    /** Releases the replay engine. */
    @Override
    public void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
