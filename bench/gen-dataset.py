#!/usr/bin/env python3
"""Writes, on stdout, the RESP commands that build the benchmark dataset (feed it to `redis-cli --pipe`).

A mixed dataset of every type, mostly many small and medium keys plus a few big ones, deterministic
for a given --scale (1.0 gives an RDB of about 1 GB with Redis 7.0 defaults):
  db 0: strings (int, random hex, compressible text; 10% with a TTL), small hashes (listpack),
        small lists, big lists / hashes / strings
  db 1: sets (intset and string members), zsets (listpack and skiplist), big sets and zsets
  db 2: streams with consumer groups and pending entries
Python standard library only.
"""
import argparse
import os
import random
import sys

TTL_BASE = 4102444800000  # 2100-01-01 in unix ms: far-future absolute expiries


class Out:
    def __init__(self, stream):
        self.stream = stream
        self.buf = []
        self.size = 0

    def cmd(self, *args):
        parts = [b"*%d\r\n" % len(args)]
        for a in args:
            if not isinstance(a, bytes):
                a = str(a).encode()
            parts.append(b"$%d\r\n" % len(a))
            parts.append(a)
            parts.append(b"\r\n")
        chunk = b"".join(parts)
        self.buf.append(chunk)
        self.size += len(chunk)
        if self.size >= 1 << 20:
            self.flush()

    def flush(self):
        self.stream.write(b"".join(self.buf))
        self.buf = []
        self.size = 0


WORDS = (b"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
         b"incididunt ut labore et dolore magna aliqua ").split()


def text(rnd, n):
    out = []
    size = 0
    while size < n:
        w = WORDS[rnd.randrange(len(WORDS))]
        out.append(w)
        size += len(w) + 1
    return b" ".join(out)[:n]


def hexval(rnd, n):
    return rnd.randbytes((n + 1) // 2).hex().encode()[:n]


def strings(o, rnd, n):
    batch = []
    for i in range(n):
        k = b"str:%09d" % i
        m = i % 3
        if m == 0:
            v = b"%d" % (i * 37)
        elif m == 1:
            v = hexval(rnd, rnd.randrange(16, 240))
        else:
            v = text(rnd, rnd.randrange(40, 400))
        if i % 10 == 0:
            o.cmd(b"SET", k, v, b"PXAT", TTL_BASE + i)
        else:
            batch.append(k)
            batch.append(v)
            if len(batch) >= 200:
                o.cmd(b"MSET", *batch)
                batch = []
    if batch:
        o.cmd(b"MSET", *batch)


def hashes(o, rnd, n):
    for i in range(n):
        k = b"hash:%08d" % i
        args = [b"HSET", k]
        for j in range(rnd.randrange(10, 31)):
            args.append(b"field:%d" % j)
            args.append(hexval(rnd, rnd.randrange(8, 41)) if j % 2 else b"%d" % rnd.randrange(1 << 40))
        o.cmd(*args)
        if i % 10 == 0:
            o.cmd(b"PEXPIREAT", k, TTL_BASE + i)


def lists(o, rnd, n):
    for i in range(n):
        args = [b"RPUSH", b"list:%08d" % i]
        for j in range(rnd.randrange(10, 61)):
            args.append(b"%d" % rnd.randrange(1 << 20) if j % 2 else text(rnd, rnd.randrange(4, 24)))
        o.cmd(*args)


def sets(o, rnd, n):
    for i in range(n):
        if i % 2 == 0:
            args = [b"SADD", b"iset:%08d" % i] + [b"%d" % rnd.randrange(1 << 31) for _ in range(rnd.randrange(10, 200))]
        else:
            args = [b"SADD", b"sset:%08d" % i] + [hexval(rnd, 16) for _ in range(rnd.randrange(10, 100))]
        o.cmd(*args)


def zsets(o, rnd, n):
    for i in range(n):
        args = [b"ZADD", b"zset:%08d" % i]
        for j in range(rnd.randrange(10, 100)):
            score = b"%d" % rnd.randrange(1 << 30) if j % 2 else repr(rnd.random() * 1000).encode()
            args.append(score)
            args.append(b"member:%d" % rnd.randrange(1 << 30))
        o.cmd(*args)


def streams(o, rnd, n):
    for i in range(n):
        k = b"stream:%07d" % i
        count = rnd.randrange(20, 100)
        for j in range(count):
            o.cmd(b"XADD", k, b"%d-%d" % (1700000000000 + j * 1000, j), b"sensor", b"%d" % (j % 17),
                  b"temp", repr(rnd.random() * 40).encode(), b"note", text(rnd, rnd.randrange(5, 30)))
        if i % 4 == 0:
            o.cmd(b"XGROUP", b"CREATE", k, b"g1", b"0")
            o.cmd(b"XREADGROUP", b"GROUP", b"g1", b"alice", b"COUNT", b"5", b"STREAMS", k, b">")
            o.cmd(b"XREADGROUP", b"GROUP", b"g1", b"bob", b"COUNT", b"3", b"STREAMS", k, b">")
            o.cmd(b"XACK", k, b"g1", b"%d-%d" % (1700000000000, 0))


def big_list(o, rnd, k, n):
    for start in range(0, n, 1000):
        o.cmd(b"RPUSH", k, *[b"element-%d-%s" % (x, hexval(rnd, 8)) for x in range(start, min(n, start + 1000))])


def big_hash(o, rnd, k, n):
    for start in range(0, n, 1000):
        args = [b"HSET", k]
        for x in range(start, min(n, start + 1000)):
            args.append(b"f%d" % x)
            args.append(hexval(rnd, 20))
        o.cmd(*args)


def big_set(o, rnd, k, n):
    for start in range(0, n, 1000):
        o.cmd(b"SADD", k, *[b"m%d-%s" % (x, hexval(rnd, 8)) for x in range(start, min(n, start + 1000))])


def big_zset(o, rnd, k, n):
    for start in range(0, n, 1000):
        args = [b"ZADD", k]
        for x in range(start, min(n, start + 1000)):
            args.append(repr(rnd.random() * 1e6).encode())
            args.append(b"z%d" % x)
        o.cmd(*args)


def big_string(o, rnd, k, size):
    chunk = 1 << 20
    for off in range(0, size, chunk):
        o.cmd(b"APPEND", k, hexval(rnd, min(chunk, size - off)) if off % (2 * chunk) == 0 else text(rnd, min(chunk, size - off)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 gives about 1 GB of RDB")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    s = a.scale
    o = Out(sys.stdout.buffer)

    def n(x):
        return max(1, int(x * s))

    o.cmd(b"SELECT", b"0")
    strings(o, rnd, n(3_000_000))
    hashes(o, rnd, n(300_000))
    lists(o, rnd, n(200_000))
    for b in range(4):
        big_list(o, rnd, b"big:list:%d" % b, n(500_000))
        big_hash(o, rnd, b"big:hash:%d" % b, n(250_000))
        big_string(o, rnd, b"big:string:%d" % b, n(16 << 20))
    o.cmd(b"SELECT", b"1")
    sets(o, rnd, n(200_000))
    zsets(o, rnd, n(150_000))
    for b in range(2):
        big_set(o, rnd, b"big:set:%d" % b, n(200_000))
        big_zset(o, rnd, b"big:zset:%d" % b, n(200_000))
    o.cmd(b"SELECT", b"2")
    streams(o, rnd, n(20_000))
    o.flush()
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        os._exit(1)
