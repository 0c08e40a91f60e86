package io.redkit.verify;

import io.redkit.aof.AofManifest;
import io.redkit.aof.AofReader;
import io.redkit.aof.SourceOptions;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Begin;
import io.redkit.core.event.Command;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.rdb.io.Compression;
import io.redkit.rdb.io.Inputs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Repairs of an AOF (a single file, or a multi-part directory or its manifest), written as a copy
 * unless asked otherwise: {@link #fix} cuts a last command that was only partly written (what
 * {@code redis-check-aof --fix} does); {@link #truncateToTimestamp} keeps only the commands up to a
 * time, for a point-in-time restore. Cuts fall between whole commands, never inside a MULTI/EXEC.
 */
public final class AofRepair {
    private AofRepair() {
    }

    /**
     * What a repair did.
     *
     * @param changed       false when there was nothing to cut (no copy is written then)
     * @param file          the file that was cut, as named in messages (null when unchanged)
     * @param cutOffset     where it was cut: its new length (-1 when unchanged)
     * @param bytesDropped  bytes removed from it, plus the whole size of files left out after it
     * @param commandsKept  commands kept in the files read
     * @param filesDropped  names of later files left out (a point-in-time cut before them)
     * @param written       the repaired copy, or the repaired input itself in place
     * @param backup        the backup of the cut file when repaired in place, else null
     */
    public record Outcome(boolean changed, String file, long cutOffset, long bytesDropped, long commandsKept,
                          List<String> filesDropped, Path written, Path backup) {
    }

    /** A scan of one file: its failure, where it can be cut, how many commands it kept. */
    private record Scan(RedkitException error, long cut, long commands, long size) {
    }

    /** The files of an input in load order, and the manifest when it is a directory. */
    private record Layout(Path dir, Path manifest, AofManifest parsed, List<Path> files) {
        boolean isDir() {
            return dir != null;
        }
    }

    /**
     * Writes to {@code output} a copy of {@code input} whose truncated last command is cut off. Only a
     * truncation of the last file is repaired; any other problem is thrown as it was found.
     *
     * @throws FileAlreadyExistsException when {@code output} exists
     */
    public static Outcome fix(Path input, Path output, SourceOptions options) throws IOException {
        Layout l = layout(input);
        Cut c = findTruncation(l, options);
        if (c == null) {
            return new Outcome(false, null, -1, 0, commandsOf(l, options), List.of(), null, null);
        }
        write(l, c, output);
        return new Outcome(true, shown(l, c.index), c.offset, c.dropped, c.commands, List.of(), output, null);
    }

    /**
     * Repairs {@code input} where it is: the file to cut is first copied to {@code FILE.bak} (which must
     * not exist), then truncated.
     */
    public static Outcome fixInPlace(Path input, SourceOptions options) throws IOException {
        Layout l = layout(input);
        Cut c = findTruncation(l, options);
        if (c == null) {
            return new Outcome(false, null, -1, 0, commandsOf(l, options), List.of(), null, null);
        }
        Path target = l.files().get(c.index);
        Path backup = target.resolveSibling(target.getFileName() + ".bak");
        Files.copy(target, backup);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.truncate(c.offset);
            ch.force(true);
        }
        return new Outcome(true, shown(l, c.index), c.offset, c.dropped, c.commands, List.of(), input, backup);
    }

    /**
     * Writes to {@code output} a copy of {@code input} holding only the commands up to unix time
     * {@code timestampS}: the cut is made before the first command annotated with a later
     * {@code #TS:}, and later increment files are left out of the copy and its manifest. The input
     * must read without error.
     */
    public static Outcome truncateToTimestamp(Path input, Path output, long timestampS, SourceOptions options)
            throws IOException {
        Layout l = layout(input);
        long kept = 0;
        for (int i = 0; i < l.files().size(); i++) {
            Scan s = scan(l.files().get(i), shown(l, i), options, timestampS);
            if (s.error() != null) {
                throw s.error();
            }
            kept += s.commands();
            if (s.cut() >= 0) {
                long dropped = s.size() - s.cut();
                List<String> later = new ArrayList<>();
                for (int k = i + 1; k < l.files().size(); k++) {
                    later.add(shown(l, k));
                    dropped += Files.size(l.files().get(k));
                }
                // every later file must still read cleanly: a point in time is no reason to hide damage
                for (int k = i + 1; k < l.files().size(); k++) {
                    Scan rest = scan(l.files().get(k), shown(l, k), options, Long.MAX_VALUE);
                    if (rest.error() != null) {
                        throw rest.error();
                    }
                }
                Cut c = new Cut(i, s.cut(), dropped, kept);
                write(l, c, output);
                return new Outcome(true, shown(l, i), s.cut(), dropped, kept, later, output, null);
            }
        }
        return new Outcome(false, null, -1, 0, kept, List.of(), null, null);
    }

    /** Where to cut: file {@code index} of the layout at {@code offset}; later files are left out. */
    private record Cut(int index, long offset, long dropped, long commands) {
    }

    private static Cut findTruncation(Layout l, SourceOptions options) throws IOException {
        long kept = 0;
        int last = l.files().size() - 1;
        for (int i = 0; i <= last; i++) {
            Scan s = scan(l.files().get(i), shown(l, i), options, Long.MAX_VALUE);
            kept += s.commands();
            RedkitException e = s.error();
            if (e == null) {
                continue;
            }
            if (e.kind() != ErrorKind.TRUNCATED || s.cut() < 0) {
                throw e;
            }
            if (i != last) {
                throw new RedkitException(ErrorKind.TRUNCATED, e.source(), e.offset(), "repair",
                        "only the last file of an AOF can be cut (the server stops at a truncated file before it): "
                                + e.getMessage());
            }
            return new Cut(i, s.cut(), s.size() - s.cut(), kept);
        }
        return null;
    }

    private static long commandsOf(Layout l, SourceOptions options) throws IOException {
        long n = 0;
        for (int i = 0; i < l.files().size(); i++) {
            n += scan(l.files().get(i), shown(l, i), options, Long.MAX_VALUE).commands();
        }
        return n;
    }

    /**
     * Reads one file; stops at its first command annotated after {@code limitS} (its cut is where that
     * command, or the MULTI it is in, starts) or at an error (its cut is after the last whole command,
     * -1 when the error is inside an RDB part).
     */
    private static Scan scan(Path file, String shown, SourceOptions options, long limitS) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), Inputs.BUFFER_SIZE)) {
            AofReader r = AofReader.openStream(in, shown, options, false);
            long commands = 0;
            boolean sawRdb = false;
            try {
                while (true) {
                    AofReader.Position safe = r.safeCutPosition();
                    Event e = r.next();
                    if (e == null) {
                        return new Scan(null, -1, commands, size);
                    }
                    if (e.kind() == EventKind.COMMAND) {
                        Command c = (Command) e;
                        if (c.timestampS() > limitS) {
                            // before the first RESP command of a file the cut is its start, or the command itself after an RDB part
                            long cut = safe != null ? safe.offset() : sawRdb ? c.offset() : 0;
                            return new Scan(null, cut, commands, size);
                        }
                        commands++;
                    } else if (e.kind() != EventKind.BEGIN || ((Begin) e).rdbVersion() >= 0) {
                        sawRdb |= e.kind() != EventKind.END;
                    }
                }
            } catch (RedkitException e) {
                AofReader.Position safe = r.safeCutPosition();
                return new Scan(e, safe == null ? -1 : safe.offset(), commands, size);
            }
        }
    }

    private static Layout layout(Path input) throws IOException {
        if (Files.isDirectory(input)) {
            Path manifest = AofReader.findManifest(input);
            return layoutOf(input, manifest);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input))) {
            if (Inputs.peek(in) != Compression.NONE) {
                throw new RedkitException(ErrorKind.UNSUPPORTED, input.toString(), -1, "repair",
                        "the input is compressed: decompress it first (a repair writes plain files)");
            }
            byte[] head = new byte[512];
            int n = Streams.peek(in, head);
            if (Verifier.isManifest(head, n)) {
                Path dir = input.toAbsolutePath().getParent();
                return layoutOf(dir, input);
            }
        }
        return new Layout(null, null, null, List.of(input));
    }

    private static Layout layoutOf(Path dir, Path manifest) throws IOException {
        AofManifest m = AofManifest.read(manifest);
        List<Path> files = new ArrayList<>();
        for (AofManifest.Entry e : m.loadOrder()) {
            Path p = dir.resolve(e.fileName());
            if (!Files.isRegularFile(p)) {
                throw new RedkitException(ErrorKind.MISSING_FILE, p.toString(), -1,
                        "listed at line " + e.line() + " of " + manifest, "no such file");
            }
            files.add(p);
        }
        return new Layout(dir, manifest, m, files);
    }

    private static String shown(Layout l, int index) {
        return l.files().get(index).toString();
    }

    /**
     * Writes the cut copy: for a single file, its first {@code cut.offset} bytes; for a directory, a
     * new directory with every other file copied, the cut file shortened, later files left out and a
     * manifest listing what is left (history entries are dropped: the copy is for loading).
     */
    private static void write(Layout l, Cut cut, Path output) throws IOException {
        if (Files.exists(output)) {
            throw new FileAlreadyExistsException(output.toString(), null, "the output exists");
        }
        if (!l.isDir()) {
            Path tmp = output.resolveSibling(output.getFileName() + ".tmp-redkit");
            copyPrefix(l.files().get(0), tmp, cut.offset);
            Files.move(tmp, output);
            return;
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".tmp-redkit");
        Files.createDirectory(tmp);
        try {
            StringBuilder manifest = new StringBuilder();
            int index = 0;
            for (AofManifest.Entry e : l.parsed().loadOrder()) {
                Path src = l.files().get(index);
                if (index < cut.index) {
                    Files.copy(src, tmp.resolve(e.fileName()));
                } else if (index == cut.index) {
                    copyPrefix(src, tmp.resolve(e.fileName()), cut.offset);
                } else {
                    break;
                }
                manifest.append("file ").append(quote(e.fileName())).append(" seq ").append(e.seq())
                        .append(" type ").append(e.type() == AofManifest.Type.BASE ? 'b' : 'i').append('\n');
                index++;
            }
            Files.writeString(tmp.resolve(l.manifest().getFileName()), manifest, StandardCharsets.UTF_8);
            Files.move(tmp, output);
        } catch (IOException | RuntimeException e) {
            deleteDir(tmp);
            throw e;
        }
    }

    private static void copyPrefix(Path src, Path dst, long length) throws IOException {
        try (InputStream in = Files.newInputStream(src);
             OutputStream out = Files.newOutputStream(dst, StandardOpenOption.CREATE_NEW)) {
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException(src + " shrank while being copied");
                }
                out.write(buf, 0, r);
                left -= r;
            }
        }
    }

    /** A manifest token: bare when it is plain, else double-quoted with the characters sdssplitargs unescapes. */
    static String quote(String name) {
        boolean plain = !name.isEmpty();
        for (int i = 0; i < name.length() && plain; i++) {
            char c = name.charAt(i);
            plain = c > ' ' && c < 0x7F && c != '"' && c != '\'' && c != '\\';
        }
        if (plain) {
            return name;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.append('"').toString();
    }

    private static void deleteDir(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a half-written temporary copy stays behind under a name that says so
        }
    }
}
