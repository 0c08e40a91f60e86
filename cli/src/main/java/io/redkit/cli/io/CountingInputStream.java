package io.redkit.cli.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through and reports how many were read to a {@link Progress}. */
public final class CountingInputStream extends FilterInputStream {
    private final Progress progress;

    /** Counts what is read from {@code in} into {@code progress}. */
    public CountingInputStream(InputStream in, Progress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            progress.addBytes(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            progress.addBytes(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(n);
        if (s > 0) {
            progress.addBytes(s);
        }
        return s;
    }
}
