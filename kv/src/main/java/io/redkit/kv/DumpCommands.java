package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import io.redkit.core.Limits;
import io.redkit.core.RedkitException;
import io.redkit.core.event.Event;
import io.redkit.core.sink.EventSource;
import io.redkit.rdb.DumpPayloads;
import io.redkit.rdb.writer.DumpPayload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * DUMP and RESTORE. Payloads are written by {@link DumpPayload} (RDB version 10, as redis-server 7.0, or 12 when a
 * hash has field TTLs) and read back as a one-key RDB stream by {@link DumpPayloads}.
 */
final class DumpCommands {
    /** Redis 7.0's RDB_VERSION: what its DUMP writes. */
    static final int DUMP_VERSION = 10;
    /** The highest RDB version the reader knows; newer payloads are refused as Redis refuses them. */
    static final int MAX_VERSION = 12;
    static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";

    private DumpCommands() {
    }

    static void register() {
        add("dump", 2, DumpCommands::dump);
        add("restore", -4, DumpCommands::restore);
    }

    private static Reply dump(KvEngine e, int db, List<byte[]> a) {
        // the events copy what they need under the read lock; the payload is encoded after it is released
        List<Event> events = e.read(db, a.get(1), (v, x, now) -> {
            if (v == null) {
                return null;
            }
            List<Event> out = new ArrayList<>();
            SnapshotSource.emit(out, 0, a.get(1), v, -1, now);
            return out;
        });
        if (events == null || events.isEmpty()) {
            return Reply.NULL;
        }
        try {
            try {
                return Reply.bulk(DumpPayload.build(events, DUMP_VERSION));
            } catch (RedkitException ex) {
                return Reply.bulk(DumpPayload.build(events, MAX_VERSION));
            }
        } catch (IOException | RuntimeException ex) {
            return Reply.error("ERR DUMP failed: " + ex.getMessage());
        }
    }

    private static Reply restore(KvEngine e, int db, List<byte[]> a) {
        boolean replace = false;
        boolean absTtl = false;
        for (int i = 4; i < a.size(); i++) {
            byte[] o = a.get(i);
            boolean more = i + 1 < a.size();
            if (Args.is(o, "REPLACE")) {
                replace = true;
            } else if (Args.is(o, "ABSTTL")) {
                absTtl = true;
            } else if (Args.is(o, "IDLETIME") && more) {
                // access clocks are not kept yet: the value is checked and dropped
                if (Args.lng(a.get(++i)) < 0) {
                    throw new Args.Err("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (Args.is(o, "FREQ") && more) {
                long f = Args.lng(a.get(++i));
                if (f < 0 || f > 255) {
                    throw new Args.Err("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw new Args.Err(Reply.SYNTAX);
            }
        }
        boolean frep = replace;
        boolean fabs = absTtl;
        byte[] key = a.get(1);
        return e.write(db, key, r -> {
            // Redis's order of checks: BUSYKEY, then the TTL, then the payload
            if (!frep && r.exists()) {
                throw new Args.Err("BUSYKEY Target key name already exists.");
            }
            long ttl = Args.lng(a.get(2));
            if (ttl < 0) {
                throw new Args.Err("ERR Invalid TTL value, must be >= 0");
            }
            Object value = decode(a.get(3), key);
            long when = -1;
            if (ttl > 0) {
                when = fabs ? ttl : ttl > Long.MAX_VALUE - r.now ? Long.MAX_VALUE : ttl + r.now;
            }
            r.delete();
            if (when >= 0 && when <= r.now) {
                return Reply.OK; // already expired: only the delete of the replaced key remains
            }
            r.setClearTtl(value);
            if (when >= 0) {
                r.expireAt(when);
            }
            return Reply.OK;
        });
    }

    /** The value of a DUMP payload: footer checked (version, CRC64), then read as a one-key RDB. */
    static Object decode(byte[] p, byte[] key) {
        EventSource src;
        try {
            src = DumpPayloads.read(p, key, 0, -1, MAX_VERSION, "RESTORE payload", Limits.defaults());
        } catch (RedkitException ex) {
            throw new Args.Err(BAD_PAYLOAD);
        }
        KvEngine scratch = new KvEngine(Clock.SYSTEM, 1);
        KvLoader loader = new KvLoader(scratch, KvLoader.OnExisting.REPLACE, true, "RESTORE payload");
        try (src) {
            for (Event ev = src.next(); ev != null; ev = src.next()) {
                loader.accept(ev);
            }
        } catch (IOException | RuntimeException ex) {
            throw new Args.Err("ERR Bad data format");
        }
        Object v = scratch.read(0, key, (val, x, now) -> val);
        if (v == null) {
            throw new Args.Err("ERR Bad data format");
        }
        return v;
    }
}
