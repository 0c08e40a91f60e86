package io.redkit.cli;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyStart;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.Fixtures;
import io.redkit.rdb.RdbReader;
import io.redkit.rdb.writer.RdbWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code redkit diff} end to end through the command line: exit codes, both formats, usage errors, man page. */
class DiffCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Redkit.newCommandLine(new PrintStream(out, true), new PrintStream(err, true)).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String mixed() {
        return Fixtures.file("rdb/r70-mixed.rdb").toString();
    }

    /** A copy of r70-mixed whose first hash key has its first field's value replaced; returns the key name. */
    private String changedCopy(Path out) throws IOException {
        String[] key = new String[1];
        try (InputStream is = Files.newInputStream(Path.of(mixed()));
             EventSource r = RdbReader.open(is, "mixed");
             OutputStream os = Files.newOutputStream(out)) {
            RdbWriter w = new RdbWriter(os, RdbWriter.Options.defaults());
            boolean inTarget = false;
            Event e;
            while ((e = r.next()) != null) {
                if (e instanceof KeyStart ks) {
                    inTarget = key[0] == null && ks.header().type() == DataType.HASH && ks.header().db() == 0;
                    if (inTarget) {
                        key[0] = new String(ks.header().key(), StandardCharsets.UTF_8);
                    }
                } else if (inTarget && e instanceof HashFields hf) {
                    List<HashField> fields = new ArrayList<>(hf.fields());
                    HashField f = fields.get(0);
                    fields.set(0, new HashField(f.field(), "CHANGED".getBytes(StandardCharsets.UTF_8), f.expireAtMs()));
                    e = new HashFields(fields, hf.offset());
                    inTarget = false;
                }
                w.accept(e);
            }
            w.close();
        }
        return key[0];
    }

    @Test
    void sameDatasetsExitZero() {
        Run r = run("diff", mixed(), mixed(), "--no-progress");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("same: all 3,108 keys are equal"), r.out);
        assertEquals("", r.err);
    }

    @Test
    void aChangedFieldExitsOneAndIsNamedInBothFormats() throws IOException {
        Path copy = tmp.resolve("copy.rdb");
        String key = changedCopy(copy);
        Run text = run("diff", mixed(), copy.toString(), "--memory-budget", "16k", "--temp-dir", tmp.toString());
        assertEquals(1, text.code, text.err);
        assertTrue(text.out.contains("different: 1 key(s)  (missing 0, extra 0, type 0, value 1, ttl 0; same 3,107)"),
                text.out);
        assertTrue(text.out.contains("value: db 0 '" + key + "' (hash)"), text.out);
        assertTrue(text.out.contains(", B 'CHANGED'"), text.out);

        Run jsonl = run("diff", "-f", "jsonl", mixed(), copy.toString());
        assertEquals(1, jsonl.code, jsonl.err);
        String[] lines = jsonl.out.split("\n");
        assertEquals(2, lines.length, jsonl.out);
        assertTrue(lines[0].contains("\"value\": 1"), lines[0]);
        assertTrue(lines[1].startsWith("{\"diff\": [\"value\"], \"db\": 0, \"key\": \"" + key + "\""), lines[1]);
        assertTrue(lines[1].contains("\"what\": \"field\""), lines[1]);
        assertTrue(lines[1].contains("\"b\": \"CHANGED\""), lines[1]);

        Run filtered = run("diff", mixed(), copy.toString(), "--type", "string", "--type", "list");
        assertEquals(0, filtered.code, filtered.out);
    }

    @Test
    void usageAndInputErrors() {
        assertEquals(2, run("diff", "-", mixed()).code);
        assertEquals(2, run("diff", mixed(), mixed(), "-f", "xml").code);
        assertEquals(2, run("diff", mixed(), mixed(), "--ttl-tolerance", "-1").code);
        assertEquals(2, run("diff", mixed()).code);
        Run missing = run("diff", mixed(), tmp.resolve("nope.rdb").toString());
        assertEquals(3, missing.code, missing.err);
        Run corrupt = run("diff", mixed(), Fixtures.file("corrupt/rdb-bad-magic.rdb").toString());
        assertEquals(1, corrupt.code, corrupt.err);
        assertTrue(corrupt.err.startsWith("redkit: "), corrupt.err);
    }

    @Test
    void manPageNamesEveryOption() throws IOException {
        String root = System.getenv("REDKIT_ROOT");
        Path page = (root != null ? Path.of(root, "man") : Path.of("..", "man")).resolve("redkit-diff.1");
        String text = Files.readString(page).replace("\\-", "-");
        picocli.CommandLine cl = Redkit.newCommandLine(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).getSubcommands().get("diff");
        for (picocli.CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            assertTrue(text.contains(o.longestName()), "redkit-diff.1 does not document " + o.longestName());
        }
    }
}
