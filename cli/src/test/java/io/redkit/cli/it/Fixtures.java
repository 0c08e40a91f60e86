package io.redkit.cli.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Selection of fixture files from the shared corpus for the integration tests. */
public final class Fixtures {
    /**
     * Files a stock redis-server refuses although their expected content exists: they carry MODULE_AUX
     * data of a module (testrdb) that the generator had loaded.
     */
    private static final Set<String> NEED_A_MODULE = Set.of("rdbtools-redis_60_with_module_aux.rdb");

    private Fixtures() {
    }

    /** RDB version from a {@code REDIS} + 4 digits header, or -1 for any other header. */
    public static int redisRdbVersion(Path rdb) throws IOException {
        byte[] h;
        try (InputStream in = Files.newInputStream(rdb)) {
            h = in.readNBytes(9);
        }
        if (h.length < 9 || !new String(h, 0, 5, StandardCharsets.ISO_8859_1).equals("REDIS")) {
            return -1;
        }
        String digits = new String(h, 5, 4, StandardCharsets.ISO_8859_1);
        return digits.matches("[0-9]{4}") ? Integer.parseInt(digits) : -1;
    }

    /** The {@code NAME.expected.jsonl} next to {@code NAME.rdb}. */
    public static Path expectedJsonl(Path rdb) {
        String n = rdb.getFileName().toString();
        return rdb.resolveSibling(n.substring(0, n.length() - ".rdb".length()) + ".expected.jsonl");
    }

    /**
     * Fixtures of {@code rdb/} a stock Redis 7.0 loads: REDIS magic, version at most 10, an
     * {@code .expected.jsonl} (a server loaded it) holding no module key, and no module aux data. Sorted by name.
     */
    public static List<Path> loadableByRedis70(Path fixtures) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(fixtures.resolve("rdb"), "*.rdb")) {
            for (Path f : ds) {
                int v = redisRdbVersion(f);
                Path exp = expectedJsonl(f);
                if (v < 1 || v > 10 || !Files.isRegularFile(exp) || hasModuleKey(exp)
                        || NEED_A_MODULE.contains(f.getFileName().toString())) {
                    continue;
                }
                out.add(f);
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean hasModuleKey(Path jsonl) throws IOException {
        try (InputStream in = Files.newInputStream(jsonl)) {
            JsonScanner s = new JsonScanner(in, 1 << 10);
            JsonScanner.Token t;
            while ((t = s.next()) != JsonScanner.Token.EOF) {
                if (t != JsonScanner.Token.START_OBJECT) {
                    throw new IOException(jsonl + ": a line is not an object");
                }
                while ((t = s.next()) == JsonScanner.Token.FIELD) {
                    String name = s.text();
                    JsonScanner.Token v = s.next();
                    if (name.equals("type") && v == JsonScanner.Token.STRING && s.text().equals("module")) {
                        return true;
                    }
                    s.skip(v);
                }
            }
        }
        return false;
    }
}
