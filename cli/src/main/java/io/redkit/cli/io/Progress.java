package io.redkit.cli.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal: bytes read of the total, throughput and keys seen.
 * Fed and redrawn from the reading thread only, at most ten times a second.
 */
public final class Progress {
    private static final long INTERVAL_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final long total;
    private final long startNanos;
    private long nextDraw;
    private long bytes;
    private long keys;
    private boolean drawn;

    /**
     * @param err   the terminal to draw on
     * @param total the input size in bytes, or -1 when unknown (no bar, no percentage)
     */
    public Progress(PrintStream err, long total) {
        this.err = err;
        this.total = total;
        this.startNanos = System.nanoTime();
        this.nextDraw = startNanos + INTERVAL_NANOS;
    }

    /** Counts bytes read from the raw input. */
    public void addBytes(long n) {
        bytes += n;
        maybeDraw();
    }

    /** Counts one key. */
    public void addKey() {
        keys++;
        // keys arrive far more often than reads; the clock is read once per 1024 of them
        if ((keys & 1023) == 0) {
            maybeDraw();
        }
    }

    private void maybeDraw() {
        long now = System.nanoTime();
        if (now >= nextDraw) {
            nextDraw = now + INTERVAL_NANOS;
            err.print('\r' + line(now) + "\033[K");
            err.flush();
            drawn = true;
        }
    }

    /** Clears the line so that what follows on stderr starts clean. */
    public void finish() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    /** The text of the line at time {@code now} (package-visible for tests). */
    String line(long now) {
        double secs = Math.max(1e-9, (now - startNanos) / 1e9);
        StringBuilder sb = new StringBuilder(96);
        if (total > 0) {
            double f = Math.min(1.0, (double) bytes / total);
            int full = (int) (f * BAR_WIDTH);
            sb.append('[');
            for (int i = 0; i < BAR_WIDTH; i++) {
                sb.append(i < full ? '#' : '.');
            }
            sb.append("] ").append(String.format(Locale.ROOT, "%3d%% ", (int) (f * 100)));
            sb.append(mb(bytes)).append(" / ").append(mb(total));
        } else {
            sb.append(mb(bytes));
        }
        sb.append(String.format(Locale.ROOT, "  %.1f MB/s  %,d keys", bytes / 1e6 / secs, keys));
        return sb.toString();
    }

    private static String mb(long b) {
        return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }
}
