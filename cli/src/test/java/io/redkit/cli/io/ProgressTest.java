package io.redkit.cli.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void lineShowsShareRateAndKeys() {
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), 2_000_000);
        p.addBytes(1_000_000);
        for (int i = 0; i < 1234; i++) {
            p.addKey();
        }
        String line = p.line(System.nanoTime());
        assertTrue(line.startsWith("[############............]  50% 1.0 MB / 2.0 MB  "), line);
        assertTrue(line.endsWith(" MB/s  1,234 keys"), line);
    }

    @Test
    void unknownTotalShowsBytesOnly() {
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), -1);
        p.addBytes(3_500_000);
        assertTrue(p.line(System.nanoTime()).startsWith("3.5 MB  "));
    }

    @Test
    void countingStreamFeedsTheBarAndDrawsAtMostTenTimesASecond() throws IOException, InterruptedException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), 1000);
        try (InputStream in = new CountingInputStream(new ByteArrayInputStream(new byte[1000]), p)) {
            in.read(new byte[100]);
            assertEquals("", err.toString(StandardCharsets.UTF_8));
            Thread.sleep(120);
            in.read(new byte[900]);
            in.read();
        }
        String drawn = err.toString(StandardCharsets.UTF_8);
        assertTrue(drawn.startsWith("\r[########################] 100% 0.0 MB / 0.0 MB"), drawn);
        assertEquals(1, drawn.chars().filter(c -> c == '\r').count(), drawn);
        p.finish();
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("\r\033[K"));
    }
}
