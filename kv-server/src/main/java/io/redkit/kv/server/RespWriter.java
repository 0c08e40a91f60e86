package io.redkit.kv.server;

import io.netty.buffer.ByteBuf;
import io.redkit.kv.KvIntrospect;
import io.redkit.kv.Reply;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes replies as RESP2 or RESP3 into a buffer; small integers and common headers come from tables. */
final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
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

    /** Writes one reply ({@link Reply} or an {@link Out} type) in protocol version {@code proto} (2 or 3). */
    static void write(ByteBuf b, Object r, int proto) {
        if (r instanceof Reply reply) {
            writeReply(b, reply, proto);
        } else if (r instanceof Out.MapR m) {
            header(b, proto == 3 ? '%' : '*', proto == 3 ? m.pairs().size() / 2 : m.pairs().size());
            for (Object o : m.pairs()) {
                write(b, o, proto);
            }
        } else if (r instanceof Out.SetR set) {
            header(b, proto == 3 ? '~' : '*', set.items().size());
            for (Object o : set.items()) {
                write(b, o, proto);
            }
        } else if (r instanceof Out.Arr a) {
            writeArray(b, a.items(), proto);
        } else if (r instanceof Out.Push p) {
            header(b, proto == 3 ? '>' : '*', p.items().size());
            for (Object o : p.items()) {
                write(b, o, proto);
            }
        } else if (r instanceof Out.Many m) {
            for (Object o : m.replies()) {
                write(b, o, proto);
            }
        } else if (r instanceof Out.Verbatim v) {
            byte[] t = v.text().getBytes(StandardCharsets.UTF_8);
            if (proto == 3) {
                header(b, '=', t.length + 4);
                b.writeBytes("txt:".getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(t);
                b.writeBytes(CRLF);
            } else {
                bulk(b, t);
            }
        } else if (r instanceof byte[] bytes) {
            bulk(b, bytes);
        } else if (r instanceof String s) {
            bulk(b, s.getBytes(StandardCharsets.UTF_8));
        } else if (r instanceof Long l) {
            integer(b, l);
        } else if (r instanceof Integer i) {
            integer(b, i);
        } else if (r == null) {
            b.writeBytes(proto == 3 ? NULL3 : NULL2);
        } else {
            throw new IllegalArgumentException("not a reply: " + r.getClass());
        }
    }

    private static void writeArray(ByteBuf b, List<?> items, int proto) {
        header(b, '*', items.size());
        for (Object o : items) {
            write(b, o, proto);
        }
    }

    private static void writeReply(ByteBuf b, Reply r, int proto) {
        switch (r.kind()) {
            case SIMPLE -> {
                if (r == Reply.OK) {
                    b.writeBytes(OK);
                } else {
                    line(b, '+', ((Reply.Simple) r).text());
                }
            }
            case ERROR -> line(b, '-', ((Reply.Error) r).text());
            case INTEGER -> integer(b, ((Reply.Int) r).value());
            case BULK -> bulk(b, ((Reply.Bulk) r).data());
            case ARRAY -> {
                List<Reply> items = ((Reply.Array) r).items();
                header(b, '*', items.size());
                for (Reply item : items) {
                    writeReply(b, item, proto);
                }
            }
            case NULL -> b.writeBytes(proto == 3 ? NULL3 : ((Reply.Null) r).array() ? NULL_ARRAY2 : NULL2);
            case DOUBLE -> {
                String s = formatDouble(((Reply.Dbl) r).value());
                if (proto == 3) {
                    line(b, ',', s);
                } else {
                    bulk(b, s.getBytes(StandardCharsets.US_ASCII));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The engine's text for a double, so RESP2 bulk and RESP3 double replies agree. */
    static String formatDouble(double d) {
        return KvIntrospect.formatDouble(d);
    }

    static void integer(ByteBuf b, long v) {
        if (v >= 0 && v < CACHED) {
            b.writeBytes(INTS[(int) v]);
        } else {
            line(b, ':', Long.toString(v));
        }
    }

    static void bulk(ByteBuf b, byte[] data) {
        if (data.length < CACHED) {
            b.writeBytes(BULK_HEADERS[data.length]);
        } else {
            line(b, '$', Integer.toString(data.length));
        }
        b.writeBytes(data);
        b.writeBytes(CRLF);
    }

    static void header(ByteBuf b, char type, int n) {
        if (type == '*' && n < CACHED) {
            b.writeBytes(ARRAY_HEADERS[n]);
        } else {
            line(b, type, Integer.toString(n));
        }
    }

    private static void line(ByteBuf b, char type, String text) {
        b.writeByte(type);
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < t.length; i++) {
            // a CR or LF inside a status or error line would break framing
            if (t[i] == '\r' || t[i] == '\n') {
                t[i] = ' ';
            }
        }
        b.writeBytes(t);
        b.writeBytes(CRLF);
    }
}
