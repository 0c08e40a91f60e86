package io.redkit.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a replica stands in a master's stream: the replication id, the offset of the last byte
 * applied, and the db selected at that point (the master does not repeat SELECT after a partial
 * resync). Resuming sends {@code PSYNC replid offset+1}.
 *
 * @param replid 40 hex characters
 * @param offset the replication offset after the last applied command
 * @param db     the selected db at that offset
 */
public record ReplicationPosition(String replid, long offset, int db) {
    /** Validates the fields. */
    public ReplicationPosition {
        if (!isReplid(replid)) {
            throw new IllegalArgumentException("replication id must be 40 hex characters");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset " + offset + " is negative");
        }
        if (db < 0) {
            throw new IllegalArgumentException("db " + db + " is negative");
        }
    }

    /** Parses {@code ID:OFFSET} or {@code ID:OFFSET:DB} (the db defaults to 0). */
    public static ReplicationPosition parse(String s) {
        String[] p = s.trim().split(":");
        if (p.length < 2 || p.length > 3) {
            throw new IllegalArgumentException("expected ID:OFFSET[:DB], found '" + s + "'");
        }
        try {
            return new ReplicationPosition(p[0], Long.parseLong(p[1]), p.length == 3 ? Integer.parseInt(p[2]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected ID:OFFSET[:DB] with numbers, found '" + s + "'");
        }
    }

    /** True for 40 characters of [0-9a-f] (either case). */
    public static boolean isReplid(String s) {
        if (s == null || s.length() != 40) {
            return false;
        }
        for (int i = 0; i < 40; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** The checkpoint in {@code file}, or null when there is none yet. */
    public static ReplicationPosition read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes this position to {@code file} atomically: a synced temporary file renamed over it, so
     * a crash leaves either the old or the new checkpoint.
     */
    public void write(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(toString().concat("\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return replid + ":" + offset + ":" + db;
    }
}
