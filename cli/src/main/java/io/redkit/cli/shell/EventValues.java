package io.redkit.cli.shell;

import io.redkit.core.event.ArrayElement;
import io.redkit.core.event.ArrayElements;
import io.redkit.core.event.DataType;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamGroup;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.formats.Scores;

import java.time.Instant;

/** Feeds the value parts of one key, as a reader emits them, into a {@link ValueView}. */
final class EventValues {
    private final ValueView view;
    private final DataType type;
    private long index;
    private long fieldTtls;

    EventValues(ValueView view, DataType type) {
        this.view = view;
        this.type = type;
        switch (type) {
            case LIST, ARRAY -> view.header("#", "value");
            case SET -> view.header("member");
            case ZSET -> view.header("score", "member");
            case HASH -> view.header("field", "value");
            case STREAM -> view.header("id", "fields");
            default -> {
            }
        }
    }

    /** One event of the key's value (anything between KeyStart and KeyEnd). */
    void accept(Event e) {
        switch (e.kind()) {
            case STRING_PART -> view.string(((StringPart) e).data());
            case ELEMENTS -> {
                for (byte[] b : ((Elements) e).items()) {
                    if (!view.wants()) {
                        view.skip(1);
                    } else if (type == DataType.LIST) {
                        view.row(Long.toString(index), cell(b));
                    } else {
                        view.row(cell(b));
                    }
                    index++;
                }
            }
            case HASH_FIELDS -> {
                for (HashField f : ((HashFields) e).fields()) {
                    if (view.wants()) {
                        view.row(cell(f.field()), cell(f.value()));
                        if (f.expireAtMs() >= 0 && fieldTtls++ < ValueView.BATCH) {
                            view.note("field " + Text.arg(f.field()) + " expires at "
                                    + Instant.ofEpochMilli(f.expireAtMs()));
                        }
                    } else {
                        view.skip(1);
                    }
                }
            }
            case ZSET_MEMBERS -> {
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    if (view.wants()) {
                        view.row(Scores.redisText(m.score()), cell(m.member()));
                    } else {
                        view.skip(1);
                    }
                }
            }
            case STREAM_ENTRIES -> {
                for (StreamEntry se : ((StreamEntries) e).entries()) {
                    if (view.wants()) {
                        view.row(se.id().toString(), fields(se));
                    } else {
                        view.skip(1);
                    }
                }
            }
            case STREAM_META -> {
                StreamMeta m = (StreamMeta) e;
                view.note("length " + m.length() + ", last id " + m.lastId() + ", " + m.groups().size() + " group(s)");
                for (StreamGroup g : m.groups()) {
                    view.note("group " + Text.arg(g.name()) + ": last delivered " + g.lastId() + ", pending "
                            + g.pending().size() + ", consumers " + g.consumers().size());
                }
            }
            case ARRAY_ELEMENTS -> {
                for (ArrayElement a : ((ArrayElements) e).elements()) {
                    if (view.wants()) {
                        view.row(Long.toString(a.index()), cell(a.value()));
                    } else {
                        view.skip(1);
                    }
                }
            }
            case MODULE_VALUE -> {
                ModuleValue m = (ModuleValue) e;
                view.note("module value of type " + m.moduleType() + ", " + m.payload().length + " bytes of payload");
            }
            default -> {
            }
        }
    }

    private String cell(byte[] b) {
        return Text.show(b, view.cellLimit());
    }

    private static String fields(StreamEntry se) {
        StringBuilder sb = new StringBuilder();
        var fv = se.fieldsAndValues();
        for (int i = 0; i + 1 < fv.size(); i += 2) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(Text.arg(fv.get(i))).append('=').append(Text.arg(fv.get(i + 1)));
        }
        return sb.toString();
    }
}
