package io.redkit.cli.it;

import io.redkit.core.event.Begin;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Dialect;
import io.redkit.core.event.Elements;
import io.redkit.core.event.End;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.SourceKind;
import io.redkit.core.event.StringPart;
import io.redkit.rdb.writer.RdbWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code redkit diff} in a JVM limited to {@code -Xmx64m}: two RDBs of 400,000 keys and a 300,000-member
 * set, whose per-key records alone would take far more than the 4 MB budget given, compared through
 * spilled runs; the three changed keys are named exactly, the set's removed member included.
 */
class DiffBoundedMemoryIT {
    static final int KEYS = 400_000;
    static final int MEMBERS = 300_000;

    @TempDir
    static Path dir;
    static Path a;
    static Path b;

    @BeforeAll
    static void generate() throws IOException {
        ItEnv.redkitJar();
        a = write(dir.resolve("a.rdb"), false);
        b = write(dir.resolve("b.rdb"), true);
    }

    private static byte[] t(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The dataset; {@code changed}: key k:1234 has another value, k:777 a TTL, the set lacks m:150000. */
    private static Path write(Path out, boolean changed) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            RdbWriter w = new RdbWriter(os, RdbWriter.Options.defaults());
            w.accept(new Begin(SourceKind.RDB, "t", Dialect.REDIS, -1, 0));
            for (int i = 0; i < KEYS; i++) {
                long expire = changed && i == 777 ? 4_000_000_000_000L : -1;
                KeyHeader h = new KeyHeader(i % 3, t("k:" + i), DataType.STRING, null, expire, -1, -1, -1, 0);
                w.accept(new KeyStart(h));
                w.accept(new StringPart(t(changed && i == 1234 ? "changed" : "value-" + i), true, 0));
                w.accept(new KeyEnd(h, null, 0));
            }
            KeyHeader set = new KeyHeader(0, t("big:set"), DataType.SET, null, -1, -1, -1, -1, 0);
            w.accept(new KeyStart(set));
            List<byte[]> chunk = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                if (!(changed && i == 150_000)) {
                    chunk.add(t("m:" + i));
                }
                if (chunk.size() == 1000) {
                    w.accept(new Elements(chunk, 0));
                    chunk = new ArrayList<>();
                }
            }
            w.accept(new Elements(chunk, 0));
            w.accept(new KeyEnd(set, null, 0));
            w.accept(new End(0, false, 0));
            w.close();
        }
        return out;
    }

    @Test
    void largeDatasetsCompareInASmallHeap() throws IOException {
        Path tmp = Files.createDirectories(dir.resolve("runs"));
        RedkitCli cli = RedkitCli.withHeap("64m");
        RedkitCli.Result same = cli.run("diff", a.toString(), a.toString(), "--memory-budget", "4m",
                "--temp-dir", tmp.toString(), "--no-progress");
        assertEquals(0, same.exitCode(), same.stderr());
        assertTrue(same.out().contains("same: all 400,001 keys are equal"), same.out());

        RedkitCli.Result r = cli.run("diff", a.toString(), b.toString(), "--memory-budget", "4m",
                "--temp-dir", tmp.toString(), "--no-progress", "-f", "jsonl");
        assertEquals(1, r.exitCode(), r.stderr());
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length, r.out());
        assertTrue(lines[0].contains("\"same\": 399998, \"different\": 3, \"missing\": 0, \"extra\": 0, "
                + "\"type\": 0, \"value\": 2, \"ttl\": 1"), lines[0]);
        // k:777 and big:set are in db 0, k:1234 in db 1
        String all = String.join("\n", lines);
        assertTrue(all.contains("{\"diff\": [\"value\"], \"db\": 0, \"key\": \"big:set\""), all);
        assertTrue(all.contains("{\"what\": \"member\", \"item\": \"m:150000\", \"a\": \"present\", \"b\": null}"),
                all);
        assertTrue(all.contains("{\"diff\": [\"value\"], \"db\": 1, \"key\": \"k:1234\""), all);
        assertTrue(all.contains("\"a\": \"value-1234\", \"b\": \"changed\""), all);
        assertTrue(all.contains("{\"diff\": [\"ttl\"], \"db\": 0, \"key\": \"k:777\""), all);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "spilled runs left behind");
        }
    }
}
