package io.redkit.aof;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.End;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.SourceKind;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.RdbReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An AOF in any of its forms as one event source: a single file (pure RESP, or an RDB preamble
 * followed by RESP), a Redis 7 multi-part directory, or its manifest.
 *
 * <p>Events: one {@link Begin} (kind AOF, with the dialect and version of the first file when it
 * starts with an RDB), the RDB events of every RDB part (their own Begin and End are dropped),
 * one {@link Command} per command with the db tracked from SELECT (SELECT itself is consumed;
 * the db restarts at 0 in every file, as the server replays each file with a new client), and a
 * final {@link End} carrying the checksum of the last RDB part read, if any. MULTI and EXEC pass
 * through as commands; a file that ends inside MULTI is {@link ErrorKind#TRUNCATED} at the MULTI,
 * a nested MULTI or an EXEC without MULTI is {@link ErrorKind#BAD_FORMAT} (as redis-check-aof says).
 * Every error names the file it is in (not the directory) and the offset inside that file.
 */
public final class AofReader implements EventSource {
    private enum State { INIT, RDB, RESP, END, DONE, FAILED }

    private static final byte[] MULTI = {'M', 'U', 'L', 'T', 'I'};
    private static final byte[] EXEC = {'E', 'X', 'E', 'C'};
    private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};

    /**
     * A place in one file of the AOF.
     *
     * @param file   the file's name as used in messages (its path)
     * @param offset a byte offset inside that file
     */
    public record Position(String file, long offset) {
    }

    /** Opens the bytes of one part lazily. */
    private interface Opener {
        InputStream open() throws IOException;
    }

    private record Part(String name, Opener opener) {
    }

    private final String sourceName;
    private final List<Part> parts;
    private final SourceOptions options;
    private final boolean rdbBegin;

    private State state = State.INIT;
    private IOException failure;
    private int partIndex = -1;
    private InputStream current;
    private RdbReader rdb;
    private RespCommandReader resp;
    private long respStart;
    private int db;
    private long multiStart = -1;
    private long safeOffset;
    private End lastRdbEnd;
    private boolean lastRdbEndInPart;
    private long commands;

    private AofReader(String sourceName, List<Part> parts, SourceOptions options, boolean rdbBegin) {
        this.sourceName = sourceName;
        this.parts = parts;
        this.options = options;
        this.rdbBegin = rdbBegin;
    }

    /** A reader of one AOF file (pure RESP, or RDB preamble then RESP). */
    public static AofReader openFile(Path file, SourceOptions options) {
        String name = file.toString();
        return new AofReader(name, List.of(new Part(name, () -> Files.newInputStream(file))), options, false);
    }

    /**
     * A reader of one AOF stream already opened (standard input, a decompressed file).
     * {@code rdbBegin}: the stream is an RDB, possibly followed by AOF commands; its {@link Begin}
     * (kind RDB) passes unchanged and, if no commands follow, its {@link End} too, so a plain RDB
     * reads exactly as with {@link RdbReader}. Bytes after the RDB that do not start with
     * {@code *} or {@code #} are ignored, as the server's RDB loader ignores them.
     */
    public static AofReader openStream(InputStream in, String name, SourceOptions options, boolean rdbBegin) {
        return new AofReader(name, List.of(new Part(name, () -> in)), options, rdbBegin);
    }

    /**
     * A reader of a Redis 7 multi-part AOF directory: its manifest (a {@code *.manifest} file, not a
     * {@code temp-} one; {@code appendonly.aof.manifest} when there are several), then the base and
     * every increment in manifest order. A server's data directory without a manifest is read like
     * the server would: its {@code appendonlydir} subdirectory, else its pre-7.0 {@code appendonly.aof}.
     */
    public static AofReader openDirectory(Path dir, SourceOptions options) throws IOException {
        if (!hasManifest(dir)) {
            Path sub = dir.resolve("appendonlydir");
            if (Files.isDirectory(sub) && hasManifest(sub)) {
                return openManifest(findManifest(sub), sub.toString(), options);
            }
            Path old = dir.resolve("appendonly.aof");
            if (Files.isRegularFile(old)) {
                return openFile(old, options);
            }
        }
        return openManifest(findManifest(dir), dir.toString(), options);
    }

    private static boolean hasManifest(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.manifest")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith("temp-") && Files.isRegularFile(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A reader of the multi-part AOF described by {@code manifest} (files are in its directory). */
    public static AofReader openManifest(Path manifest, SourceOptions options) throws IOException {
        return openManifest(manifest, manifest.toString(), options);
    }

    private static AofReader openManifest(Path manifest, String sourceName, SourceOptions options) throws IOException {
        AofManifest m = AofManifest.read(manifest);
        Path dir = manifest.toAbsolutePath().getParent();
        Path shownDir = manifest.getParent();
        List<Part> parts = new ArrayList<>();
        // like the server, check every listed file before loading any
        for (AofManifest.Entry e : m.loadOrder()) {
            Path p = dir.resolve(e.fileName());
            String name = shownDir == null ? e.fileName() : shownDir.resolve(e.fileName()).toString();
            if (!Files.isRegularFile(p)) {
                throw new RedkitException(ErrorKind.MISSING_FILE, name, -1,
                        "listed at line " + e.line() + " of " + manifest, "no such file");
            }
            parts.add(new Part(name, () -> Files.newInputStream(p)));
        }
        return new AofReader(sourceName, parts, options, false);
    }

    /** The manifest of an AOF directory. */
    public static Path findManifest(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.manifest")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith("temp-") && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        }
        if (found.isEmpty()) {
            throw new RedkitException(ErrorKind.MISSING_FILE, dir.toString(), -1, "AOF directory",
                    "no *.manifest file");
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        for (Path p : found) {
            if (p.getFileName().toString().equals("appendonly.aof.manifest")) {
                return p;
            }
        }
        Collections.sort(found);
        throw new RedkitException(ErrorKind.BAD_MANIFEST, dir.toString(), -1, "AOF directory",
                "several manifests " + found + " (name one of them)");
    }

    /** The files read, in load order, by the names used in messages. */
    public List<String> files() {
        List<String> names = new ArrayList<>(parts.size());
        for (Part p : parts) {
            names.add(p.name());
        }
        return names;
    }

    /** The file being read and the offset of its next unread byte; null before the first {@link #next()}. */
    public Position position() {
        if (partIndex < 0) {
            return null;
        }
        long off = resp != null ? resp.offset() : rdb != null ? rdb.offset() : 0;
        return new Position(parts.get(partIndex).name(), off);
    }

    /**
     * Where the file being read could be cut so that it ends with complete commands and no open
     * MULTI (what {@code redis-check-aof --fix} keeps); null while its RDB part is being read.
     */
    public Position safeCutPosition() {
        if (resp == null || partIndex < 0) {
            return null;
        }
        return new Position(parts.get(partIndex).name(), safeOffset);
    }

    /** Commands returned so far, over all files. */
    public long commandCount() {
        return commands;
    }

    @Override
    public Event next() throws IOException {
        if (state == State.FAILED) {
            throw failure;
        }
        try {
            return advance();
        } catch (IOException | RuntimeException e) {
            state = State.FAILED;
            failure = e instanceof IOException io ? io : unexpected(e);
            closeQuietly();
            throw failure;
        }
    }

    @Override
    public void skipValue() throws IOException {
        if (state != State.RDB) {
            throw new IllegalStateException("skipValue() is only valid after KeyStart");
        }
        try {
            rdb.skipValue();
        } catch (IOException | RuntimeException e) {
            state = State.FAILED;
            failure = e instanceof IOException io ? io : unexpected(e);
            throw failure;
        }
    }

    /** In the RDB part, lets the RDB reader check the value without making its parts. */
    @Override
    public boolean rawPayloadKept() {
        return state == State.RDB && rdb.rawPayloadKept();
    }

    @Override
    public void checkValue() throws IOException {
        if (state != State.RDB) {
            return;
        }
        try {
            rdb.checkValue();
        } catch (IOException | RuntimeException e) {
            state = State.FAILED;
            failure = e instanceof IOException io ? io : unexpected(e);
            throw failure;
        }
    }

    @Override
    public void close() throws IOException {
        state = state == State.FAILED ? State.FAILED : State.DONE;
        InputStream c = current;
        current = null;
        RdbReader r = rdb;
        rdb = null;
        try {
            if (r != null) {
                // stops the RDB reader's read-ahead thread, which may be waiting to hand over a block
                r.close();
            }
        } finally {
            if (c != null) {
                c.close();
            }
        }
    }

    private Event advance() throws IOException {
        while (true) {
            switch (state) {
                case INIT: {
                    if (!openNextPart()) {
                        // a manifest listing only history files: an empty dataset
                        state = State.END;
                        return new Begin(SourceKind.AOF, sourceName, null, -1, 0);
                    }
                    if (state == State.RDB) {
                        Event first = rdb.next();
                        if (first instanceof Begin b) {
                            return rdbBegin ? b : new Begin(SourceKind.AOF, sourceName, b.dialect(), b.rdbVersion(), 0);
                        }
                        throw new IllegalStateException("RDB reader did not start with Begin");
                    }
                    return new Begin(SourceKind.AOF, sourceName, null, -1, 0);
                }
                case RDB: {
                    Event e = rdb.next();
                    if (e == null || e.kind() == EventKind.END) {
                        lastRdbEnd = (End) e;
                        lastRdbEndInPart = true;
                        long tailOffset = rdb.offset();
                        InputStream tail = rdb.remainder();
                        int first = tail.read();
                        boolean junkAfterRdb = first >= 0 && rdbBegin && parts.size() == 1 && first != '*' && first != '#';
                        if (first < 0 || junkAfterRdb) {
                            // nothing follows, or bytes after a plain RDB that are no AOF: the
                            // server's RDB loader ignores what follows the trailer, and so does this reader
                            closeQuietly();
                            if (!junkAfterRdb && openNextPart()) {
                                continue;
                            }
                            state = State.DONE;
                            return parts.size() == 1 && rdbBegin ? lastRdbEnd : endEvent(tailOffset);
                        }
                        InputStream resumed = new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) first}), tail);
                        startResp(resumed, tailOffset);
                        continue;
                    }
                    if (e.kind() == EventKind.BEGIN) {
                        continue;
                    }
                    return e;
                }
                case RESP: {
                    List<byte[]> argv = resp.next();
                    if (argv == null) {
                        String name = parts.get(partIndex).name();
                        if (multiStart >= 0) {
                            throw new RedkitException(ErrorKind.TRUNCATED, name, multiStart, "transaction",
                                    "the file ends inside MULTI (no EXEC)");
                        }
                        long end = resp.offset();
                        boolean emptyTail = end == respStart;
                        closeQuietly();
                        if (openNextPart()) {
                            continue;
                        }
                        state = State.DONE;
                        if (rdbBegin && parts.size() == 1 && emptyTail && lastRdbEndInPart) {
                            return lastRdbEnd;
                        }
                        return endEvent(end);
                    }
                    Command c = command(argv);
                    if (c != null) {
                        commands++;
                        return c;
                    }
                    continue;
                }
                case END:
                    state = State.DONE;
                    return endEvent(0);
                case DONE:
                    return null;
                default:
                    throw new IllegalStateException(state.name());
            }
        }
    }

    /** The command to emit for {@code argv}, or null for a SELECT (consumed: it only moves the db). */
    private Command command(List<byte[]> argv) throws RedkitException {
        byte[] name = argv.get(0);
        long off = resp.commandOffset();
        String file = parts.get(partIndex).name();
        if (is(name, SELECT)) {
            if (argv.size() != 2) {
                throw new RedkitException(ErrorKind.BAD_FORMAT, file, off, "SELECT",
                        argv.size() - 1 + " arguments (expected 1)");
            }
            db = parseDb(argv.get(1), file, off);
            if (multiStart < 0) {
                safeOffset = resp.offset();
            }
            return null;
        }
        if (is(name, MULTI)) {
            if (multiStart >= 0) {
                throw new RedkitException(ErrorKind.BAD_FORMAT, file, off, "transaction",
                        "MULTI inside the MULTI at offset " + multiStart);
            }
            multiStart = off;
        } else if (is(name, EXEC)) {
            if (multiStart < 0) {
                throw new RedkitException(ErrorKind.BAD_FORMAT, file, off, "transaction", "EXEC without MULTI");
            }
            multiStart = -1;
        }
        if (multiStart < 0) {
            safeOffset = resp.offset();
        }
        return new Command(db, argv, resp.timestampS(), off);
    }

    private static int parseDb(byte[] v, String file, long off) throws RedkitException {
        if (v.length == 0 || v.length > 9) {
            throw new RedkitException(ErrorKind.BAD_FORMAT, file, off, "SELECT", "bad db index");
        }
        int n = 0;
        for (byte b : v) {
            if (b < '0' || b > '9') {
                throw new RedkitException(ErrorKind.BAD_FORMAT, file, off, "SELECT", "bad db index");
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }

    private static boolean is(byte[] name, byte[] upper) {
        if (name.length != upper.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            int c = name[i];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if (c != upper[i]) {
                return false;
            }
        }
        return true;
    }

    /** Opens the next part and decides by its first bytes whether it starts with an RDB; false when none is left. */
    private boolean openNextPart() throws IOException {
        if (partIndex + 1 >= parts.size()) {
            return false;
        }
        partIndex++;
        Part p = parts.get(partIndex);
        InputStream raw = p.opener().open();
        current = raw;
        byte[] head = new byte[6];
        int n = 0;
        while (n < head.length) {
            int r = raw.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(head, 0, n), raw);
        db = 0;
        multiStart = -1;
        lastRdbEndInPart = false;
        // with rdbBegin the caller has decided the stream is an RDB: the RDB reader names bad magic
        if ((rdbBegin && partIndex == 0) || startsWith(head, n, "REDIS") || startsWith(head, n, "VALKEY")) {
            rdb = RdbReader.builder(in, p.name())
                    .limits(options.limits())
                    .allowFutureVersion(options.allowFutureVersion())
                    .captureRawPayload(options.captureRawPayload())
                    .skipEmptyKeys(options.skipEmptyKeys())
                    .build();
            resp = null;
            // the Begin of an RDB part after the first is dropped by advance()
            state = State.RDB;
        } else {
            rdb = null;
            startResp(in, 0);
        }
        return true;
    }

    private void startResp(InputStream in, long offset) {
        resp = new RespCommandReader(in, parts.get(partIndex).name(), offset, options.limits());
        respStart = offset;
        safeOffset = offset;
        rdb = null;
        state = State.RESP;
    }

    private static boolean startsWith(byte[] head, int n, String magic) {
        if (n < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (head[i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private End endEvent(long offset) {
        return lastRdbEnd == null ? new End(0, false, offset)
                : new End(lastRdbEnd.checksum(), lastRdbEnd.checksumVerified(), offset);
    }

    private RedkitException unexpected(Exception e) {
        Position pos = position();
        return new RedkitException(ErrorKind.BAD_FORMAT, pos == null ? sourceName : pos.file(),
                pos == null ? -1 : pos.offset(), "AOF", "unexpected " + e, e);
    }

    private void closeQuietly() {
        InputStream c = current;
        current = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the data was read in full; a failing close changes nothing for the reader
            }
        }
    }

    @Override
    public String toString() {
        return "AofReader[" + sourceName + ", files " + Arrays.toString(files().toArray()) + "]";
    }
}
