package io.redkit.kv.server;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RESP3 reply shapes byte for byte: after HELLO 3 the same commands go to kv serve and to a real redis-server 7.0
 * and the raw reply bytes must be equal (maps, sets, doubles, nulls, nested score pairs, pushes), also in RESP2
 * for the same list. Commands whose reply order Redis leaves to its hash tables use one element.
 */
class KvServeResp3IT {
    @RegisterExtension
    static final SideBySide servers = new SideBySide();

    static final List<String> COMMANDS = List.of(
            "FLUSHALL", "PING", "PING hi", "ECHO x", "GET nokey", "SET s 1", "GET s", "INCR s", "INCRBYFLOAT s 1.5",
            "MGET s nokey", "SET s v NX", "SET s v GET", "GETDEL nokey", "STRLEN s", "APPEND s x",
            "HSET h f v", "HGETALL h", "HGETALL nokey", "HGET h nokey", "HMGET h f nokey", "HKEYS h", "HVALS h",
            "HEXISTS h f", 
            "SADD st a", "SMEMBERS st", "SMEMBERS nokey", "SINTER st", "SUNION st nokey", "SDIFF st nokey",
            "SISMEMBER st a", "SPOP nokey", "SPOP nokey 2", 
            "ZADD z 1 a 2 b", "ZSCORE z a", "ZSCORE z nokey", "ZINCRBY z 2 a",
            "ZRANGE z 0 -1", "ZRANGE z 0 -1 WITHSCORES", 
            "ZADD z INCR 1 b", "ZADD z NX INCR 1 b", "ZRANK z a", "ZRANK z nokey",
            "ZPOPMIN z", "ZPOPMAX nokey", "ZADD z 5 c 6 d", "ZPOPMIN z 2", "ZPOPMAX z 1", "ZCARD z",
            "ZUNIONSTORE zu 1 z", "ZRANGE zu 0 -1 WITHSCORES",
            "RPUSH l a b", "LRANGE l 0 -1", "LPOP l", "LPOP nokey", "LPOP nokey 2", "BLPOP l 0.01",
            "BLPOP nokey 0.01", "LINDEX l 9",
            "XADD x 1-1 f v", "XRANGE x - +", "XRANGE nokey - +", "XLEN x", "XREAD STREAMS x 0",
            "XREAD STREAMS nokey 0", "XGROUP CREATE x g 0", "XINFO GROUPS x", "XINFO STREAM x", "XADD y 1-1 a b", "XGROUP CREATE y gy 0",
            "XINFO STREAM y FULL",
            "XREADGROUP GROUP g c STREAMS x >", "XPENDING x g", 
            "TYPE s", "TTL s", "EXPIRETIME nokey", "EXISTS s nokey", "DBSIZE", "OBJECT ENCODING nokey",
            "CONFIG GET maxmemory", "CONFIG GET nosuch", "SCAN 0 COUNT 100 TYPE set", "KEYS st",
            "MULTI", "GET nokey", "ZSCORE z c", "SMEMBERS st", "EXEC", "EXEC",
            "EVAL \"return redis.call('get', KEYS[1])\" 1 nokey", "EVAL \"return {1,2,'x'}\" 0",
            "EVAL \"return 1.5\" 0", "EVAL \"return true\" 0", "EVAL \"return false\" 0",
            "GET st", "NOSUCHCOMMAND", "GET");

    @Test
    void rawRepliesAgreeInResp3() throws IOException {
        compare(3);
    }

    @Test
    void rawRepliesAgreeInResp2() throws IOException {
        compare(2);
    }

    private static void compare(int proto) throws IOException {
        try (Raw a = new Raw(servers.kv.port()); Raw b = new Raw(servers.redisPort)) {
            a.call(List.of("HELLO", Integer.toString(proto)));
            b.call(List.of("HELLO", Integer.toString(proto)));
            List<String> failures = new ArrayList<>();
            for (String line : COMMANDS) {
                List<String> argv = split(line);
                String ra = a.call(argv);
                String rb = b.call(argv);
                if (!ra.equals(rb)) {
                    failures.add(line + "\n   kv serve: " + ra + "\n   redis:    " + rb);
                }
            }
            if (!failures.isEmpty()) {
                fail("RESP" + proto + ": " + failures.size() + " differences:\n" + String.join("\n", failures));
            }
        }
    }

    /** Words split on spaces; a double-quoted word may hold spaces. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean q = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                q = !q;
            } else if (c == ' ' && !q) {
                out.add(w.toString());
                w.setLength(0);
            } else {
                w.append(c);
            }
        }
        out.add(w.toString());
        return out;
    }

    /** A client that returns each reply's raw bytes (CR LF shown as |). */
    static final class Raw implements AutoCloseable {
        final Socket s;
        final InputStream in;
        final OutputStream out;

        Raw(int port) throws IOException {
            s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        String call(List<String> argv) throws IOException {
            List<byte[]> b = new ArrayList<>();
            for (String w : argv) {
                b.add(w.getBytes(StandardCharsets.UTF_8));
            }
            out.write(RawClient.encode(b));
            out.flush();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            reply(raw);
            return raw.toString(StandardCharsets.UTF_8).replace("\r\n", "|");
        }

        private void reply(ByteArrayOutputStream raw) throws IOException {
            int t = in.read();
            if (t < 0) {
                throw new IOException("connection closed");
            }
            raw.write(t);
            String line = line(raw);
            switch (t) {
                case '$', '=', '!' -> {
                    int n = Integer.parseInt(line);
                    if (n >= 0) {
                        raw.write(in.readNBytes(n + 2));
                    }
                }
                case '*', '~', '>', '%', '|' -> {
                    int n = Integer.parseInt(line);
                    int items = t == '%' || t == '|' ? 2 * n : n;
                    for (int i = 0; i < items; i++) {
                        reply(raw);
                    }
                }
                default -> {
                }
            }
        }

        private String line(ByteArrayOutputStream raw) throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                raw.write(c);
                if (c == '\n') {
                    break;
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }
}
