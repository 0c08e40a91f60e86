package io.redkit.formats.json;

import io.redkit.core.Bytes;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * An external sort of rendered lines by (db, key bytes, arrival). Lines are held in memory up to
 * a byte budget; a full buffer is sorted and spilled to a run file, and {@link #drain} merges the
 * runs, so output of any size needs only the budget plus one line per run.
 */
final class SortedLines implements Closeable {
    /** Receives the merged lines in order. */
    interface LineConsumer {
        void line(byte[] line) throws IOException;
    }

    /** Per-record bookkeeping counted against the budget besides the bytes themselves. */
    private static final long RECORD_OVERHEAD = 96;

    private static final Comparator<Rec> ORDER = (a, b) -> {
        int c = Integer.compare(a.db, b.db);
        if (c != 0) {
            return c;
        }
        c = Bytes.compare(a.key, b.key);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    };

    private record Rec(int db, byte[] key, long seq, byte[] line) {
    }

    private final long budget;
    private final Path tempDir;
    private final List<Rec> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private long used;
    private long seq;

    SortedLines(long budget, Path tempDir) {
        this.budget = budget;
        this.tempDir = tempDir;
    }

    /** Number of spilled runs so far (for tests). */
    int runCount() {
        return runs.size();
    }

    /**
     * Adds a line. Lines that are not keys pass {@code Integer.MIN_VALUE} as db and an empty key,
     * so they come first, in arrival order.
     */
    void add(int db, byte[] key, byte[] line) throws IOException {
        buffer.add(new Rec(db, key, seq++, line));
        used += line.length + key.length + RECORD_OVERHEAD;
        if (used >= budget) {
            spill();
        }
    }

    /** Writes every line in order, then deletes the runs. */
    void drain(LineConsumer out) throws IOException {
        buffer.sort(ORDER);
        if (runs.isEmpty()) {
            for (Rec r : buffer) {
                out.line(r.line);
            }
            buffer.clear();
            return;
        }
        PriorityQueue<Source> pq = new PriorityQueue<>((a, b) -> ORDER.compare(a.head, b.head));
        List<Source> all = new ArrayList<>();
        try {
            for (Path p : runs) {
                Source s = new RunSource(p);
                all.add(s);
                if (s.advance()) {
                    pq.add(s);
                }
            }
            Source mem = new MemSource(buffer);
            if (mem.advance()) {
                pq.add(mem);
            }
            while (!pq.isEmpty()) {
                Source s = pq.poll();
                out.line(s.head.line);
                if (s.advance()) {
                    pq.add(s);
                }
            }
        } finally {
            for (Source s : all) {
                s.close();
            }
            buffer.clear();
            close();
        }
    }

    @Override
    public void close() throws IOException {
        buffer.clear();
        IOException first = null;
        for (Path p : runs) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        runs.clear();
        if (first != null) {
            throw first;
        }
    }

    private void spill() throws IOException {
        buffer.sort(ORDER);
        Path p = tempDir == null ? Files.createTempFile("redkit-sort", ".run")
                : Files.createTempFile(tempDir, "redkit-sort", ".run");
        runs.add(p);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p), 1 << 16))) {
            for (Rec r : buffer) {
                out.writeInt(r.db);
                out.writeInt(r.key.length);
                out.write(r.key);
                out.writeLong(r.seq);
                out.writeInt(r.line.length);
                out.write(r.line);
            }
        }
        buffer.clear();
        used = 0;
    }

    private abstract static class Source implements Closeable {
        Rec head;

        abstract boolean advance() throws IOException;

        @Override
        public void close() throws IOException {
        }
    }

    private static final class MemSource extends Source {
        private final List<Rec> recs;
        private int i;

        MemSource(List<Rec> recs) {
            this.recs = recs;
        }

        @Override
        boolean advance() {
            if (i >= recs.size()) {
                head = null;
                return false;
            }
            head = recs.get(i++);
            return true;
        }
    }

    private static final class RunSource extends Source {
        private final DataInputStream in;

        RunSource(Path p) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(p), 1 << 16));
        }

        @Override
        boolean advance() throws IOException {
            int db;
            try {
                db = in.readInt();
            } catch (EOFException end) {
                head = null;
                return false;
            }
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            long seq = in.readLong();
            byte[] line = new byte[in.readInt()];
            in.readFully(line);
            head = new Rec(db, key, seq, line);
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
