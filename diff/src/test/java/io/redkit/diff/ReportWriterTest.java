package io.redkit.diff;

import io.redkit.core.event.DataType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportWriterTest {
    private static DigestRecord rec(byte[] key, DataType t, long expire, long size, byte[] preview) {
        return new DigestRecord(3, key, t, expire, size, 1, 2, preview);
    }

    private static DiffResult result(Difference d) {
        return new DiffResult(new DiffResult.Side("a \"1\".rdb", "RDB", 5), new DiffResult.Side("b", "RDB", 5),
                4, 0, 0, 0, 1, 1, 1, List.of(d), 0);
    }

    @Test
    void jsonlEscapesTextAndEncodesBinaryAsBase64() throws IOException {
        byte[] key = {'k', (byte) 0xff, 0};
        Difference d = new Difference(new KeyRef(3, key), EnumSet.of(Difference.Kind.VALUE, Difference.Kind.TTL),
                rec(key, DataType.STRING, -1, 3, "a\"b".getBytes(StandardCharsets.UTF_8)),
                rec(key, DataType.STRING, 1000, 4, "a\nb\u0001".getBytes(StandardCharsets.UTF_8)));
        d.addDetail(new ElementDiff("offset", "1".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0x80}, null));
        StringWriter w = new StringWriter();
        ReportWriter.write(result(d), ReportWriter.Format.JSONL, w);
        String[] lines = w.toString().split("\n");
        assertEquals("{\"summary\": {\"a\": {\"source\": \"a \\\"1\\\".rdb\", \"kind\": \"RDB\", \"keys\": 5}, "
                + "\"b\": {\"source\": \"b\", \"kind\": \"RDB\", \"keys\": 5}, \"same\": 4, \"different\": 1, "
                + "\"missing\": 0, \"extra\": 0, \"type\": 0, \"value\": 1, \"ttl\": 1, \"listed\": 1}}", lines[0]);
        assertEquals("{\"diff\": [\"value\", \"ttl\"], \"db\": 3, \"key\": {\"b64\": \"a/8A\"}, "
                + "\"a\": {\"type\": \"string\", \"expire_ms\": null, \"size\": 3, \"preview\": \"a\\\"b\"}, "
                + "\"b\": {\"type\": \"string\", \"expire_ms\": 1000, \"size\": 4, \"preview\": \"a\\nb\\u0001\"}, "
                + "\"details\": [{\"what\": \"offset\", \"item\": \"1\", \"a\": {\"b64\": \"gA==\"}, \"b\": null}], "
                + "\"more_details\": 0}", lines[1]);
    }

    @Test
    void textShowsKindsShapesExpiriesAndDetails() throws IOException {
        byte[] key = "user:1".getBytes(StandardCharsets.UTF_8);
        Difference d = new Difference(new KeyRef(3, key), EnumSet.of(Difference.Kind.VALUE, Difference.Kind.TTL),
                rec(key, DataType.HASH, -1, 3, new byte[0]), rec(key, DataType.HASH, 1000, 3, new byte[0]));
        d.addDetail(new ElementDiff("field", "name".getBytes(StandardCharsets.UTF_8),
                "ann".getBytes(StandardCharsets.UTF_8), "bob".getBytes(StandardCharsets.UTF_8)));
        d.addMore(2);
        StringWriter w = new StringWriter();
        ReportWriter.write(result(d), ReportWriter.Format.TEXT, w);
        assertEquals("A: a \"1\".rdb (RDB): 5 keys\n"
                + "B: b (RDB): 5 keys\n"
                + "different: 1 key(s)  (missing 0, extra 0, type 0, value 1, ttl 1; same 4)\n"
                + "value+ttl: db 3 'user:1' (hash): A hash of 3 elements, B hash of 3 elements; "
                + "expiry A none, B 1000 (1970-01-01T00:00:01Z)\n"
                + "    field 'name': A 'ann', B 'bob'\n"
                + "    ... and 2 more element difference(s)\n", w.toString());
    }
}
