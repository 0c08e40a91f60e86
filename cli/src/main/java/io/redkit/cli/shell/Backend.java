package io.redkit.cli.shell;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** What the shell browses: an indexed file or engine, or a live server. Used from one thread. */
interface Backend extends Closeable {
    /** One key's metadata as the shell shows it. */
    record KeyMeta(int db, byte[] key, String type, long expireAtMs, long memory) {
    }

    /** Receives keys; returns false to stop. */
    @FunctionalInterface
    interface KeyVisitor {
        boolean visit(byte[] key) throws IOException;
    }

    /** Receives key metadata; returns false to stop. */
    @FunctionalInterface
    interface MetaVisitor {
        boolean visit(KeyMeta meta) throws IOException;
    }

    /** A short name of the source for the prompt and messages. */
    String name();

    /** Label and value pairs for {@code info}. */
    List<String[]> info() throws IOException;

    /** The key's metadata, or null when there is no such key. */
    KeyMeta meta(int db, byte[] key) throws IOException;

    /** Keys of {@code db} matching the glob {@code pattern} (null: all), in key order where the source has one. */
    void keys(int db, byte[] pattern, KeyVisitor v) throws IOException;

    /**
     * Metadata of every key of {@code db} (with memory estimates) for {@code top} and {@code prefix}.
     *
     * @return a note when only part of the keys was visited (a live server is sampled), else null
     */
    String metas(int db, MetaVisitor v) throws IOException;

    /**
     * Writes the value of the key into the view; false when there is no such key.
     *
     * @param all the whole value is wanted ({@code get KEY --all}), not only the page the view shows
     */
    boolean value(int db, byte[] key, ValueView view, boolean all) throws IOException;

    /** Up to {@code max} keys of {@code db} starting with {@code prefix}, for completion. */
    List<byte[]> complete(int db, byte[] prefix, int max) throws IOException;
}
