package io.redkit.kv;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Command;
import io.redkit.core.event.Elements;
import io.redkit.core.event.Event;
import io.redkit.core.event.HashField;
import io.redkit.core.event.HashFields;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import io.redkit.core.event.ModuleValue;
import io.redkit.core.event.ScoredMember;
import io.redkit.core.event.StreamEntries;
import io.redkit.core.event.StreamEntry;
import io.redkit.core.event.StreamMeta;
import io.redkit.core.event.StringPart;
import io.redkit.core.event.ZSetMembers;
import io.redkit.core.sink.Sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * A sink that loads an event stream into a {@link KvEngine}: keys (KeyStart, value parts, chunked or not, KeyEnd)
 * are built aside and installed whole at KeyEnd; commands (from an AOF or a replication stream) run through
 * {@link KvEngine#execute}. Keys already expired when they arrive are dropped, as Redis does when it loads as a
 * master. Module values are kept as the module serialised them ({@link KvModule}); array values (RDB 14), which
 * the engine does not hold, are counted and skipped.
 */
public final class KvLoader implements Sink {
    /** What to do with a key that already exists in the engine. */
    public enum OnExisting {
        /** Fail with a BUSYKEY error (RESTORE without REPLACE). */
        ERROR,
        /** Overwrite it ({@code --replace}). */
        REPLACE,
        /** Keep the engine's key and drop the incoming one ({@code --skip-existing}). */
        SKIP
    }

    private final KvEngine engine;
    private final OnExisting onExisting;
    private final boolean failOnCommandError;
    private final String source;

    private KeyHeader current;
    private boolean skipping;
    private Object building;
    private ByteArrayOutputStream stringBuf;
    private byte[] singlePart;

    private long keysLoaded;
    private long keysSkippedExisting;
    private long keysExpired;
    private long keysUnsupported;
    private long commandsApplied;
    private long commandErrors;
    private long commandsIgnored;
    /** Looked up at the first script in the stream: most streams have none. */
    private ScriptRunner scripts;
    private boolean scriptsLookedUp;

    /**
     * A loader into the engine.
     *
     * @param onExisting         what to do with keys that exist already
     * @param failOnCommandError throw when a command's reply is an error (else count it and go on)
     * @param source             a name for error messages
     */
    public KvLoader(KvEngine engine, OnExisting onExisting, boolean failOnCommandError, String source) {
        this.engine = engine;
        this.onExisting = onExisting;
        this.failOnCommandError = failOnCommandError;
        this.source = source;
    }

    @Override
    public void accept(Event e) throws IOException {
        switch (e.kind()) {
            case KEY_START:
                start(((KeyStart) e).header());
                break;
            case STRING_PART:
            case ELEMENTS:
            case HASH_FIELDS:
            case ZSET_MEMBERS:
            case STREAM_ENTRIES:
            case STREAM_META:
            case ARRAY_ELEMENTS:
            case MODULE_VALUE:
                if (!skipping) {
                    part(e);
                }
                break;
            case KEY_END:
                end();
                break;
            case COMMAND:
                command((Command) e);
                break;
            default:
                // framing, AUX, functions and module aux carry no keys for the engine
                break;
        }
    }

    private void start(KeyHeader h) throws IOException {
        current = h;
        skipping = false;
        building = null;
        stringBuf = null;
        singlePart = null;
        if (h.db() < 0 || h.db() >= KvEngine.DATABASES) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, source, h.offset(), "db " + h.db(),
                    "the KV engine has databases 0.." + (KvEngine.DATABASES - 1));
        }
        if (h.isExpiredAt(engine.now())) {
            keysExpired++;
            skipping = true;
            return;
        }
        switch (h.type()) {
            case STRING:
                break;
            case LIST:
                building = new KvList();
                break;
            case SET:
                building = new KvSet();
                break;
            case HASH:
                building = new KvHash();
                break;
            case ZSET:
                building = new KvZSet();
                break;
            case STREAM:
                building = new KvStream();
                break;
            case MODULE:
                break; // built from its ModuleValue
            default:
                keysUnsupported++;
                skipping = true;
                return;
        }
        if (onExisting != OnExisting.REPLACE && engine.exists(h.db(), h.key())) {
            if (onExisting == OnExisting.ERROR) {
                throw new RedkitException(ErrorKind.UNSUPPORTED, source, h.offset(), "key '"
                        + io.redkit.core.Bytes.preview(h.key()) + "'", "BUSYKEY Target key name already exists");
            }
            keysSkippedExisting++;
            skipping = true;
        }
    }

    private void part(Event e) throws IOException {
        long now = engine.now();
        switch (e.kind()) {
            case STRING_PART: {
                byte[] d = ((StringPart) e).data();
                if (stringBuf == null && singlePart == null) {
                    singlePart = d;
                } else {
                    if (stringBuf == null) {
                        stringBuf = new ByteArrayOutputStream();
                        stringBuf.writeBytes(singlePart);
                    }
                    stringBuf.writeBytes(d);
                }
                break;
            }
            case ELEMENTS:
                if (building instanceof KvList l) {
                    for (byte[] b : ((Elements) e).items()) {
                        l.addLast(b);
                    }
                } else {
                    KvSet s = (KvSet) building;
                    for (byte[] b : ((Elements) e).items()) {
                        s.add(b);
                    }
                }
                break;
            case HASH_FIELDS: {
                KvHash h = (KvHash) building;
                for (HashField f : ((HashFields) e).fields()) {
                    if (f.expireAtMs() >= 0 && f.expireAtMs() <= now) {
                        continue;
                    }
                    h.put(f.field(), f.value());
                    if (f.expireAtMs() >= 0) {
                        h.setFieldExpire(f.field(), f.expireAtMs());
                    }
                }
                break;
            }
            case ZSET_MEMBERS: {
                KvZSet z = (KvZSet) building;
                for (ScoredMember m : ((ZSetMembers) e).members()) {
                    z.put(m.member(), m.score());
                }
                break;
            }
            case STREAM_ENTRIES: {
                KvStream s = (KvStream) building;
                for (StreamEntry en : ((StreamEntries) e).entries()) {
                    s.add(en.id(), en.fieldsAndValues().toArray(new byte[0][]));
                }
                break;
            }
            case STREAM_META: {
                KvStream s = (KvStream) building;
                StreamMeta m = (StreamMeta) e;
                s.lastId = m.lastId();
                s.maxDeletedId = m.maxDeletedId() == null ? io.redkit.core.event.StreamId.ZERO : m.maxDeletedId();
                s.entriesAdded = m.entriesAdded() >= 0 ? m.entriesAdded() : s.entries.size();
                s.setGroups(m.groups());
                s.idmp = m.idmp();
                break;
            }
            case MODULE_VALUE: {
                ModuleValue m = (ModuleValue) e;
                building = KvModule.of(m);
                if (building == null) {
                    throw new RedkitException(ErrorKind.UNSUPPORTED, source, m.offset(), "key '"
                            + io.redkit.core.Bytes.preview(current.key()) + "'", "a pre-release (type 6) value of "
                            + "module type " + m.moduleType() + ", whose layout is not known");
                }
                break;
            }
            default:
                throw new IllegalStateException("value part " + e.kind() + " for a " + current.type() + " key");
        }
    }

    private void end() throws IOException {
        KeyHeader h = current;
        current = null;
        if (h == null || skipping) {
            skipping = false;
            return;
        }
        Object v = building;
        if (h.type() == io.redkit.core.event.DataType.STRING) {
            v = stringBuf != null ? stringBuf.toByteArray() : singlePart != null ? singlePart : new byte[0];
        }
        building = null;
        stringBuf = null;
        singlePart = null;
        if (v == null) {
            throw new RedkitException(ErrorKind.INTEGRITY, source, h.offset(), "key '"
                    + io.redkit.core.Bytes.preview(h.key()) + "'", "a module key without its value");
        }
        if (v instanceof KvValue kv && kv.isEmpty()) {
            keysExpired++;
            return;
        }
        if (engine.install(h.db(), h.key(), v, h.expireAtMs(), onExisting == OnExisting.REPLACE)) {
            keysLoaded++;
        } else if (onExisting == OnExisting.ERROR) {
            throw new RedkitException(ErrorKind.UNSUPPORTED, source, h.offset(), "key '"
                    + io.redkit.core.Bytes.preview(h.key()) + "'", "BUSYKEY Target key name already exists");
        } else {
            keysSkippedExisting++;
        }
    }

    private void command(Command c) throws IOException {
        List<byte[]> argv = c.argv();
        if (argv.isEmpty()) {
            return;
        }
        byte[] n = argv.get(0);
        // transactions and SELECT are framing here: the reader already gives each command its db
        if (Args.is(n, "MULTI") || Args.is(n, "EXEC") || Args.is(n, "SELECT")) {
            return;
        }
        boolean script = Args.is(n, "EVAL") || Args.is(n, "EVALSHA") || Args.is(n, "SCRIPT");
        if (script && !scriptsLookedUp) {
            scripts = ScriptRunner.find(engine);
            scriptsLookedUp = true;
        }
        // functions hold no keys and the engine keeps none (as functions in an RDB); nor a script cache without
        // an interpreter
        if (Args.is(n, "FUNCTION") || (Args.is(n, "SCRIPT") && scripts == null)) {
            commandsIgnored++;
            return;
        }
        Reply r = script && scripts != null ? scripts.run(c.db(), argv) : engine.execute(c.db(), argv);
        if (r instanceof Reply.Error err) {
            commandErrors++;
            if (failOnCommandError) {
                throw new RedkitException(ErrorKind.UNSUPPORTED, source, c.offset(),
                        "command " + io.redkit.core.Bytes.preview(n), err.text());
            }
        } else {
            commandsApplied++;
        }
    }

    /** Keys installed. */
    public long keysLoaded() {
        return keysLoaded;
    }

    /** Keys left alone because they existed ({@link OnExisting#SKIP}). */
    public long keysSkippedExisting() {
        return keysSkippedExisting;
    }

    /** Keys dropped because they had expired (or all their hash fields had). */
    public long keysExpired() {
        return keysExpired;
    }

    /** Keys of types the engine does not hold (array). */
    public long keysUnsupported() {
        return keysUnsupported;
    }

    /** Commands applied without an error reply. */
    public long commandsApplied() {
        return commandsApplied;
    }

    /** FUNCTION commands (and SCRIPT ones without an interpreter) passed over: the engine holds no functions. */
    public long commandsIgnored() {
        return commandsIgnored;
    }

    /** Commands whose reply was an error. */
    public long commandErrors() {
        return commandErrors;
    }
}
