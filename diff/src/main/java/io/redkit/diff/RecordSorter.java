package io.redkit.diff;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts the records of one side by (db, key) in bounded memory: records are kept on the heap up to a
 * budget, then written out as a sorted run to a temporary file; at the end the runs are merged
 * (in several passes when there are too many to keep open at once). Temporary files are deleted on close.
 */
public final class RecordSorter implements Closeable {
    /** Most runs merged at once: each open run holds a read buffer. */
    static final int MAX_FAN_IN = 64;
    private static final int IO_BUFFER = 64 * 1024;

    private final long budget;
    private final Path tempDir;
    private final String label;
    private final List<DigestRecord> buffer = new ArrayList<>();
    private final List<Path> runs = new ArrayList<>();
    private final List<Path> created = new ArrayList<>();
    private long buffered;
    private long count;
    private boolean finished;

    /**
     * @param budgetBytes heap bytes the in-memory records may take before a run is spilled
     * @param tempDir     where runs go (null: the system temporary directory)
     * @param label       part of the temporary file names (e.g. {@code a} or {@code b})
     */
    public RecordSorter(long budgetBytes, Path tempDir, String label) {
        this.budget = Math.max(1, budgetBytes);
        this.tempDir = tempDir;
        this.label = label;
    }

    /** Adds a record; spills a sorted run when the budget is exceeded. */
    public void add(DigestRecord r) throws IOException {
        if (finished) {
            throw new IllegalStateException("sorter already finished");
        }
        buffer.add(r);
        buffered += r.heapEstimate();
        count++;
        if (buffered > budget) {
            spill();
        }
    }

    /** Drops every record added so far (a source restarted from its beginning). */
    public void reset() throws IOException {
        buffer.clear();
        buffered = 0;
        count = 0;
        runs.clear();
        deleteCreated();
    }

    /** Records added. */
    public long count() {
        return count;
    }

    /** Sorted runs written to disk so far. */
    public int spilledRuns() {
        return created.size();
    }

    /** The records in (db, key) order; call once, after the last {@link #add}. */
    public RecordIterator sorted() throws IOException {
        finished = true;
        buffer.sort(DigestRecord.ORDER);
        if (runs.isEmpty()) {
            List<DigestRecord> list = new ArrayList<>(buffer);
            buffer.clear();
            return new ListIterator(list);
        }
        spill();
        while (runs.size() > MAX_FAN_IN) {
            List<Path> next = new ArrayList<>();
            for (int i = 0; i < runs.size(); i += MAX_FAN_IN) {
                List<Path> group = runs.subList(i, Math.min(runs.size(), i + MAX_FAN_IN));
                Path out = newRun();
                try (MergeIterator m = new MergeIterator(group);
                     DataOutputStream w = writer(out)) {
                    DigestRecord r;
                    while ((r = m.next()) != null) {
                        r.write(w);
                    }
                }
                for (Path p : group) {
                    Files.deleteIfExists(p);
                }
                next.add(out);
            }
            runs.clear();
            runs.addAll(next);
        }
        return new MergeIterator(runs);
    }

    private void spill() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        buffer.sort(DigestRecord.ORDER);
        Path out = newRun();
        try (DataOutputStream w = writer(out)) {
            for (DigestRecord r : buffer) {
                r.write(w);
            }
        }
        runs.add(out);
        buffer.clear();
        buffered = 0;
    }

    private Path newRun() throws IOException {
        Path p = tempDir == null ? Files.createTempFile("redkit-diff-" + label + "-", ".run")
                : Files.createTempFile(tempDir, "redkit-diff-" + label + "-", ".run");
        created.add(p);
        // a run ended by a signal skips close(): the JVM's exit still removes the file
        p.toFile().deleteOnExit();
        return p;
    }

    private static DataOutputStream writer(Path p) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p), IO_BUFFER));
    }

    private void deleteCreated() throws IOException {
        IOException first = null;
        for (Path p : created) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        created.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Deletes the temporary files. */
    @Override
    public void close() throws IOException {
        buffer.clear();
        runs.clear();
        deleteCreated();
    }

    /** Records in order, pulled one at a time. */
    public interface RecordIterator extends Closeable {
        /** The next record, or null after the last. */
        DigestRecord next() throws IOException;
    }

    private static final class ListIterator implements RecordIterator {
        private final List<DigestRecord> list;
        private int i;

        ListIterator(List<DigestRecord> list) {
            this.list = list;
        }

        @Override
        public DigestRecord next() {
            if (i >= list.size()) {
                return null;
            }
            DigestRecord r = list.get(i);
            // let the record go once it has been handed out
            list.set(i++, null);
            return r;
        }

        @Override
        public void close() {
            list.clear();
        }
    }

    /** A k-way merge of sorted run files. */
    private static final class MergeIterator implements RecordIterator {
        private final List<DataInputStream> inputs = new ArrayList<>();
        private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
            int c = DigestRecord.ORDER.compare(a.record, b.record);
            // equal keys come out in run order, which is insertion order
            return c != 0 ? c : Integer.compare(a.run, b.run);
        });

        MergeIterator(List<Path> runs) throws IOException {
            try {
                for (int i = 0; i < runs.size(); i++) {
                    DataInputStream in = new DataInputStream(
                            new BufferedInputStream(Files.newInputStream(runs.get(i)), IO_BUFFER));
                    inputs.add(in);
                    DigestRecord r = DigestRecord.read(in);
                    if (r != null) {
                        heads.add(new Head(r, i));
                    }
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public DigestRecord next() throws IOException {
            Head h = heads.poll();
            if (h == null) {
                return null;
            }
            DigestRecord out = h.record;
            DigestRecord r = DigestRecord.read(inputs.get(h.run));
            if (r != null) {
                heads.add(new Head(r, h.run));
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            for (DataInputStream in : inputs) {
                in.close();
            }
            inputs.clear();
            heads.clear();
        }
    }

    private record Head(DigestRecord record, int run) {
    }

}
