package io.redkit.kv.server;

import io.redkit.kv.KvEngine;
import io.redkit.kv.Reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the server knows about each command: Redis's arity, flags, key positions and group. The server uses it to
 * find the keys a write touches (WATCH, blocked clients, script undo), to refuse writes at the memory limit, and to
 * answer COMMAND. Engine commands are listed only when the engine implements them (probed on an empty engine).
 */
final class CommandTable {
    /** One command; {@code first}/{@code last}/{@code step} as in COMMAND INFO (last -1: to the end). */
    record Cmd(String name, int arity, String flags, int first, int last, int step, String group, boolean server) {
        boolean write() {
            return flags.indexOf('w') >= 0;
        }

        boolean denyOom() {
            return flags.indexOf('m') >= 0;
        }

        boolean noScript() {
            return flags.indexOf('s') >= 0;
        }

        /** The key arguments of a call (positions by first/last/step); empty when the command takes none. */
        List<byte[]> keys(List<byte[]> argv) {
            if (first <= 0 || argv.size() <= first) {
                return List.of();
            }
            int end = last < 0 ? argv.size() + last : Math.min(last, argv.size() - 1);
            List<byte[]> out = new ArrayList<>();
            for (int i = first; i <= end; i += step) {
                out.add(argv.get(i));
            }
            return out;
        }

        /** The flag words COMMAND shows. */
        List<Object> flagWords() {
            List<Object> w = new ArrayList<>();
            for (char c : flags.toCharArray()) {
                switch (c) {
                    case 'w' -> w.add(simple("write"));
                    case 'r' -> w.add(simple("readonly"));
                    case 'm' -> w.add(simple("denyoom"));
                    case 'f' -> w.add(simple("fast"));
                    case 's' -> w.add(simple("noscript"));
                    case 'b' -> w.add(simple("blocking"));
                    case 'p' -> w.add(simple("pubsub"));
                    case 'l' -> w.add(simple("loading"));
                    case 'a' -> w.add(simple("admin"));
                    default -> {
                    }
                }
            }
            return w;
        }
    }

    private static Reply simple(String s) {
        return new Reply.Simple(s);
    }

    // name arity flags first last step group; flags: w write, r readonly, m denyoom, f fast, s noscript,
    // b blocking, p pubsub, l loading, a admin; '-' for none
    private static final String ENGINE = """
            get 2 rf 1 1 1 string
            set -3 wm 1 1 1 string
            setnx 3 wmf 1 1 1 string
            setex 4 wm 1 1 1 string
            psetex 4 wm 1 1 1 string
            getset 3 wmf 1 1 1 string
            getdel 2 wf 1 1 1 string
            getex -2 wf 1 1 1 string
            mget -2 rf 1 -1 1 string
            mset -3 wm 1 -1 2 string
            msetnx -3 wm 1 -1 2 string
            incr 2 wmf 1 1 1 string
            decr 2 wmf 1 1 1 string
            incrby 3 wmf 1 1 1 string
            decrby 3 wmf 1 1 1 string
            incrbyfloat 3 wmf 1 1 1 string
            append 3 wmf 1 1 1 string
            strlen 2 rf 1 1 1 string
            getrange 4 r 1 1 1 string
            setrange 4 wm 1 1 1 string
            getbit 3 rf 1 1 1 bitmap
            setbit 4 wm 1 1 1 bitmap
            bitcount -2 r 1 1 1 bitmap
            pfadd -2 wmf 1 1 1 hyperloglog
            pfcount -2 r 1 -1 1 hyperloglog
            pfmerge -2 wm 1 -1 1 hyperloglog
            move 3 wf 1 1 1 generic
            hellotype.insert 3 wm 1 1 1 module
            hellotype.range 4 r 1 1 1 module
            hellotype.len 2 r 1 1 1 module
            del -2 w 1 -1 1 generic
            unlink -2 wf 1 -1 1 generic
            exists -2 rf 1 -1 1 generic
            type 2 rf 1 1 1 generic
            expire -3 wf 1 1 1 generic
            pexpire -3 wf 1 1 1 generic
            expireat -3 wf 1 1 1 generic
            pexpireat -3 wf 1 1 1 generic
            ttl 2 rf 1 1 1 generic
            pttl 2 rf 1 1 1 generic
            expiretime 2 rf 1 1 1 generic
            pexpiretime 2 rf 1 1 1 generic
            persist 2 wf 1 1 1 generic
            rename 3 w 1 2 1 generic
            renamenx 3 wf 1 2 1 generic
            scan -2 r 0 0 0 generic
            keys 2 r 0 0 0 generic
            randomkey 1 r 0 0 0 generic
            dbsize 1 rf 0 0 0 server
            flushdb -1 w 0 0 0 server
            flushall -1 w 0 0 0 server
            dump 2 r 1 1 1 generic
            restore -4 wm 1 1 1 generic
            object -2 r 2 2 1 generic
            copy -3 wm 1 2 1 generic
            touch -2 rf 1 -1 1 generic
            lpush -3 wmf 1 1 1 list
            rpush -3 wmf 1 1 1 list
            lpushx -3 wmf 1 1 1 list
            rpushx -3 wmf 1 1 1 list
            lpop -2 wf 1 1 1 list
            rpop -2 wf 1 1 1 list
            lrange 4 r 1 1 1 list
            llen 2 rf 1 1 1 list
            lindex 3 r 1 1 1 list
            lset 4 wm 1 1 1 list
            lrem 4 w 1 1 1 list
            ltrim 4 w 1 1 1 list
            linsert 5 wm 1 1 1 list
            lpos -3 r 1 1 1 list
            hset -4 wmf 1 1 1 hash
            hsetnx 4 wmf 1 1 1 hash
            hmset -4 wmf 1 1 1 hash
            hget 3 rf 1 1 1 hash
            hdel -3 wf 1 1 1 hash
            hgetall 2 r 1 1 1 hash
            hkeys 2 r 1 1 1 hash
            hvals 2 r 1 1 1 hash
            hlen 2 rf 1 1 1 hash
            hexists 3 rf 1 1 1 hash
            hmget -3 rf 1 1 1 hash
            hincrby 4 wmf 1 1 1 hash
            hincrbyfloat 4 wmf 1 1 1 hash
            hstrlen 3 rf 1 1 1 hash
            hscan -3 r 1 1 1 hash
            hrandfield -2 r 1 1 1 hash
            hexpire -6 wf 1 1 1 hash
            hpexpire -6 wf 1 1 1 hash
            hexpireat -6 wf 1 1 1 hash
            hpexpireat -6 wf 1 1 1 hash
            httl -5 rf 1 1 1 hash
            hpttl -5 rf 1 1 1 hash
            hexpiretime -5 rf 1 1 1 hash
            hpexpiretime -5 rf 1 1 1 hash
            hpersist -5 wf 1 1 1 hash
            sadd -3 wmf 1 1 1 set
            srem -3 wf 1 1 1 set
            smembers 2 r 1 1 1 set
            sismember 3 rf 1 1 1 set
            smismember -3 rf 1 1 1 set
            scard 2 rf 1 1 1 set
            spop -2 wf 1 1 1 set
            srandmember -2 r 1 1 1 set
            smove 4 wf 1 2 1 set
            sinter -2 r 1 -1 1 set
            sunion -2 r 1 -1 1 set
            sdiff -2 r 1 -1 1 set
            sintercard -3 r 0 0 0 set
            sinterstore -3 wm 1 -1 1 set
            sunionstore -3 wm 1 -1 1 set
            sdiffstore -3 wm 1 -1 1 set
            sscan -3 r 1 1 1 set
            zadd -4 wmf 1 1 1 sorted_set
            zrem -3 wf 1 1 1 sorted_set
            zscore 3 rf 1 1 1 sorted_set
            zmscore -3 rf 1 1 1 sorted_set
            zcard 2 rf 1 1 1 sorted_set
            zcount 4 rf 1 1 1 sorted_set
            zlexcount 4 rf 1 1 1 sorted_set
            zincrby 4 wmf 1 1 1 sorted_set
            zrange -4 r 1 1 1 sorted_set
            zrangebyscore -4 r 1 1 1 sorted_set
            zrevrangebyscore -4 r 1 1 1 sorted_set
            zrangebylex -4 r 1 1 1 sorted_set
            zrevrangebylex -4 r 1 1 1 sorted_set
            zrevrange -4 r 1 1 1 sorted_set
            zrangestore -5 wm 1 2 1 sorted_set
            zrank -3 rf 1 1 1 sorted_set
            zrevrank -3 rf 1 1 1 sorted_set
            zpopmin -2 wf 1 1 1 sorted_set
            zpopmax -2 wf 1 1 1 sorted_set
            zremrangebyscore 4 w 1 1 1 sorted_set
            zremrangebyrank 4 w 1 1 1 sorted_set
            zremrangebylex 4 w 1 1 1 sorted_set
            zunionstore -4 wm 1 1 1 sorted_set
            zinterstore -4 wm 1 1 1 sorted_set
            zdiffstore -4 wm 1 1 1 sorted_set
            zscan -3 r 1 1 1 sorted_set
            xadd -5 wmf 1 1 1 stream
            xrange -4 r 1 1 1 stream
            xrevrange -4 r 1 1 1 stream
            xlen 2 rf 1 1 1 stream
            xdel -3 wf 1 1 1 stream
            xtrim -4 w 1 1 1 stream
            xsetid -3 wmf 1 1 1 stream
            xgroup -2 w 2 2 1 stream
            xreadgroup -7 wm 0 0 0 stream
            xread -4 r 0 0 0 stream
            xack -4 wf 1 1 1 stream
            xpending -3 r 1 1 1 stream
            xclaim -6 wf 1 1 1 stream
            xautoclaim -6 wf 1 1 1 stream
            xinfo -2 r 2 2 1 stream
            ping -1 f 0 0 0 connection
            echo 2 f 0 0 0 connection
            """;

    private static final String SERVER = """
            auth -2 sfl 0 0 0 connection
            hello -1 sfl 0 0 0 connection
            select 2 lf 0 0 0 connection
            quit -1 sfl 0 0 0 connection
            reset 1 sfl 0 0 0 connection
            client -2 sl 0 0 0 connection
            acl -2 sl 0 0 0 server
            multi 1 sfl 0 0 0 transactions
            exec 1 sl 0 0 0 transactions
            discard 1 sfl 0 0 0 transactions
            watch -2 sf 1 -1 1 transactions
            unwatch 1 sf 0 0 0 transactions
            blpop -3 wb 1 -2 1 list
            brpop -3 wb 1 -2 1 list
            blmove 6 wmb 1 2 1 list
            brpoplpush 4 wmb 1 2 1 list
            xread -4 rb 0 0 0 stream
            lmove 5 wm 1 2 1 list
            rpoplpush 3 wm 1 2 1 list
            subscribe -2 psl 0 0 0 pubsub
            psubscribe -2 psl 0 0 0 pubsub
            unsubscribe -1 psl 0 0 0 pubsub
            punsubscribe -1 psl 0 0 0 pubsub
            publish 3 pfl 0 0 0 pubsub
            pubsub -2 pl 0 0 0 pubsub
            info -1 l 0 0 0 server
            time 1 lf 0 0 0 server
            config -2 asl 0 0 0 server
            command -1 l 0 0 0 server
            save 1 as 0 0 0 server
            bgsave -1 a 0 0 0 server
            bgrewriteaof 1 as 0 0 0 server
            lastsave 1 f 0 0 0 server
            shutdown -1 asl 0 0 0 server
            swapdb 3 wf 0 0 0 server
            eval -3 s 0 0 0 scripting
            evalsha -3 s 0 0 0 scripting
            eval_ro -3 s 0 0 0 scripting
            evalsha_ro -3 s 0 0 0 scripting
            script -2 s 0 0 0 scripting
            """;

    private final Map<String, Cmd> byName = new HashMap<>();

    CommandTable() {
        KvEngine probe = new KvEngine();
        for (String line : ENGINE.split("\n")) {
            Cmd c = parse(line, false);
            if (c != null && implemented(probe, c.name)) {
                byName.put(c.name, c);
            }
        }
        for (String line : SERVER.split("\n")) {
            Cmd c = parse(line, true);
            if (c != null) {
                byName.put(c.name, c);
            }
        }
        probe.close();
        index();
    }

    private static boolean implemented(KvEngine probe, String name) {
        Reply r = probe.execute(0, List.of(name.getBytes(StandardCharsets.US_ASCII)));
        return !(r instanceof Reply.Error e && e.text().startsWith("ERR unknown command"));
    }

    private static Cmd parse(String line, boolean server) {
        String[] f = line.trim().split(" ");
        if (f.length != 7) {
            return null;
        }
        return new Cmd(f[0], Integer.parseInt(f[1]), f[2].equals("-") ? "" : f[2], Integer.parseInt(f[3]),
                Integer.parseInt(f[4]), Integer.parseInt(f[5]), f[6], server);
    }

    /** Open-addressing index of lower-case names, probed with the request's bytes as they are (no String). */
    private Cmd[] slots;
    private byte[][] slotNames;

    private void index() {
        int cap = Integer.highestOneBit(Math.max(16, byName.size() * 4) - 1) << 1;
        slots = new Cmd[cap];
        slotNames = new byte[cap][];
        for (Cmd c : byName.values()) {
            byte[] n = c.name.getBytes(StandardCharsets.US_ASCII);
            int i = hashLower(n) & (cap - 1);
            while (slots[i] != null) {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = c;
            slotNames[i] = n;
        }
    }

    private static int hashLower(byte[] b) {
        int h = 0;
        for (byte x : b) {
            h = 31 * h + (x >= 'A' && x <= 'Z' ? x + 32 : x);
        }
        return h ^ (h >>> 16);
    }

    private static boolean equalsLower(byte[] name, byte[] lower) {
        if (name.length != lower.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            byte x = name[i];
            if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /** The command named by the bytes (any case), or null; allocates nothing (it runs once per request). */
    Cmd lookup(byte[] name) {
        if (name.length > 32) {
            return null;
        }
        int mask = slots.length - 1;
        for (int i = hashLower(name) & mask; slots[i] != null; i = (i + 1) & mask) {
            if (equalsLower(name, slotNames[i])) {
                return slots[i];
            }
        }
        return null;
    }

    /** The command by its lower-case name, or null. */
    Cmd get(String name) {
        return byName.get(name);
    }

    Collection<Cmd> all() {
        return byName.values();
    }

    /** One COMMAND (INFO) entry: name, arity, flags, first key, last key, step, ACL categories, tips, key specs, subcommands. */
    static Object info(Cmd c) {
        return new Out.Arr(List.of(c.name, (long) c.arity, new Out.Arr(c.flagWords()), (long) c.first,
                (long) c.last, (long) c.step, new Out.Arr(List.of(simple("@" + c.group))), new Out.Arr(List.of()),
                new Out.Arr(List.of()), new Out.Arr(List.of())));
    }

    /** One COMMAND DOCS entry's value: summary, since, group and (empty) arguments. */
    static Object docs(Cmd c) {
        return new Out.MapR(List.of("summary", c.name.toUpperCase(Locale.ROOT) + " (redkit)", "since", "1.0.0",
                "group", c.group, "complexity", "", "arguments", new Out.Arr(List.of())));
    }
}
