package io.redkit.formats.resp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A strict test-side parser of RESP request arrays (what redis-cli --pipe sends). */
final class RespParser {
    private RespParser() {
    }

    static List<List<byte[]>> parse(byte[] data) throws IOException {
        InputStream in = new ByteArrayInputStream(data);
        List<List<byte[]>> cmds = new ArrayList<>();
        int c;
        while ((c = in.read()) != -1) {
            if (c != '*') {
                throw new IOException("expected '*', got " + c + " after " + cmds.size() + " commands");
            }
            int n = (int) readLong(in);
            List<byte[]> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (in.read() != '$') {
                    throw new IOException("expected '$'");
                }
                int len = (int) readLong(in);
                byte[] b = in.readNBytes(len);
                if (b.length != len || in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("bad bulk");
                }
                args.add(b);
            }
            cmds.add(args);
        }
        return cmds;
    }

    static List<String> strings(List<byte[]> cmd) {
        List<String> l = new ArrayList<>();
        for (byte[] b : cmd) {
            l.add(new String(b, StandardCharsets.ISO_8859_1));
        }
        return l;
    }

    private static long readLong(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("eof in number");
            }
            sb.append((char) c);
        }
        if (in.read() != '\n') {
            throw new IOException("expected LF");
        }
        return Long.parseLong(sb.toString());
    }
}
