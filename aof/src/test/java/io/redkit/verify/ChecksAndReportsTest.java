package io.redkit.verify;

import io.redkit.aof.SourceOptions;
import io.redkit.core.event.DataType;
import io.redkit.rdb.Fixtures;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CI assertions on facts, and the text, JSON and JUnit XML reports. */
class ChecksAndReportsTest {
    private final Verifier verifier = new Verifier(SourceOptions.defaults());

    private FileReport one(String fixture) {
        return verifier.verify(Fixtures.root().resolve(fixture).toString()).get(0);
    }

    private static List<String> kinds(List<Problem> ps) {
        List<String> out = new ArrayList<>();
        for (Problem p : ps) {
            out.add(p.kind());
        }
        return out;
    }

    @Test
    void factsOfAnRdbAndAnAof() {
        FileReport rdb = one("rdb/r70-small.rdb");
        assertEquals(8, rdb.facts().keys());
        assertTrue(rdb.facts().ctimeS() > 1_600_000_000L);
        assertTrue(rdb.facts().types().containsAll(Set.of(DataType.STRING, DataType.LIST, DataType.STREAM)));
        FileReport aof = one("aof/r70-aof-timestamp");
        assertEquals(1795437823L, aof.facts().newestTimestampS());
        assertTrue(aof.facts().commands() > 40);
    }

    @Test
    void emptyStaleAndSuspiciousBackupsFail() {
        FileReport empty = one("rdb/r70-empty.rdb");
        assertTrue(empty.valid());
        Checks minKeys = new Checks(1, null, Set.of(), -1);
        assertEquals(List.of(Checks.MIN_KEYS), kinds(minKeys.apply(empty, Instant.now())));

        FileReport small = one("rdb/r70-small.rdb");
        Instant written = Instant.ofEpochSecond(small.facts().ctimeS());
        Checks age = new Checks(-1, Duration.ofHours(1), Set.of(), -1);
        assertEquals(List.of(), age.apply(small, written.plusSeconds(60)));
        List<Problem> stale = age.apply(small, written.plus(Duration.ofDays(3)));
        assertEquals(List.of(Checks.MAX_AGE), kinds(stale));
        assertTrue(stale.get(0).message().contains("3d old"), stale.get(0).message());

        Checks types = new Checks(-1, null, Set.of(DataType.STRING, DataType.MODULE), -1);
        List<Problem> missing = types.apply(small, Instant.now());
        assertEquals(List.of(Checks.EXPECT_TYPE), kinds(missing));
        assertTrue(missing.get(0).message().contains("module"), missing.get(0).message());

        Checks keyBytes = new Checks(-1, null, Set.of(), 3);
        assertEquals(List.of(Checks.MAX_KEY_BYTES), kinds(keyBytes.apply(small, Instant.now())));
        assertEquals(List.of(), new Checks(-1, null, Set.of(), 1000).apply(small, Instant.now()));

        // the AOF's newest #TS is its time
        FileReport ts = one("aof/r70-aof-timestamp");
        assertEquals(List.of(), age.apply(ts, Instant.ofEpochSecond(1795437823L + 60)));
        // a damaged file is not judged on its incomplete facts
        assertEquals(List.of(), minKeys.apply(one("corrupt/rdb-truncated-mid-key.rdb"), Instant.now()));
    }

    @Test
    void reports() throws Exception {
        List<FileReport> rs = new ArrayList<>();
        rs.add(one("rdb/r70-small.rdb"));
        rs.add(one("corrupt/rdb-truncated-mid-key.rdb"));
        rs.add(one("corrupt/aof-manifest-missing-file"));
        rs.add(verifier.verify("/nonexistent/x.rdb").get(0));
        // a name with bytes XML cannot hold
        rs.add(new FileReport("odd\u0001<&>\"name", "rdb", 0,
                List.of(new Problem("odd", 3, "checksum", "bad \u0000 bytes <here>")), Facts.empty()));

        StringBuilder text = new StringBuilder();
        ReportWriter.text(rs, text);
        assertTrue(text.toString().contains("r70-small.rdb: OK (rdb, 8 keys, checksum verified)"), text.toString());
        assertTrue(text.toString().contains("at offset 176: truncated"), text.toString());
        assertTrue(text.toString().endsWith("5 inputs, 1 valid, 4 invalid, 4 problems\n"), text.toString());

        StringBuilder json = new StringBuilder();
        ReportWriter.json(rs, json);
        assertTrue(json.toString().contains("\"offset\": 176, \"kind\": \"truncated\""), json.toString());
        assertTrue(json.toString().startsWith("{\"valid\": false"), json.toString());
        assertFalse(json.toString().contains("\u0000"));

        StringBuilder xml = new StringBuilder();
        ReportWriter.junit(rs, "redkit verify", 1.5, xml);
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)));
        NodeList cases = d.getElementsByTagName("testcase");
        assertEquals(5, cases.getLength());
        assertEquals(3, d.getElementsByTagName("failure").getLength());
        assertEquals(1, d.getElementsByTagName("error").getLength());
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertEquals("5", suite.getAttribute("tests"));
        assertEquals("3", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
        Element failure = (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertEquals("truncated", failure.getAttribute("type"));
    }
}
