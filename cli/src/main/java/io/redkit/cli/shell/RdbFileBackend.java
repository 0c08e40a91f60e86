package io.redkit.cli.shell;

import io.redkit.aof.SourceOptions;
import io.redkit.aof.Sources;
import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.io.Compression;
import io.redkit.rdb.io.Inputs;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An RDB file browsed through its key index. A value is read back from the file: when the file is not compressed
 * the reader starts at the key's recorded byte offset (the file's 9-byte header followed by the bytes from that
 * offset, so only that key is decoded); otherwise, or when what is found there is not the key, one pass over the
 * file skips every other key's value.
 */
final class RdbFileBackend extends IndexedBackend {
    /** The RDB header: magic and version digits. */
    private static final int HEADER = 9;

    private final Path path;
    private final String name;
    private final SourceOptions options;
    private final Begin begin;
    private final boolean seekable;
    private final String indexNote;
    private long seekReads;
    private long passReads;

    RdbFileBackend(Path path, KeyIndex index, Begin begin, SourceOptions options, String indexNote) throws IOException {
        super(index);
        this.path = path;
        this.name = path.toString();
        this.options = options;
        this.begin = begin;
        this.indexNote = indexNote;
        this.seekable = begin != null && compression(path) == Compression.NONE
                // RDB 15 hash templates are file state read before the keys: a key alone cannot be decoded
                && (begin.dialect() == Dialect.VALKEY || begin.rdbVersion() < 15);
    }

    static Compression compression(Path p) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 64)) {
            return Inputs.peek(in);
        }
    }

    @Override
    public String name() {
        return path.getFileName().toString();
    }

    @Override
    List<String[]> sourceInfo() throws IOException {
        List<String[]> out = new ArrayList<>();
        out.add(new String[]{"source", name});
        out.add(new String[]{"format", begin == null ? "RDB"
                : "RDB version " + begin.rdbVersion() + (begin.dialect() == Dialect.VALKEY ? " (Valkey)" : "")});
        long size = Files.size(path);
        out.add(new String[]{"size", Text.human(size) + " (" + size + " bytes)"
                + (seekable ? "" : ", compressed or not seekable: values are found by reading the file")});
        out.add(new String[]{"index", indexNote});
        return out;
    }

    /** Values read by seeking to the key, and by a pass over the file (for tests and {@code info}). */
    long[] reads() {
        return new long[]{seekReads, passReads};
    }

    @Override
    public boolean value(int db, byte[] key, ValueView view, boolean all) throws IOException {
        int i = index.find(db, key);
        if (i < 0) {
            return false;
        }
        if (seekable && index.offset(i) >= HEADER && readAt(index.offset(i), key, index.type(i), view)) {
            seekReads++;
            return true;
        }
        passReads++;
        return readByPass(db, key, view);
    }

    private boolean readAt(long offset, byte[] key, DataType type, ValueView view) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // read the header bytes in full
            }
            if (head.hasRemaining() || offset >= ch.size()) {
                return false;
            }
            ch.position(offset);
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(head.array()),
                    new BufferedInputStream(Channels.newInputStream(ch), 1 << 16));
            RdbReader r = RdbReader.builder(in, name)
                    .limits(options.limits())
                    .allowFutureVersion(options.allowFutureVersion())
                    .verifyChecksum(false)
                    .readAhead(false)
                    .build();
            KeyHeader found = null;
            try {
                for (int guard = 0; guard < 4 && found == null; guard++) {
                    Event e = r.next();
                    if (e == null) {
                        return false;
                    }
                    if (e.kind() == EventKind.KEY_START) {
                        found = ((KeyStart) e).header();
                    }
                }
            } catch (IOException e) {
                // not a clean key at the offset (a stale index, or the reader needs earlier state): nothing was
                // shown yet, so the pass over the file answers instead
                return false;
            }
            if (found == null || !Arrays.equals(found.key(), key) || found.type() != type) {
                return false;
            }
            drain(r, new EventValues(view, found.type()));
            return true;
        }
    }

    /** Finds the key by one pass over the file (package-private so tests can compare it with the seek). */
    boolean readByPass(int db, byte[] key, ValueView view) throws IOException {
        try (EventSource src = Sources.open(name, options)) {
            Event e;
            while ((e = src.next()) != null) {
                if (e.kind() != EventKind.KEY_START) {
                    continue;
                }
                KeyHeader h = ((KeyStart) e).header();
                if (h.db() == db && Arrays.equals(h.key(), key)) {
                    drain(src, new EventValues(view, h.type()));
                    return true;
                }
                src.skipValue();
            }
        }
        return false;
    }

    private static void drain(EventSource src, EventValues values) throws IOException {
        Event e;
        while ((e = src.next()) != null && e.kind() != EventKind.KEY_END) {
            values.accept(e);
        }
    }

    @Override
    public void close() {
        // nothing held open between commands
    }
}
