package io.redkit.kv;

import static io.redkit.kv.Commands.add;

import io.redkit.rdb.ModuleStream;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands of Redis's example module type {@code hellotype} (modules/hellotype.c in the Redis sources), over a
 * {@link KvModule} value in that module's own serialisation: an ascending list of signed 64-bit integers, saved as
 * its length and then each integer (UINT opcodes). Old AOFs written with the module loaded replay into the engine,
 * and its keys stay readable by a Redis that loads the module.
 */
final class HellotypeCommands {
    static final String TYPE = "hellotype";
    static final long MODULE_ID = ModuleStream.id(TYPE, 0);
    private static final int OPCODE_EOF = 0;
    private static final int OPCODE_UINT = 2;
    private static final String BAD_PAYLOAD = "ERR the hellotype value is not in the module's format";

    private HellotypeCommands() {
    }

    static void register() {
        add("hellotype.insert", 3, HellotypeCommands::insert);
        add("hellotype.range", 4, HellotypeCommands::range);
        add("hellotype.len", 2, HellotypeCommands::len);
    }

    /** The integers of a hellotype value; empty when the key is absent; WRONGTYPE for any other value. */
    private static long[] values(Object v) {
        if (v == null) {
            return new long[0];
        }
        if (!(v instanceof KvModule m) || m.moduleId >>> 10 != MODULE_ID >>> 10) {
            throw new Args.Err(Reply.WRONGTYPE);
        }
        byte[] p = m.payload;
        int[] pos = {0};
        long n = uint(p, pos);
        if (n < 0 || n > p.length) {
            throw new Args.Err(BAD_PAYLOAD);
        }
        long[] out = new long[(int) n];
        for (int i = 0; i < n; i++) {
            out[i] = uint(p, pos);
        }
        if (pos[0] != p.length - 1 || p[pos[0]] != OPCODE_EOF) {
            throw new Args.Err(BAD_PAYLOAD);
        }
        return out;
    }

    /** One UINT opcode and its RDB length-encoded value (all 64 bits: signed values are saved as unsigned). */
    private static long uint(byte[] p, int[] pos) {
        int i = pos[0];
        if (i + 2 > p.length || p[i] != OPCODE_UINT) {
            throw new Args.Err(BAD_PAYLOAD);
        }
        int b0 = p[i + 1] & 0xFF;
        int kind = b0 >>> 6;
        int extra = kind == 0 ? 0 : kind == 1 ? 1 : b0 == 0x80 ? 4 : b0 == 0x81 ? 8 : -1;
        if (extra < 0 || i + 2 + extra > p.length) {
            throw new Args.Err(BAD_PAYLOAD);
        }
        long v = kind == 0 ? b0 & 0x3F : kind == 1 ? b0 & 0x3F : 0;
        for (int k = 0; k < extra; k++) {
            v = (v << 8) | (p[i + 2 + k] & 0xFF);
        }
        pos[0] = i + 2 + extra;
        return v;
    }

    private static KvModule encode(long[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + values.length * 10);
        writeUint(out, values.length);
        for (long v : values) {
            writeUint(out, v);
        }
        out.write(OPCODE_EOF);
        return new KvModule(TYPE, MODULE_ID, out.toByteArray());
    }

    /** RDB length encoding of an unsigned 64-bit value, after the UINT opcode. */
    private static void writeUint(ByteArrayOutputStream out, long v) {
        out.write(OPCODE_UINT);
        if (v >= 0 && v < 64) {
            out.write((int) v);
        } else if (v >= 0 && v < 16384) {
            out.write(0x40 | (int) (v >>> 8));
            out.write((int) v & 0xFF);
        } else if (v >= 0 && v <= 0xFFFFFFFFL) {
            out.write(0x80);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (v >>> s) & 0xFF);
            }
        } else {
            out.write(0x81);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (v >>> s) & 0xFF);
            }
        }
    }

    private static Reply insert(KvEngine e, int db, List<byte[]> a) {
        return e.write(db, a.get(1), r -> {
            long[] old = values(r.value());
            Long value = io.redkit.core.Bytes.parseLong(a.get(2));
            if (value == null) {
                throw new Args.Err("ERR invalid value: must be a signed 64 bit integer");
            }
            // the module inserts before the first element that is not smaller
            int at = 0;
            while (at < old.length && old[at] < value) {
                at++;
            }
            long[] now = new long[old.length + 1];
            System.arraycopy(old, 0, now, 0, at);
            now[at] = value;
            System.arraycopy(old, at, now, at + 1, old.length - at);
            r.set(encode(now));
            return Reply.integer(now.length);
        });
    }

    private static Reply range(KvEngine e, int db, List<byte[]> a) {
        return e.read(db, a.get(1), (v, x, now) -> {
            long[] values = values(v);
            Long first = io.redkit.core.Bytes.parseLong(a.get(2));
            Long count = io.redkit.core.Bytes.parseLong(a.get(3));
            if (first == null || count == null || first < 0 || count < 0) {
                throw new Args.Err("ERR invalid first or count parameters");
            }
            List<Reply> out = new ArrayList<>();
            for (long i = first; i < values.length && out.size() < count; i++) {
                out.add(Reply.integer(values[(int) i]));
            }
            return new Reply.Array(out);
        });
    }

    private static Reply len(KvEngine e, int db, List<byte[]> a) {
        return e.read(db, a.get(1), (v, x, now) -> Reply.integer(values(v).length));
    }
}
