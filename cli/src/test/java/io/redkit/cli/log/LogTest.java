package io.redkit.cli.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redkit.cli.ExitCodes;
import io.redkit.cli.Redkit;
import io.redkit.cli.it.JsonScanner;
import io.redkit.cli.it.RespClient;
import io.redkit.cli.option.LogMixin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The diagnostics facility: JSON line shape, text form, thresholds, the options that choose them. */
class LogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T18:30:01.234Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesHaveTsLevelMsgAndTypedFields() {
        Log log = new Log(err, "redkit", Log.Level.DEBUG, Log.Format.json, CLOCK);
        log.notice("full resync", "offset", 1234L, "replid", "8f3a", "ok", true, "ratio", 0.5, "none", null);
        log.warn("quote \" backslash \\ newline \n tab \t nul \u0000 é");
        List<Object> lines = JsonScanner.parseLines(written());
        assertEquals(2, lines.size(), written());
        String[] raw = written().split("\n");
        assertEquals(2, raw.length, "one message, one line");
        Map<?, ?> first = (Map<?, ?>) lines.get(0);
        assertEquals(List.of("ts", "level", "msg", "fields"), List.copyOf(first.keySet()));
        assertEquals("2026-11-25T18:30:01.234Z", first.get("ts"));
        assertEquals("notice", first.get("level"));
        assertEquals("full resync", first.get("msg"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("offset", 1234L);
        fields.put("replid", "8f3a");
        fields.put("ok", true);
        fields.put("ratio", 0.5);
        fields.put("none", null);
        assertEquals(fields, first.get("fields"));
        Map<?, ?> second = (Map<?, ?>) lines.get(1);
        assertEquals("warn", second.get("level"));
        assertEquals("quote \" backslash \\ newline \n tab \t nul \u0000 é", second.get("msg"));
        assertEquals(Map.of(), second.get("fields"));
    }

    @Test
    void textLinesAndThresholds() {
        Log log = new Log(err, "redkit", Log.Level.NOTICE, Log.Format.text, CLOCK);
        log.error("gone");
        log.warn("connection lost", "retry_ms", 100);
        log.notice("listening", "addr", "127.0.0.1:7379", "note", "two words");
        log.info("hidden by default");
        log.debug("hidden too");
        assertEquals("redkit: error: gone\nredkit: warning: connection lost retry_ms=100\n"
                + "redkit: listening addr=127.0.0.1:7379 note=\"two words\"\n", written());
        assertTrue(log.enabled(Log.Level.NOTICE));
        assertTrue(!log.enabled(Log.Level.INFO));
    }

    @Test
    void linesOfAPrintStreamBecomeMessagesWithoutTheirPrefix() {
        Log log = new Log(err, "redkit kv serve", Log.Level.NOTICE, Log.Format.json, CLOCK);
        PrintStream ps = log.lines(Log.Level.NOTICE);
        ps.println("redkit kv serve: 3 keys loaded; listening on 127.0.0.1:7379");
        ps.print("partial");
        Map<?, ?> m = (Map<?, ?>) JsonScanner.parse(written());
        assertEquals("3 keys loaded; listening on 127.0.0.1:7379", m.get("msg"));
        assertEquals("notice", m.get("level"));
    }

    /** A command with the mixin alone, to see what the options choose. */
    @CommandLine.Command(name = "t")
    static final class Probe implements Runnable {
        @CommandLine.Mixin
        LogMixin logging;

        @Override
        public void run() {
        }
    }

    @Test
    void verboseCountsAndFormatsParse() {
        Probe p = new Probe();
        new CommandLine(p).parseArgs();
        assertEquals(Log.Level.NOTICE, p.logging.threshold());
        assertEquals(Log.Format.text, p.logging.format());
        new CommandLine(p = new Probe()).parseArgs("-v");
        assertEquals(Log.Level.INFO, p.logging.threshold());
        new CommandLine(p = new Probe()).parseArgs("-vv", "--log-format", "json");
        assertEquals(Log.Level.DEBUG, p.logging.threshold());
        assertEquals(Log.Format.json, p.logging.format());
        new CommandLine(p = new Probe()).parseArgs("-vvv");
        assertEquals(Log.Level.DEBUG, p.logging.threshold());
        assertEquals(Log.Level.WARN, captureLevel("connection lost to x; reconnecting in 100 ms"));
        assertEquals(Log.Level.NOTICE, captureLevel("full resync from x"));
    }

    private static Log.Level captureLevel(String notice) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(b, true, StandardCharsets.UTF_8), "redkit", Log.Level.DEBUG, Log.Format.json, CLOCK);
        LogMixin.replicationNotices(log).accept(notice);
        String level = (String) ((Map<?, ?>) JsonScanner.parse(b.toString(StandardCharsets.UTF_8))).get("level");
        return Log.Level.valueOf(level.toUpperCase());
    }

    @Test
    void aFailureIsAJsonLineToo(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Redkit.newCommandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8))
                .execute("migrate", dir.resolve("missing.rdb").toString(), "--to", "kv:" + dir.resolve("kv"),
                        "--log-format", "json");
        assertEquals(ExitCodes.IO, code);
        List<Object> lines = JsonScanner.parseLines(errBytes.toString(StandardCharsets.UTF_8));
        Map<?, ?> last = (Map<?, ?>) lines.get(lines.size() - 1);
        assertEquals("error", last.get("level"), errBytes.toString(StandardCharsets.UTF_8));
        assertTrue(((String) last.get("msg")).contains("missing.rdb"), (String) last.get("msg"));
        assertEquals(Map.of("exit", 3L), last.get("fields"));
    }

    @Test
    void kvServeWritesJsonLinesOnStandardErrorOnly(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Redkit.newCommandLine(
                new PrintStream(out, true, StandardCharsets.UTF_8), errStream)
                .execute("kv", "serve", "--dir", dir.toString(), "--port", "0", "--log-format", "json"));
        Map<?, ?> listening = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (listening == null && System.nanoTime() < deadline && !exit.isDone()) {
            String text = errBytes.toString(StandardCharsets.UTF_8);
            if (text.endsWith("\n")) {
                for (Object o : JsonScanner.parseLines(text)) {
                    Map<?, ?> m = (Map<?, ?>) o;
                    if (((String) m.get("msg")).contains("listening on 127.0.0.1:")) {
                        listening = m;
                    }
                }
            }
            Thread.sleep(20);
        }
        assertTrue(listening != null, "no listening line: " + errBytes.toString(StandardCharsets.UTF_8));
        assertEquals("notice", listening.get("level"));
        String msg = (String) listening.get("msg");
        int port = Integer.parseInt(msg.replaceAll("(?s).*listening on 127\\.0\\.0\\.1:(\\d+).*", "$1"));
        try (RespClient c = new RespClient(port)) {
            c.send("SHUTDOWN");
            c.flush();
        }
        assertEquals(ExitCodes.OK, exit.get(20, TimeUnit.SECONDS));
        assertEquals(0, out.size(), "nothing on standard output");
        for (Object o : JsonScanner.parseLines(errBytes.toString(StandardCharsets.UTF_8))) {
            assertEquals(List.of("ts", "level", "msg", "fields"), List.copyOf(((Map<?, ?>) o).keySet()));
        }
    }
}
