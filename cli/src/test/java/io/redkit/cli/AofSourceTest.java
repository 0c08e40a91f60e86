package io.redkit.cli;

import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dump and inspect read AOF files, multi-part directories and manifests, decided by content. */
class AofSourceTest {
    /** Exit code, stdout and stderr of one command line. */
    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Redkit.newCommandLine(o, e).execute(args);
        o.flush();
        e.flush();
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String fixture(String relative) {
        return Fixtures.root().resolve(relative).toString();
    }

    @Test
    void dumpJsonlOfAMultiPartDirectoryPrintsKeysAndCommands() {
        Result r = run("dump", "-f", "jsonl", fixture("aof/r70-aof-multi-incr"));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        long commands = r.lines().stream().filter(l -> l.contains("\"command\"")).count();
        long keys = r.lines().stream().filter(l -> l.contains("\"key\"")).count();
        assertTrue(commands > 0, r.out());
        assertTrue(keys > 0, "the RDB base's keys: " + r.out());
        assertTrue(r.out().contains("\"SET\"") || r.out().contains("\"set\""), r.out());
    }

    @Test
    void theManifestReadsLikeItsDirectory() {
        Result dir = run("dump", "-f", "jsonl", fixture("aof/r70-aof-plain"));
        Result manifest = run("dump", "-f", "jsonl", fixture("aof/r70-aof-plain/appendonly.aof.manifest"));
        assertEquals(ExitCodes.OK, manifest.code(), manifest.err());
        assertEquals(dir.out(), manifest.out());
    }

    @Test
    void singleFileAofsWithAndWithoutPreamble() {
        for (String f : new String[] {"aof/redis-rdb-preamble.aof", "aof/replicator-appendonly1.aof"}) {
            Result r = run("dump", "-f", "resp", fixture(f));
            assertEquals(ExitCodes.OK, r.code(), f + ": " + r.err());
            assertTrue(r.out().startsWith("*"), f);
        }
    }

    @Test
    void inspectReadsAnAofDirectory() {
        Result r = run("inspect", fixture("aof/r70-aof-preamble"));
        assertEquals(ExitCodes.OK, r.code(), r.err());
    }

    @Test
    void aCorruptAofNamesTheFileAndOffset() {
        Result r = run("dump", "-f", "jsonl", fixture("corrupt/aof-bad-format-middle"));
        assertEquals(ExitCodes.DATA, r.code(), r.err());
        assertTrue(r.err().contains("appendonly.aof.2.incr.aof") && r.err().contains("1018"), r.err());
    }
}
