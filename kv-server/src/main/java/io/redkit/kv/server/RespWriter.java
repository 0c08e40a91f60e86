package io.redkit.kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.redkit.kv.KvIntrospect;
import io.redkit.kv.Reply;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes replies as RESP2 or RESP3 into a buffer; small integers and common headers come from tables. */
final class RespWriter {
    private static final byte[] TXT = {'t', 'x', 't', ':'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CACHED = 512;
    /** ":n\r\n", "$n\r\n" and "*n\r\n" for n in [0, CACHED). */
    private static final byte[][] INTS = new byte[CACHED][];
    private static final byte[][] BULK_HEADERS = new byte[CACHED][];
    private static final byte[][] ARRAY_HEADERS = new byte[CACHED][];

    static {
        for (int i = 0; i < CACHED; i++) {
            INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ARRAY_HEADERS[i] = ("*" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private RespWriter() {
    }

    /**
     * Writes one reply ({@link Reply} or an {@link Out} type) in protocol version {@code proto} (2 or 3). The bytes
     * are gathered in a per-thread scratch array and handed to the buffer in large pieces: a buffer write checks
     * bounds, capacity and reference count each time, which cost more than the bytes of a short bulk.
     */
    static void write(ByteBuf b, Object r, int proto) {
        Enc e = SCRATCH.get();
        e.target = b;
        try {
            e.any(r, proto);
            e.drain();
        } finally {
            e.size = 0;
            e.target = null;
        }
    }

    private static final FastThreadLocal<Enc> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Enc initialValue() {
            return new Enc();
        }
    };

    /** The scratch array of one thread and the buffer it drains into when full and at the end of a reply. */
    private static final class Enc {
        /** Bulks at least this long go straight to the buffer rather than through the scratch array. */
        private static final int DIRECT = 2048;
        final byte[] buf = new byte[8192];
        int size;
        ByteBuf target;

        void drain() {
            if (size > 0) {
                target.writeBytes(buf, 0, size);
                size = 0;
            }
        }

        void room(int n) {
            if (size + n > buf.length) {
                drain();
            }
        }

        void put(byte[] src) {
            if (src.length >= DIRECT) {
                drain();
                target.writeBytes(src);
                return;
            }
            room(src.length);
            System.arraycopy(src, 0, buf, size, src.length);
            size += src.length;
        }

        void crlf() {
            room(2);
            buf[size++] = '\r';
            buf[size++] = '\n';
        }

        /** {@code type}, the decimal {@code v}, CRLF; digits written in place (no String per number). */
        void number(char type, long v) {
            room(24);
            buf[size++] = (byte) type;
            if (v < 0) {
                if (v == Long.MIN_VALUE) {
                    byte[] m = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(m, 0, buf, size, m.length);
                    size += m.length;
                    crlf();
                    return;
                }
                buf[size++] = '-';
                v = -v;
            }
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) {
                digits++;
            }
            int end = size + digits;
            for (int i = end - 1; i >= size; i--) {
                buf[i] = (byte) ('0' + (int) (v % 10));
                v /= 10;
            }
            size = end;
            buf[size++] = '\r';
            buf[size++] = '\n';
        }

        void integer(long v) {
            if (v >= 0 && v < CACHED) {
                put(INTS[(int) v]);
            } else {
                number(':', v);
            }
        }

        void bulk(byte[] data) {
            if (data.length < CACHED) {
                put(BULK_HEADERS[data.length]);
            } else {
                number('$', data.length);
            }
            put(data);
            crlf();
        }

        void header(char type, int n) {
            if (type == '*' && n < CACHED) {
                put(ARRAY_HEADERS[n]);
            } else {
                number(type, n);
            }
        }

        void line(char type, String text) {
            byte[] t = text.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < t.length; i++) {
                // a CR or LF inside a status or error line would break framing
                if (t[i] == '\r' || t[i] == '\n') {
                    t[i] = ' ';
                }
            }
            room(1);
            buf[size++] = (byte) type;
            put(t);
            crlf();
        }

        void any(Object r, int proto) {
            if (r instanceof Reply reply) {
                reply(reply, proto);
            } else if (r instanceof Out.MapR m) {
                header(proto == 3 ? '%' : '*', proto == 3 ? m.pairs().size() / 2 : m.pairs().size());
                for (Object o : m.pairs()) {
                    any(o, proto);
                }
            } else if (r instanceof Out.SetR set) {
                header(proto == 3 ? '~' : '*', set.items().size());
                for (Object o : set.items()) {
                    any(o, proto);
                }
            } else if (r instanceof Out.Arr a) {
                header('*', a.items().size());
                for (Object o : a.items()) {
                    any(o, proto);
                }
            } else if (r instanceof Out.Push p) {
                header(proto == 3 ? '>' : '*', p.items().size());
                for (Object o : p.items()) {
                    any(o, proto);
                }
            } else if (r instanceof Out.Many m) {
                for (Object o : m.replies()) {
                    any(o, proto);
                }
            } else if (r instanceof Out.Verbatim v) {
                byte[] t = v.text().getBytes(StandardCharsets.UTF_8);
                if (proto == 3) {
                    number('=', t.length + 4);
                    put(TXT);
                    put(t);
                    crlf();
                } else {
                    bulk(t);
                }
            } else if (r instanceof byte[] bytes) {
                bulk(bytes);
            } else if (r instanceof String str) {
                bulk(str.getBytes(StandardCharsets.UTF_8));
            } else if (r instanceof Long l) {
                integer(l);
            } else if (r instanceof Integer i) {
                integer(i);
            } else if (r == null) {
                put(proto == 3 ? NULL3 : NULL2);
            } else {
                throw new IllegalArgumentException("not a reply: " + r.getClass());
            }
        }

        void reply(Reply r, int proto) {
            switch (r.kind()) {
                case SIMPLE -> {
                    if (r == Reply.OK) {
                        put(OK);
                    } else {
                        line('+', ((Reply.Simple) r).text());
                    }
                }
                case ERROR -> line('-', ((Reply.Error) r).text());
                case INTEGER -> integer(((Reply.Int) r).value());
                case BULK -> bulk(((Reply.Bulk) r).data());
                case ARRAY -> {
                    List<Reply> items = ((Reply.Array) r).items();
                    header('*', items.size());
                    for (Reply item : items) {
                        reply(item, proto);
                    }
                }
                case NULL -> put(proto == 3 ? NULL3 : ((Reply.Null) r).array() ? NULL_ARRAY2 : NULL2);
                case DOUBLE -> {
                    String d = formatDouble(((Reply.Dbl) r).value());
                    if (proto == 3) {
                        line(',', d);
                    } else {
                        bulk(d.getBytes(StandardCharsets.US_ASCII));
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** The engine's text for a double, so RESP2 bulk and RESP3 double replies agree. */
    static String formatDouble(double d) {
        return KvIntrospect.formatDouble(d);
    }
}
