package io.redkit.verify;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Small stream wrappers of the verifier: byte counting, raw-failure tracking, close shielding. */
final class Streams {
    private Streams() {
    }

    /** Counts the bytes passed on; its count is where the reader got to when something failed. */
    static final class Counted extends FilterInputStream {
        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = in.skip(n);
            count += Math.max(0, s);
            return s;
        }

        @Override
        public boolean markSupported() {
            // a reset would make the count lie
            return false;
        }
    }

    /**
     * Remembers whether the raw input itself failed, so that an error further up (decompressor,
     * archive) can be told apart: a disk error is an I/O problem, bad bytes are a data problem.
     */
    static final class Guard extends FilterInputStream {
        boolean failed;

        Guard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /**
     * An archive entry's stream, shut once the entry's verdict is made. A reader may read ahead on a
     * thread of its own and go on after it failed; shutting waits for a read in progress and fails
     * later ones, so the archive is never read by two threads when the next entry is opened.
     * Closing it does not close the archive.
     */
    static final class Gate extends FilterInputStream {
        private boolean shut;

        Gate(InputStream in) {
            super(in);
        }

        @Override
        public synchronized int read() throws IOException {
            check();
            return in.read();
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            check();
            return in.read(b, off, len);
        }

        @Override
        public synchronized long skip(long n) throws IOException {
            check();
            return in.skip(n);
        }

        @Override
        public synchronized int available() throws IOException {
            check();
            return in.available();
        }

        private void check() throws IOException {
            if (shut) {
                throw new IOException("archive entry already verified");
            }
        }

        /** No more reads from the entry, by any thread. */
        synchronized void shut() {
            shut = true;
        }

        @Override
        public void close() {
            // the archive stream owns the bytes; the next entry is read from it
        }
    }

    /** True when an exception from a decoder or archive reader means the data stopped early. */
    static boolean looksTruncated(IOException e) {
        if (e instanceof EOFException) {
            return true;
        }
        String m = e.getMessage();
        return m != null && (m.contains("runcated") || m.contains("nexpected end"));
    }

    /** Reads up to {@code n} bytes from a markable stream and resets it; returns how many were read into {@code head}. */
    static int peek(InputStream markable, byte[] head) throws IOException {
        markable.mark(head.length);
        int n = 0;
        try {
            while (n < head.length) {
                int r = markable.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } finally {
            markable.reset();
        }
        return n;
    }
}
