package io.redkit.cli.shell;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints one value as people read it: a string as text (binary bytes escaped), a collection as an aligned table.
 * Paged: only the first {@code page} rows (or string bytes) are kept and printed, the rest counted and announced
 * as {@code -- more (N) --}. Unpaged ({@code get KEY --all}) rows are printed in aligned batches as they come, so
 * a big value never sits in memory whole.
 */
final class ValueView {
    /** Cells wider than this are cut (the last column is never cut when unpaged). */
    static final int MAX_CELL = 80;
    /** String bytes shown by a paged {@code get}. */
    static final int STRING_PAGE = 1024;
    /** Rows per aligned batch when unpaged. */
    static final int BATCH = 1000;

    private final PrintWriter out;
    private final Style style;
    private final long page;
    private final long stringPage;
    private String[] header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long shown;
    private long hidden;
    private long stringShown;
    private long stringHidden;
    private final StringBuilder text = new StringBuilder();

    /**
     * @param page rows to show, or {@code Long.MAX_VALUE} for all
     * @param stringPage string bytes to show, or {@code Long.MAX_VALUE} for all
     */
    ValueView(PrintWriter out, Style style, long page, long stringPage) {
        this.out = out;
        this.style = style;
        this.page = page;
        this.stringPage = stringPage;
    }

    /** Column names of the table. */
    void header(String... names) {
        header = names;
    }

    /** True while another row would be shown; when false, count rows with {@link #skip} instead. */
    boolean wants() {
        return shown < page;
    }

    /** Adds a row of display cells. */
    void row(String... cells) {
        if (!wants()) {
            hidden++;
            return;
        }
        rows.add(cells);
        shown++;
        if (page == Long.MAX_VALUE && rows.size() >= BATCH) {
            flushRows();
        }
    }

    /** Counts rows that are not shown. */
    void skip(long count) {
        hidden += count;
    }

    /** How many characters of a cell are worth converting: paged cells are cut at {@link #MAX_CELL} anyway. */
    int cellLimit() {
        return page == Long.MAX_VALUE ? Integer.MAX_VALUE : MAX_CELL + 1;
    }

    /** Rows shown so far plus rows skipped. */
    long rowCount() {
        return shown + hidden;
    }

    /** Appends bytes of a string value. */
    void string(byte[] b) {
        long room = stringPage - stringShown;
        if (room <= 0) {
            stringHidden += b.length;
            return;
        }
        int take = (int) Math.min(room, b.length);
        text.append(Text.show(b, 0, take, Integer.MAX_VALUE));
        stringShown += take;
        stringHidden += b.length - take;
        if (stringPage == Long.MAX_VALUE && text.length() > 1 << 16) {
            out.print(text);
            text.setLength(0);
        }
    }

    /** Counts string bytes that are not shown. */
    void moreString(long n) {
        stringHidden += n;
    }

    /** A line printed after the table (stream groups, field TTLs). */
    void note(String line) {
        notes.add(line);
    }

    /** Prints what is left. */
    void finish() {
        if (text.length() > 0 || (header == null && rows.isEmpty() && stringShown == 0 && stringHidden == 0)) {
            out.println(text);
            text.setLength(0);
        } else if (stringShown > 0 || stringHidden > 0) {
            out.println();
        }
        if (stringHidden > 0) {
            out.println(style.dim("-- more (" + stringHidden + " bytes) --"));
        }
        flushRows();
        if (hidden > 0) {
            out.println(style.dim("-- more (" + hidden + ") --"));
        }
        for (String n : notes) {
            out.println(n);
        }
        out.flush();
    }

    private void flushRows() {
        if (header == null || rows.isEmpty()) {
            return;
        }
        int cols = header.length;
        int[] w = new int[cols];
        boolean cut = page != Long.MAX_VALUE;
        for (int c = 0; c < cols; c++) {
            w[c] = header[c].length();
        }
        for (String[] r : rows) {
            for (int c = 0; c < cols && c < r.length; c++) {
                r[c] = clip(r[c], cut || c < cols - 1);
                w[c] = Math.max(w[c], width(r[c]));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cols; c++) {
            sb.append(style.bold(header[c]));
            if (c < cols - 1) {
                pad(sb, w[c] - header[c].length() + 2);
            }
        }
        out.println(sb.toString().stripTrailing());
        for (String[] r : rows) {
            sb.setLength(0);
            for (int c = 0; c < cols; c++) {
                String v = c < r.length ? r[c] : "";
                sb.append(v);
                if (c < cols - 1) {
                    pad(sb, w[c] - width(v) + 2);
                }
            }
            out.println(sb.toString().stripTrailing());
        }
        rows.clear();
    }

    private static String clip(String s, boolean cut) {
        if (!cut || s.codePointCount(0, s.length()) <= MAX_CELL) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, MAX_CELL - 3)) + "...";
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    private static void pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }
}
