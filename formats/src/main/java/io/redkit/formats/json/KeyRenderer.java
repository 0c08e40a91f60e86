package io.redkit.formats.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.redkit.core.Bytes;
import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.formats.Scores;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Renders one key (KeyStart, parts, KeyEnd) as a jsonl object on a generator. In streaming mode
 * every part is written as it arrives; in canonical mode set members, hash fields and zset
 * members are held until the key ends and written sorted, and stream groups and consumers are
 * sorted by name.
 */
final class KeyRenderer {
    /** Parts of a multi-part string kept in memory before spilling to a temporary file. */
    static final long BIG_STRING_MEMORY = 32L * 1024 * 1024;

    private static final Comparator<byte[]> BYTES = Bytes::compare;
    private static final Comparator<HashField> BY_FIELD = (a, b) -> Bytes.compare(a.field(), b.field());
    private static final Comparator<ScoredMember> BY_SCORE = (a, b) -> {
        int c = Scores.compare(a.score(), b.score());
        return c != 0 ? c : Bytes.compare(a.member(), b.member());
    };

    private final JsonGenerator g;
    private final OutputStream raw;
    private final boolean canonical;
    private final Path tempDir;

    private KeyHeader header;
    /** The value field and its container are open. */
    private boolean valueOpen;
    /** The value is complete (a scalar was written or a stream was closed by its meta). */
    private boolean valueDone;
    private BigString big;
    private final List<HashField> fieldTtls = new ArrayList<>();
    private String moduleType;
    private long insertIdx = -1;
    private final List<byte[]> heldMembers = new ArrayList<>();
    private final List<HashField> heldFields = new ArrayList<>();
    private final List<ScoredMember> heldScored = new ArrayList<>();
    private final Map<String, SerializedString> encodings = new HashMap<>();

    KeyRenderer(JsonGenerator g, OutputStream raw, boolean canonical, Path tempDir) {
        this.g = g;
        this.raw = raw;
        this.canonical = canonical;
        this.tempDir = tempDir;
    }

    /** Pre-encoded encoding names: readers use a handful of constant strings. */
    private SerializedString encodingName(String enc) {
        SerializedString s = encodings.get(enc);
        if (s == null) {
            s = new SerializedString(enc);
            if (encodings.size() < 64) {
                encodings.put(enc, s);
            }
        }
        return s;
    }

    /** The key being rendered, or null between keys. */
    KeyHeader header() {
        return header;
    }

    void start(KeyHeader h) throws IOException {
        header = h;
        valueOpen = false;
        valueDone = false;
        moduleType = null;
        insertIdx = -1;
        fieldTtls.clear();
        g.writeStartObject();
        g.writeFieldName(JsonText.DB);
        g.writeNumber(h.db());
        g.writeFieldName(JsonText.KEY);
        JsonText.writeS(g, h.key());
        g.writeFieldName(JsonText.TYPE);
        g.writeString(JsonText.typeName(h.type()));
        g.writeFieldName(JsonText.EXPIRE_MS);
        if (h.expireAtMs() >= 0) {
            g.writeNumber(h.expireAtMs());
        } else {
            g.writeNull();
        }
        if (h.encoding() != null) {
            g.writeFieldName(JsonText.ENCODING);
            g.writeString(encodingName(h.encoding()));
        }
    }

    void part(Event e) throws IOException {
        switch (e.kind()) {
            case STRING_PART -> stringPart((StringPart) e);
            case ELEMENTS -> {
                List<byte[]> items = ((Elements) e).items();
                if (canonical && header.type() == DataType.SET) {
                    heldMembers.addAll(items);
                    return;
                }
                openArray();
                for (byte[] b : items) {
                    JsonText.writeS(g, b);
                }
            }
            case HASH_FIELDS -> {
                List<HashField> fields = ((HashFields) e).fields();
                if (canonical) {
                    heldFields.addAll(fields);
                    return;
                }
                openArray();
                writeFields(fields);
            }
            case ZSET_MEMBERS -> {
                List<ScoredMember> members = ((ZSetMembers) e).members();
                if (canonical) {
                    heldScored.addAll(members);
                    return;
                }
                openArray();
                writeScored(members);
            }
            case STREAM_ENTRIES -> {
                openStream();
                for (StreamEntry se : ((StreamEntries) e).entries()) {
                    g.writeStartArray();
                    g.writeString(se.id().toString());
                    g.writeStartArray();
                    List<byte[]> fv = se.fieldsAndValues();
                    for (int i = 0; i + 1 < fv.size(); i += 2) {
                        g.writeStartArray();
                        JsonText.writeS(g, fv.get(i));
                        JsonText.writeS(g, fv.get(i + 1));
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                    g.writeEndArray();
                }
            }
            case STREAM_META -> streamMeta((StreamMeta) e);
            case ARRAY_ELEMENTS -> {
                ArrayElements ae = (ArrayElements) e;
                insertIdx = ae.insertIdx();
                openArray();
                for (ArrayElement el : ae.elements()) {
                    g.writeStartArray();
                    g.writeNumber(Long.toUnsignedString(el.index()));
                    writeArrayValue(el);
                    g.writeEndArray();
                }
            }
            case MODULE_VALUE -> moduleType = ((ModuleValue) e).moduleType();
            default -> throw new IllegalArgumentException("not a value part: " + e.kind());
        }
    }

    void end() throws IOException {
        try {
            if (canonical) {
                flushHeld();
            }
            if (big != null) {
                g.writeFieldName(JsonText.VALUE);
                big.writeJson(g, raw);
                valueDone = true;
            }
            if (valueOpen) {
                if (header.type() == DataType.STREAM) {
                    closeStream(null, List.of());
                } else {
                    g.writeEndArray();
                }
            } else if (!valueDone) {
                writeEmptyValue();
            }
            if (!fieldTtls.isEmpty()) {
                if (canonical) {
                    fieldTtls.sort(BY_FIELD);
                }
                g.writeFieldName(JsonText.FIELD_EXPIRE_MS);
                g.writeStartArray();
                for (HashField f : fieldTtls) {
                    g.writeStartArray();
                    JsonText.writeS(g, f.field());
                    g.writeNumber(f.expireAtMs());
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
            if (header.type() == DataType.MODULE) {
                g.writeFieldName(JsonText.MODULE_TYPE);
                g.writeString(moduleType);
            } else if (header.type() == DataType.ARRAY) {
                g.writeFieldName(JsonText.INSERT_IDX);
                if (insertIdx >= 0) {
                    g.writeNumber(insertIdx);
                } else {
                    g.writeNull();
                }
            }
            g.writeEndObject();
        } finally {
            reset();
        }
    }

    /** Drops the state of an unfinished key (after an input error) without writing. */
    void reset() throws IOException {
        header = null;
        heldMembers.clear();
        heldFields.clear();
        heldScored.clear();
        fieldTtls.clear();
        if (big != null) {
            BigString b = big;
            big = null;
            b.close();
        }
    }

    private void stringPart(StringPart p) throws IOException {
        if (big == null && p.last() && !valueDone) {
            g.writeFieldName(JsonText.VALUE);
            JsonText.writeS(g, p.data());
            valueDone = true;
            return;
        }
        if (big == null) {
            big = new BigString(BIG_STRING_MEMORY, tempDir);
        }
        big.add(p.data());
    }

    private void flushHeld() throws IOException {
        switch (header.type()) {
            case SET -> {
                if (!heldMembers.isEmpty()) {
                    heldMembers.sort(BYTES);
                    openArray();
                    for (byte[] b : heldMembers) {
                        JsonText.writeS(g, b);
                    }
                }
            }
            case HASH -> {
                if (!heldFields.isEmpty()) {
                    heldFields.sort(BY_FIELD);
                    openArray();
                    writeFields(heldFields);
                }
            }
            case ZSET -> {
                if (!heldScored.isEmpty()) {
                    heldScored.sort(BY_SCORE);
                    openArray();
                    writeScored(heldScored);
                }
            }
            default -> {
            }
        }
    }

    private void writeFields(List<HashField> fields) throws IOException {
        for (HashField f : fields) {
            g.writeStartArray();
            JsonText.writeS(g, f.field());
            JsonText.writeS(g, f.value());
            g.writeEndArray();
            if (f.expireAtMs() >= 0) {
                fieldTtls.add(f);
            }
        }
    }

    private void writeScored(List<ScoredMember> members) throws IOException {
        for (ScoredMember m : members) {
            g.writeStartArray();
            JsonText.writeS(g, m.member());
            JsonText.writeScore(g, m.score());
            g.writeEndArray();
        }
    }

    private void writeArrayValue(ArrayElement el) throws IOException {
        byte[] v = el.value();
        if (el.tag() == ArrayElement.TAG_INT) {
            Long l = Bytes.parseLong(v);
            if (l != null) {
                g.writeNumber(l);
                return;
            }
        } else if (el.tag() == ArrayElement.TAG_FLOAT) {
            try {
                double d = Double.parseDouble(new String(v, StandardCharsets.US_ASCII));
                JsonText.writeScore(g, d);
                return;
            } catch (NumberFormatException notANumber) {
                // fall through: keep the stored text
            }
        }
        JsonText.writeS(g, v);
    }

    private void openArray() throws IOException {
        if (!valueOpen) {
            g.writeFieldName(JsonText.VALUE);
            g.writeStartArray();
            valueOpen = true;
        }
    }

    private void openStream() throws IOException {
        if (!valueOpen && !valueDone) {
            g.writeFieldName(JsonText.VALUE);
            g.writeStartObject();
            g.writeFieldName(JsonText.ENTRIES);
            g.writeStartArray();
            valueOpen = true;
        }
    }

    private void streamMeta(StreamMeta m) throws IOException {
        openStream();
        List<StreamGroup> groups = m.groups();
        if (canonical && groups.size() > 1) {
            groups = new ArrayList<>(groups);
            groups.sort((a, b) -> Bytes.compare(a.name(), b.name()));
        }
        closeStream(m.lastId() == null ? null : m.lastId().toString(), groups);
    }

    private void closeStream(String lastId, List<StreamGroup> groups) throws IOException {
        g.writeEndArray();
        g.writeFieldName(JsonText.LAST_ID);
        if (lastId == null) {
            g.writeNull();
        } else {
            g.writeString(lastId);
        }
        g.writeFieldName(JsonText.GROUPS);
        g.writeStartArray();
        for (StreamGroup grp : groups) {
            g.writeStartObject();
            g.writeFieldName(JsonText.NAME);
            JsonText.writeS(g, grp.name());
            g.writeFieldName(JsonText.LAST_ID);
            g.writeString(grp.lastId().toString());
            g.writeFieldName(JsonText.PENDING);
            g.writeNumber(grp.pending().size());
            g.writeFieldName(JsonText.CONSUMERS);
            g.writeStartArray();
            List<StreamConsumer> consumers = grp.consumers();
            if (canonical && consumers.size() > 1) {
                consumers = new ArrayList<>(consumers);
                consumers.sort((a, b) -> Bytes.compare(a.name(), b.name()));
            }
            for (StreamConsumer c : consumers) {
                g.writeStartArray();
                JsonText.writeS(g, c.name());
                g.writeNumber(c.pending().size());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        valueOpen = false;
        valueDone = true;
    }

    private void writeEmptyValue() throws IOException {
        g.writeFieldName(JsonText.VALUE);
        switch (header.type()) {
            case STRING -> g.writeString("");
            case STREAM -> {
                g.writeStartObject();
                g.writeFieldName(JsonText.ENTRIES);
                g.writeStartArray();
                valueOpen = true;
                closeStream(null, List.of());
            }
            case MODULE -> g.writeNull();
            default -> {
                g.writeStartArray();
                g.writeEndArray();
            }
        }
    }
}
