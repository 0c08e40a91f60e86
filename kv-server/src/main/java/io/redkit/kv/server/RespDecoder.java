package io.redkit.kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames client requests: RESP arrays of bulk strings ({@code *<n>\r\n$<len>\r\n<bytes>\r\n...}) and inline
 * commands (a line of words, with Redis's quoting), emitting one {@code List<byte[]>} per command. Lengths are
 * checked before anything is allocated; a bulk's bytes are copied out only once all of them arrived. The first
 * protocol error emits a {@link ProtocolError} and the rest of the input is dropped (the handler then closes).
 * Until a client authenticates, multibulk and bulk lengths are held to Redis's small pre-auth limits.
 */
final class RespDecoder extends ByteToMessageDecoder {
    /** A framing error: the text of the error reply, after which the connection is closed. */
    record ProtocolError(String message) {
    }

    /** Longest header line ({@code *<n>} or {@code $<len>}) before the count is refused, as Redis's 64 KiB. */
    private static final int MAX_HEADER_LINE = 64 * 1024;

    private final ServerConfig config;
    private final ClientState client;
    private int argsLeft = -1;
    private long bulkLen = -1;
    private long commandBytes;
    private List<byte[]> args;
    private boolean failed;
    private final HeaderNumber header = new HeaderNumber();

    RespDecoder(ServerConfig config, ClientState client) {
        this.config = config;
        this.client = client;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!failed) {
            if (argsLeft < 0) {
                if (!in.isReadable()) {
                    return;
                }
                if (in.getByte(in.readerIndex()) == '*') {
                    if (!startMultibulk(in, out)) {
                        return;
                    }
                } else if (!inline(in, out)) {
                    return;
                }
            } else if (!bulk(in, out)) {
                return;
            }
        }
        in.skipBytes(in.readableBytes());
    }

    private boolean startMultibulk(ByteBuf in, List<Object> out) {
        int eol = scanHeader(in);
        if (eol < 0) {
            if (in.readableBytes() > MAX_HEADER_LINE) {
                fail(in, out, "ERR Protocol error: too big mbulk count string");
            }
            return false;
        }
        long n = header.value();
        long max = client.authenticated ? config.maxMultibulkLength : 10;
        if (n == Long.MIN_VALUE || n > max) {
            fail(in, out, "ERR Protocol error: invalid multibulk length");
            return false;
        }
        in.readerIndex(eol + 1);
        if (n <= 0) {
            return true;
        }
        argsLeft = (int) n;
        // never presize from a count read off the wire beyond a small bound
        args = new ArrayList<>((int) Math.min(n, 16));
        commandBytes = 0;
        return true;
    }

    private boolean bulk(ByteBuf in, List<Object> out) {
        if (bulkLen < 0) {
            if (!in.isReadable()) {
                return false;
            }
            int eol = scanHeader(in);
            if (eol < 0) {
                if (in.readableBytes() > MAX_HEADER_LINE) {
                    fail(in, out, "ERR Protocol error: too big bulk count string");
                }
                return false;
            }
            byte first = in.getByte(in.readerIndex());
            if (first != '$') {
                fail(in, out, "ERR Protocol error: expected '$', got '" + (char) (first & 0xFF) + "'");
                return false;
            }
            long len = header.value();
            long max = client.authenticated ? config.maxBulkLength : 16384;
            if (len < 0 || len > max) {
                fail(in, out, "ERR Protocol error: invalid bulk length");
                return false;
            }
            commandBytes += len;
            if (commandBytes > config.queryBufferLimit) {
                fail(in, out, "ERR Protocol error: query buffer limit exceeded (" + config.queryBufferLimit
                        + " bytes, client-query-buffer-limit)");
                return false;
            }
            in.readerIndex(eol + 1);
            bulkLen = len;
        }
        if (in.readableBytes() < bulkLen + 2) {
            return false;
        }
        byte[] b = new byte[(int) bulkLen];
        in.readBytes(b);
        in.skipBytes(2);
        args.add(b);
        bulkLen = -1;
        if (--argsLeft == 0) {
            out.add(args);
            args = null;
            argsLeft = -1;
        }
        return true;
    }

    private boolean inline(ByteBuf in, List<Object> out) {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > config.maxInlineSize) {
                fail(in, out, "ERR Protocol error: too big inline request");
            }
            return false;
        }
        int end = eol;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
            end--;
        }
        if (end - in.readerIndex() > config.maxInlineSize) {
            fail(in, out, "ERR Protocol error: too big inline request");
            return false;
        }
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(eol + 1);
        List<byte[]> words = InlineSplitter.split(line);
        if (words == null) {
            fail(in, out, "ERR Protocol error: unbalanced quotes in request");
            return false;
        }
        if (!words.isEmpty()) {
            out.add(words);
        }
        return true;
    }

    /**
     * Finds the end of the header line at the reader index ({@code *<n>} or {@code $<len>}) and reads its number in
     * the same pass over the bytes; the index of its LF, or -1 while it is incomplete ({@link #header} then holds
     * the number). One pass with one bounds check beats a search then a checked read per digit.
     */
    private int scanHeader(ByteBuf in) {
        header.reset();
        int from = in.readerIndex() + 1;
        if (from >= in.writerIndex()) {
            return -1;
        }
        return in.forEachByte(from, in.writerIndex() - from, header);
    }

    /**
     * The decimal after a header's type byte up to its LF (a CR right before the LF ignored): at most 19
     * characters, an optional leading minus, digits only; else {@link #value()} is Long.MIN_VALUE.
     */
    private static final class HeaderNumber implements ByteProcessor {
        private long v;
        private int chars;
        private int digits;
        private boolean neg;
        private boolean cr;
        private boolean bad;

        void reset() {
            v = 0;
            chars = 0;
            digits = 0;
            neg = false;
            cr = false;
            bad = false;
        }

        @Override
        public boolean process(byte c) {
            if (c == '\n') {
                return false;
            }
            if (cr) {
                // a CR not followed by the LF is a character of the number, so not a digit
                bad = true;
                chars++;
                cr = false;
            }
            if (c == '\r') {
                cr = true;
                return true;
            }
            chars++;
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                digits++;
            } else if (c == '-' && chars == 1) {
                neg = true;
            } else {
                bad = true;
            }
            return true;
        }

        long value() {
            if (bad || digits == 0 || chars > 19) {
                return Long.MIN_VALUE;
            }
            return neg ? -v : v;
        }
    }

    private void fail(ByteBuf in, List<Object> out, String message) {
        failed = true;
        // consume the input: Netty refuses a decoded message when nothing was read
        in.skipBytes(in.readableBytes());
        args = null;
        out.add(new ProtocolError(message));
    }
}
