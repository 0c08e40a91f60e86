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

    /** An archive entry's stream: closing it must not close the archive. */
    static final class Unclosable extends FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
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
