package io.redkit.kv;

import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamConsumer;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.EventSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The canonical text of the keys of an event stream, as the engine should hold them at time {@code now}: one
 * entry per (db, key), last one wins; expired keys and fields, array values and empty collections are
 * left out; sets, hashes and zsets sorted; bytes in hex.
 */
final class Canon {
    private Canon() {
    }

    static TreeMap<String, String> of(EventSource src, long now) throws IOException {
        TreeMap<String, String> out = new TreeMap<>();
        Event e;
        KeyHeader h = null;
        ByteArrayOutputStream str = new ByteArrayOutputStream();
        List<String> items = new ArrayList<>();
        String meta = "";
        while ((e = src.next()) != null) {
            switch (e.kind()) {
                case KEY_START -> {
                    h = ((KeyStart) e).header();
                    str.reset();
                    items.clear();
                    meta = "";
                }
                case STRING_PART -> str.writeBytes(((StringPart) e).data());
                case ELEMENTS -> ((Elements) e).items().forEach(b -> items.add(hex(b)));
                case HASH_FIELDS -> {
                    for (HashField f : ((HashFields) e).fields()) {
                        if (f.expireAtMs() >= 0 && f.expireAtMs() <= now) {
                            continue;
                        }
                        items.add(hex(f.field()) + "=" + hex(f.value()) + (f.expireAtMs() >= 0 ? "@" + f.expireAtMs() : ""));
                    }
                }
                case ZSET_MEMBERS -> {
                    for (ScoredMember m : ((ZSetMembers) e).members()) {
                        items.add(hex(m.member()) + "=" + Double.doubleToRawLongBits(m.score()));
                    }
                }
                case STREAM_ENTRIES -> {
                    for (StreamEntry se : ((StreamEntries) e).entries()) {
                        StringBuilder sb = new StringBuilder(se.id().toString()).append(':');
                        for (byte[] b : se.fieldsAndValues()) {
                            sb.append(hex(b)).append(',');
                        }
                        items.add(sb.toString());
                    }
                }
                case STREAM_META -> meta = streamMeta((StreamMeta) e, items.size());
                case MODULE_VALUE -> {
                    // the engine keeps a pre-release value in the form Redis saves it again
                    ModuleValue m = (ModuleValue) e;
                    byte[] p = io.redkit.rdb.writer.ModulePayload.opcodeStream(m);
                    items.add(m.moduleType() + "/" + Long.toHexString(m.moduleId()) + "/" + hex(p == null ? m.payload() : p));
                }
                case KEY_END -> {
                    if (h.isExpiredAt(now) || h.type() == DataType.ARRAY) {
                        continue;
                    }
                    if (h.type() != DataType.STRING && h.type() != DataType.STREAM && items.isEmpty()) {
                        continue;
                    }
                    List<String> v = new ArrayList<>(items);
                    if (h.type() == DataType.SET || h.type() == DataType.HASH || h.type() == DataType.ZSET) {
                        v.sort(null);
                    }
                    String value = h.type() == DataType.STRING ? hex(str.toByteArray()) : String.join(" ", v) + meta;
                    out.put(h.db() + " " + hex(h.key()), h.type().id() + " exp=" + h.expireAtMs() + " " + value);
                }
                default -> {
                }
            }
        }
        return out;
    }

    private static String streamMeta(StreamMeta m, int entries) {
        StringBuilder sb = new StringBuilder(" | last=").append(m.lastId());
        sb.append(" maxdel=").append(m.maxDeletedId() == null ? "0-0" : m.maxDeletedId().toString());
        sb.append(" added=").append(m.entriesAdded() >= 0 ? m.entriesAdded() : entries);
        for (StreamGroup g : m.groups()) {
            sb.append(" group ").append(hex(g.name())).append(' ').append(g.lastId()).append(" read=")
                    .append(g.entriesRead()).append(" pel=").append(g.pending().size());
            for (StreamConsumer c : g.consumers()) {
                sb.append(" c ").append(hex(c.name())).append(' ').append(c.pending().size());
            }
        }
        return sb.toString();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
