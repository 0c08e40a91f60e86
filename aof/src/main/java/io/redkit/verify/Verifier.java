package io.redkit.verify;

import io.redkit.aof.AofManifest;
import io.redkit.aof.AofReader;
import io.redkit.aof.SourceOptions;
import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Event;
import io.redkit.rdb.io.Inputs;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads inputs to their end and lists every problem found, with file, offset and kind. An input is
 * an RDB file, an AOF file (pure RESP or with an RDB preamble), a multi-part AOF directory or its
 * manifest, or a tar/zip archive holding any of these; any of them may be compressed (recognised by
 * content). An RDB or AOF file stops at its first error (a reader never resynchronises); an AOF
 * directory has every listed file checked even after one fails. Bad content never throws: it is a
 * {@link Problem}; an input that cannot be read is a problem of kind {@link Problem#IO}.
 */
public final class Verifier {
    /** Wraps each raw input stream before decompression, e.g. to count bytes for a progress bar. */
    @FunctionalInterface
    public interface RawHook {
        /** The stream to read instead of {@code raw}; closing it closes {@code raw}. */
        InputStream wrap(InputStream raw) throws IOException;
    }

    /** Tar's {@code ustar} magic is at offset 257 of the first header block. */
    private static final int TAR_MAGIC_AT = 257;
    private static final int PEEK = 512;
    /** Members of a multi-part AOF directory by the names Redis gives them. */
    private static final Pattern AOF_DIR_MEMBER =
            Pattern.compile(".*\\.manifest|.*\\.[0-9]+\\.base\\.(rdb|aof)|.*\\.[0-9]+\\.incr\\.aof");

    private final SourceOptions options;
    private final RawHook hook;

    /** A verifier reading with {@code options} (limits, future versions; empty keys are reported unless skipped). */
    public Verifier(SourceOptions options) {
        this(options, raw -> raw);
    }

    /** A verifier whose raw inputs pass through {@code hook}. */
    public Verifier(SourceOptions options, RawHook hook) {
        this.options = options;
        this.hook = hook;
    }

    /**
     * Verifies one path ({@code -} for standard input): one report, or one per entry and per AOF
     * directory of an archive.
     */
    public List<FileReport> verify(String pathOrDash) {
        String name = Inputs.displayName(pathOrDash);
        boolean stdin = Inputs.isStdin(pathOrDash);
        if (!stdin && Files.isDirectory(Path.of(pathOrDash))) {
            return verifyAnyDirectory(Path.of(pathOrDash), name);
        }
        InputStream raw;
        try {
            raw = hook.wrap(Inputs.openRaw(pathOrDash));
        } catch (IOException e) {
            return List.of(ioReport(name, e));
        }
        try {
            return verifyStream(raw, name, stdin ? null : Path.of(pathOrDash));
        } finally {
            closeQuietly(raw);
        }
    }

    /**
     * Verifies content from a stream the caller opened (raw, possibly compressed). {@code path} is
     * where it came from, needed only when it is a manifest (null otherwise).
     */
    public List<FileReport> verifyStream(InputStream raw, String name, Path path) {
        Streams.Guard guard = new Streams.Guard(raw);
        InputStream in;
        byte[] head = new byte[PEEK];
        int n;
        try {
            in = Inputs.decompress(guard, name);
            n = Streams.peek(in, head);
        } catch (IOException e) {
            return List.of(new FileReport(name, "unknown", 0, List.of(problemOf(e, name, 0, guard)), Facts.empty()));
        }
        if (isTar(head, n)) {
            return verifyArchive(new TarArchiveInputStream(in), name, guard);
        }
        if (isZip(head, n)) {
            // stored entries with a data descriptor (as streaming zip writers make them) can be read too
            return verifyArchive(new ZipArchiveInputStream(in, "UTF-8", true, true), name, guard);
        }
        if (path != null && isManifest(head, n)) {
            Path dir = path.getParent();
            return List.of(verifyDirectory(dir == null ? Path.of(".") : dir,
                    dir == null ? "" : dir.toString(), path));
        }
        return List.of(verifyContent(in, name, guard, head, n));
    }

    /** One RDB or AOF file's content, decompressed and markable, whose first bytes are {@code head[0, n)}. */
    private FileReport verifyContent(InputStream in, String name, Streams.Guard guard, byte[] head, int n) {
        boolean resp = n > 0 && (head[0] == '*' || head[0] == '#');
        Streams.Counted counted = new Streams.Counted(in);
        FactsCollector facts = new FactsCollector();
        List<Problem> problems = new ArrayList<>(1);
        drain(AofReader.openStream(counted, name, options, !resp), name, counted, guard, facts, problems);
        Facts f = facts.facts();
        String format = resp || f.commands() > 0 ? "aof" : "rdb";
        return new FileReport(name, format, counted.count, problems, f);
    }

    /** Reads {@code reader} to its end, adding its events to {@code facts} and its failure, if any, to {@code problems}. */
    private static void drain(AofReader reader, String name, Streams.Counted counted, Streams.Guard guard,
                              FactsCollector facts, List<Problem> problems) {
        try {
            Event e;
            while ((e = reader.next()) != null) {
                facts.accept(e);
            }
        } catch (IOException e) {
            problems.add(problemOf(e, name, counted.count, guard));
        } catch (RuntimeException e) {
            // a bug in a reader, not a property of the file: say so rather than hide it among data problems
            problems.add(new Problem(name, counted.count, Problem.INTERNAL, name + ": internal error (please report): " + e));
        } finally {
            closeQuietly(reader);
        }
    }

    private static Problem problemOf(IOException e, String name, long at, Streams.Guard guard) {
        if (e instanceof RedkitException re) {
            return Problem.of(re);
        }
        if (guard != null && guard.failed) {
            return new Problem(name, -1, Problem.IO, "cannot read " + name + ": " + e.getMessage());
        }
        // an error of a decoder above the raw input (archive, decompressor) is bad data
        ErrorKind kind = Streams.looksTruncated(e) ? ErrorKind.TRUNCATED : ErrorKind.BAD_FORMAT;
        return new Problem(name, at, kind.id(), name + " at offset " + at + ": " + kind.id() + ": " + e.getMessage());
    }

    private static FileReport ioReport(String name, IOException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return new FileReport(name, "unknown", 0, List.of(new Problem(name, -1, Problem.IO, m)), Facts.empty());
    }

    // ---- multi-part AOF directories

    /**
     * A multi-part AOF directory, or a server's data directory: its {@code appendonlydir}, its pre-7.0
     * {@code appendonly.aof} and its {@code *.rdb} files, each reported on its own.
     */
    private List<FileReport> verifyAnyDirectory(Path dir, String shown) {
        List<Path> found;
        try {
            found = manifests(dir);
        } catch (IOException e) {
            return List.of(ioReport(shown, e));
        }
        if (!found.isEmpty()) {
            return List.of(verifyDirectory(dir, shown, null));
        }
        List<FileReport> out = new ArrayList<>();
        Path sub = dir.resolve("appendonlydir");
        if (Files.isDirectory(sub)) {
            out.add(verifyDirectory(sub, join(shown, "appendonlydir"), null));
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "{appendonly.aof,*.rdb}")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            out.add(ioReport(shown, e));
        }
        Collections.sort(files);
        for (Path p : files) {
            out.addAll(verify(p.toString()));
        }
        if (out.isEmpty()) {
            out.add(new FileReport(shown, "aof-dir", 0, List.of(new Problem(shown, -1, ErrorKind.MISSING_FILE.id(),
                    shown + ": missing-file: no *.manifest file (nor appendonlydir, appendonly.aof or *.rdb)")),
                    Facts.empty()));
        }
        return out;
    }

    /**
     * A multi-part AOF directory: the manifest's grammar, every listed file present, exactly one
     * base, then every base and increment file read to its end (each one, even after another failed).
     * {@code shownDir} names the directory in messages; {@code manifest} is null to look it up.
     */
    FileReport verifyDirectory(Path dir, String shownDir, Path manifest) {
        List<Problem> problems = new ArrayList<>();
        FactsCollector facts = new FactsCollector();
        long bytes = 0;
        Path m = manifest;
        if (m == null) {
            List<Path> found;
            try {
                found = manifests(dir);
            } catch (IOException e) {
                return ioReport(shownDir, e);
            }
            if (found.isEmpty()) {
                // a server's data directory: what the server itself would load
                Path sub = dir.resolve("appendonlydir");
                if (Files.isDirectory(sub)) {
                    return verifyDirectory(sub, join(shownDir, "appendonlydir"), null);
                }
                Path old = dir.resolve("appendonly.aof");
                if (Files.isRegularFile(old)) {
                    return verify(old.toString()).get(0);
                }
                problems.add(new Problem(shownDir, -1, ErrorKind.MISSING_FILE.id(),
                        shownDir + ": missing-file: no *.manifest file in the AOF directory"));
                return new FileReport(shownDir, "aof-dir", 0, problems, Facts.empty());
            }
            m = pickManifest(found);
            if (m == null) {
                problems.add(new Problem(shownDir, -1, ErrorKind.BAD_MANIFEST.id(), shownDir
                        + ": bad-manifest: several manifests " + names(found) + " (name one of them)"));
                return new FileReport(shownDir, "aof-dir", 0, problems, Facts.empty());
            }
        }
        String manifestName = join(shownDir, m.getFileName().toString());
        AofManifest parsed;
        try {
            byte[] content = readBounded(m, manifestName);
            bytes += content.length;
            parsed = AofManifest.parse(content, manifestName);
        } catch (RedkitException e) {
            problems.add(Problem.of(e));
            return new FileReport(shownDir, "aof-dir", bytes, problems, Facts.empty());
        } catch (IOException e) {
            return ioReport(manifestName, e);
        }
        if (parsed.base() == null) {
            problems.add(new Problem(manifestName, -1, ErrorKind.BAD_MANIFEST.id(),
                    manifestName + ": bad-manifest: no base file (a line with type b)"));
        }
        List<AofManifest.Entry> present = new ArrayList<>();
        for (AofManifest.Entry e : parsed.loadOrder()) {
            String shown = join(shownDir, e.fileName());
            if (Files.isRegularFile(dir.resolve(e.fileName()))) {
                present.add(e);
            } else {
                problems.add(new Problem(shown, -1, ErrorKind.MISSING_FILE.id(), shown + ": missing-file: listed at line "
                        + e.line() + " of " + manifestName + ", no such file"));
            }
        }
        for (AofManifest.Entry e : present) {
            String shown = join(shownDir, e.fileName());
            InputStream raw;
            try {
                raw = hook.wrap(Files.newInputStream(dir.resolve(e.fileName())));
            } catch (IOException ex) {
                problems.add(new Problem(shown, -1, Problem.IO, "cannot open " + shown + ": " + ex.getMessage()));
                continue;
            }
            try {
                Streams.Guard guard = new Streams.Guard(raw);
                Streams.Counted counted = new Streams.Counted(new BufferedInputStream(guard, Inputs.BUFFER_SIZE));
                drain(AofReader.openStream(counted, shown, options, false), shown, counted, guard, facts, problems);
                bytes += counted.count;
            } finally {
                closeQuietly(raw);
            }
        }
        return new FileReport(shownDir, "aof-dir", bytes, problems, facts.facts());
    }

    private static List<Path> manifests(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.manifest")) {
            for (Path p : ds) {
                // temp- manifests are a rewrite in progress, which the server ignores too
                if (!p.getFileName().toString().startsWith("temp-") && Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        }
        Collections.sort(found);
        return found;
    }

    private static Path pickManifest(List<Path> found) {
        if (found.size() == 1) {
            return found.get(0);
        }
        for (Path p : found) {
            if (p.getFileName().toString().equals("appendonly.aof.manifest")) {
                return p;
            }
        }
        return null;
    }

    private static List<String> names(List<Path> paths) {
        List<String> out = new ArrayList<>();
        for (Path p : paths) {
            out.add(p.getFileName().toString());
        }
        return out;
    }

    private byte[] readBounded(Path file, String shown) throws IOException {
        try (InputStream in = hook.wrap(Files.newInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int r;
            while ((r = in.read(chunk)) >= 0) {
                if (out.size() + r > AofManifest.MAX_SIZE) {
                    throw new RedkitException(ErrorKind.BAD_MANIFEST, shown, -1, "manifest",
                            "larger than " + AofManifest.MAX_SIZE + " bytes");
                }
                out.write(chunk, 0, r);
            }
            return out.toByteArray();
        }
    }

    private static String join(String dir, String file) {
        return dir == null || dir.isEmpty() ? file : dir.endsWith("/") ? dir + file : dir + "/" + file;
    }

    // ---- archives

    /**
     * Every regular file of an archive, verified as it streams past; members of multi-part AOF
     * directories (recognised by Redis's file names) are kept in a temporary directory and checked
     * as a directory once the archive has been read.
     */
    private List<FileReport> verifyArchive(ArchiveInputStream<?> archive, String name, Streams.Guard guard) {
        List<FileReport> out = new ArrayList<>();
        Map<String, Path> aofDirs = new LinkedHashMap<>();
        Path temp = null;
        try {
            ArchiveEntry entry;
            while ((entry = archive.getNextEntry()) != null) {
                if (entry.isDirectory() || (entry instanceof TarArchiveEntry t && !t.isFile())) {
                    continue;
                }
                String entryName = entry.getName();
                String shown = name + "!" + entryName;
                if (!archive.canReadEntryData(entry)) {
                    out.add(new FileReport(shown, "unknown", 0, List.of(new Problem(shown, -1,
                            ErrorKind.UNSUPPORTED.id(), shown + ": unsupported: the archive entry cannot be read "
                            + "(encrypted, or a compression method that cannot be streamed)")), Facts.empty()));
                    continue;
                }
                int slash = entryName.lastIndexOf('/');
                String fileName = entryName.substring(slash + 1);
                if (AOF_DIR_MEMBER.matcher(fileName).matches()) {
                    String group = slash < 0 ? "" : entryName.substring(0, slash);
                    if (temp == null) {
                        temp = Files.createTempDirectory("redkit-verify");
                    }
                    Path dir = aofDirs.get(group);
                    if (dir == null) {
                        dir = Files.createDirectory(temp.resolve(Integer.toString(aofDirs.size())));
                        aofDirs.put(group, dir);
                    }
                    try (OutputStream o = Files.newOutputStream(dir.resolve(fileName))) {
                        archive.transferTo(o);
                    }
                    continue;
                }
                Streams.Gate gate = new Streams.Gate(archive);
                try {
                    out.add(verifyEntry(gate, shown, guard));
                } finally {
                    gate.shut();
                }
            }
        } catch (IOException e) {
            out.add(new FileReport(name, "archive", 0, List.of(problemOf(e, name, -1, guard)), Facts.empty()));
        }
        try {
            for (Map.Entry<String, Path> d : aofDirs.entrySet()) {
                String shown = name + "!" + (d.getKey().isEmpty() ? "." : d.getKey());
                out.add(verifyDirectory(d.getValue(), shown, null));
            }
        } finally {
            deleteTree(temp);
        }
        if (out.isEmpty()) {
            out.add(new FileReport(name, "archive", 0, List.of(new Problem(name, -1, ErrorKind.BAD_FORMAT.id(),
                    name + ": bad-format: the archive holds no file")), Facts.empty()));
        }
        return out;
    }

    private FileReport verifyEntry(InputStream entry, String shown, Streams.Guard guard) {
        InputStream in;
        byte[] head = new byte[PEEK];
        int n;
        try {
            in = Inputs.decompress(entry, shown);
            n = Streams.peek(in, head);
        } catch (IOException e) {
            return new FileReport(shown, "unknown", 0, List.of(problemOf(e, shown, 0, guard)), Facts.empty());
        }
        return verifyContent(in, shown, guard, head, n);
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary copy left behind is untidy, not wrong: the verdict stands
        }
    }

    // ---- content detection

    static boolean isTar(byte[] head, int n) {
        return n >= TAR_MAGIC_AT + 5 && head[TAR_MAGIC_AT] == 'u' && head[TAR_MAGIC_AT + 1] == 's'
                && head[TAR_MAGIC_AT + 2] == 't' && head[TAR_MAGIC_AT + 3] == 'a' && head[TAR_MAGIC_AT + 4] == 'r';
    }

    static boolean isZip(byte[] head, int n) {
        return n >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    /** Like the server's loader: the first line that is not a {@code #} comment starts with {@code file}. */
    static boolean isManifest(byte[] head, int n) {
        int i = 0;
        while (i < n && head[i] == '#') {
            while (i < n && head[i] != '\n') {
                i++;
            }
            i++;
        }
        if (i + 4 > n) {
            return false;
        }
        String w = new String(head, i, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        return w.equalsIgnoreCase("file");
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the verdict is made; a failing close adds nothing to it
        }
    }
}
