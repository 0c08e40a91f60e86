package io.redkit.live.scan;

import io.redkit.core.ErrorKind;
import io.redkit.core.RedkitException;
import io.redkit.live.net.BlockingRespClient;
import io.redkit.live.net.Reply;
import io.redkit.rdb.DumpPayloads;
import io.redkit.rdb.encoding.Crc64;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The keys of live servers as one RDB byte stream, produced as it is read: the header, then for each key found by
 * SCAN its database, absolute expiry, type byte and key followed by the value bytes of its DUMP payload copied
 * straight from the socket, then EOF. Per SCAN batch one pipeline asks every key's expiry and DUMP (and the next
 * SCAN), so a round trip is paid per batch, not per key. Each payload's footer (version, CRC64) is checked as it
 * passes; a value is never held whole, whatever its size.
 *
 * <pre>
 * "REDIS0010"  { [0xFE db] [0xFC expire-ms LE] type key value }*  0xFF 00000000 00000000
 *                                              ^ DUMP payload minus its first byte and 10-byte footer
 * </pre>
 */
final class ScanStream extends InputStream {
    private static final byte[] SCAN = ascii("SCAN");
    private static final byte[] COUNT = ascii("COUNT");
    private static final byte[] DUMP = ascii("DUMP");
    private static final byte[] PEXPIRETIME = ascii("PEXPIRETIME");
    private static final byte[] PTTL = ascii("PTTL");

    /** One server to scan and the databases it holds keys in. */
    record Node(String host, int port, List<Integer> dbs) {
    }

    private final List<Node> nodes;
    private final ScanOptions options;
    private final int version;
    private final boolean absoluteExpiry;
    private final byte[] batchWord;
    private final Stats stats;
    private final boolean framed;

    private int nodeIndex = -1;
    private BlockingRespClient conn;
    private int dbIndex;
    private int currentDb = -1;
    private int emittedDb = 0;

    private final List<byte[]> keys = new ArrayList<>();
    private int keyIndex;
    private boolean scanPending;

    private byte[] pending;
    private int pendingPos;
    private long bodyRemaining;
    private boolean footerPending;
    private long crc;
    private boolean started;
    private boolean finished;
    private final byte[] one = new byte[1];
    private final byte[] footer = new byte[DumpPayloads.FOOTER_BYTES];

    /** What a scan met; read by the source's owner (one thread). */
    static final class Stats {
        long keys;
        long vanished;
        long moved;
        long payloadBytes;
        final List<String> nodes = new ArrayList<>();
    }

    /**
     * @param version        the RDB version of the header: at least that of every payload
     * @param absoluteExpiry true when the servers have PEXPIRETIME (7.0+); else PTTL plus the local clock
     * @param framed         with the header and the EOF trailer; without, only the keys (a part of a whole)
     */
    ScanStream(List<Node> nodes, ScanOptions options, int version, boolean absoluteExpiry, Stats stats,
               boolean framed) {
        this.nodes = nodes;
        this.framed = framed;
        this.started = !framed;
        this.options = options;
        this.version = version;
        this.absoluteExpiry = absoluteExpiry;
        this.batchWord = ascii(Integer.toString(options.batch()));
        this.stats = stats;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (pending != null && pendingPos < pending.length) {
                int n = Math.min(len, pending.length - pendingPos);
                System.arraycopy(pending, pendingPos, b, off, n);
                pendingPos += n;
                return n;
            }
            if (bodyRemaining > 0) {
                int n = conn.readSome(b, off, (int) Math.min(len, bodyRemaining));
                crc = Crc64.update(crc, b, off, n);
                bodyRemaining -= n;
                return n;
            }
            if (footerPending) {
                finishPayload();
            }
            if (!advance()) {
                return -1;
            }
        }
    }

    /** Reads and checks the footer of the payload just copied. */
    private void finishPayload() throws IOException {
        footerPending = false;
        conn.readFully(footer, 0, footer.length);
        conn.readCrlf();
        crc = Crc64.update(crc, footer, 0, 2);
        int v = (footer[0] & 0xff) | (footer[1] & 0xff) << 8;
        if (v > version) {
            throw new RedkitException(ErrorKind.BAD_VERSION, conn.name(), -1, "DUMP payload",
                    "RDB version: found " + v + " (expected at most " + version + ", from the server's INFO)");
        }
        long stored = DumpPayloads.storedChecksum(footer, 2);
        if (stored != crc) {
            throw new RedkitException(ErrorKind.CHECKSUM, conn.name(), -1, "DUMP payload",
                    String.format(Locale.ROOT, "CRC64: found %016x (expected %016x)", stored, crc));
        }
    }

    /** Sets up the next bytes to hand out: the header, the next key, or the end; false when all is read. */
    private boolean advance() throws IOException {
        if (!started) {
            started = true;
            setPending(DumpPayloads.header(version));
            return true;
        }
        while (true) {
            if (finished) {
                return false;
            }
            if (keyIndex < keys.size()) {
                if (nextKey(keys.get(keyIndex++))) {
                    return true;
                }
                continue;
            }
            keys.clear();
            keyIndex = 0;
            if (scanPending) {
                readScanReply();
                continue;
            }
            if (!nextDb()) {
                finished = true;
                if (!framed) {
                    return false;
                }
                setPending(DumpPayloads.trailer());
                return true;
            }
        }
    }

    /** The replies of one key: its prefix when it is there, false when it went away (or moved) meanwhile. */
    private boolean nextKey(byte[] key) throws IOException {
        long expireAt;
        try {
            long r = conn.readInteger();
            expireAt = r < 0 || absoluteExpiry ? r : saturatedAdd(System.currentTimeMillis(), r);
        } catch (BlockingRespClient.ServerErrorException e) {
            if (!redirect(e)) {
                throw serverError(e, "PEXPIRETIME");
            }
            expireAt = -2;
        }
        long len;
        try {
            len = conn.readBulkLength();
        } catch (BlockingRespClient.ServerErrorException e) {
            if (!redirect(e)) {
                throw serverError(e, "DUMP");
            }
            stats.moved++;
            return false;
        }
        if (len < 0) {
            stats.vanished++;
            return false;
        }
        if (expireAt == -2) {
            // created after its expiry was asked for: SCAN does not promise keys that were not there all along
            conn.skip(len);
            conn.readCrlf();
            stats.vanished++;
            return false;
        }
        if (len < DumpPayloads.MIN_BYTES) {
            throw new RedkitException(ErrorKind.TRUNCATED, conn.name(), -1, "DUMP payload",
                    "length: found " + len + " (expected at least " + DumpPayloads.MIN_BYTES + ")");
        }
        int type = conn.readByte();
        one[0] = (byte) type;
        crc = Crc64.update(0, one, 0, 1);
        setPending(DumpPayloads.keyPrefix(currentDb != emittedDb ? currentDb : -1, expireAt, type, key));
        emittedDb = currentDb;
        bodyRemaining = len - DumpPayloads.MIN_BYTES;
        footerPending = true;
        stats.keys++;
        stats.payloadBytes += len;
        return true;
    }

    /** A reply naming another node (slots moving in a cluster): the key is counted and left to that node's scan. */
    private static boolean redirect(BlockingRespClient.ServerErrorException e) {
        String c = e.code();
        return c.equals("MOVED") || c.equals("ASK") || c.equals("TRYAGAIN");
    }

    private IOException serverError(BlockingRespClient.ServerErrorException e, String what) {
        return new IOException(conn.name() + ": " + what + " failed: " + e.reply());
    }

    /** The SCAN reply: its keys get one pipeline of expiry and DUMP requests, with the next SCAN behind them. */
    private void readScanReply() throws IOException {
        scanPending = false;
        Reply r = conn.read();
        if (r.isError()) {
            throw new IOException(conn.name() + ": SCAN failed: " + r.text());
        }
        List<Reply> l = r.items();
        if (r.type() != Reply.Type.ARRAY || l.size() != 2 || l.get(0).type() != Reply.Type.BULK
                || l.get(1).type() != Reply.Type.ARRAY) {
            throw new RedkitException(ErrorKind.BAD_FORMAT, conn.name(), -1, "SCAN reply",
                    "expected [cursor, [key...]]");
        }
        byte[] cursor = l.get(0).bytes();
        for (Reply k : l.get(1).items()) {
            if (k.type() != Reply.Type.BULK) {
                throw new RedkitException(ErrorKind.BAD_FORMAT, conn.name(), -1, "SCAN reply", "a key is not a bulk");
            }
            byte[] key = k.bytes();
            keys.add(key);
            conn.send(absoluteExpiry ? PEXPIRETIME : PTTL, key);
            conn.send(DUMP, key);
        }
        boolean more = !(cursor.length == 1 && cursor[0] == '0');
        if (more) {
            conn.send(SCAN, cursor, COUNT, batchWord);
            scanPending = true;
        }
        conn.flush();
    }

    /** Moves to the next database (or node) with keys and sends its first SCAN; false when none is left. */
    private boolean nextDb() throws IOException {
        while (true) {
            if (conn != null && dbIndex < nodes.get(nodeIndex).dbs().size()) {
                int db = nodes.get(nodeIndex).dbs().get(dbIndex++);
                if (db != 0 || currentDb != -1) {
                    Reply r = conn.call("SELECT", Integer.toString(db));
                    if (r.isError()) {
                        throw new IOException(conn.name() + ": SELECT " + db + " failed: " + r.text());
                    }
                }
                currentDb = db;
                conn.send(SCAN, ascii("0"), COUNT, batchWord);
                conn.flush();
                scanPending = true;
                return true;
            }
            if (conn != null) {
                conn.close();
                conn = null;
            }
            if (nodeIndex + 1 >= nodes.size()) {
                return false;
            }
            Node n = nodes.get(++nodeIndex);
            dbIndex = 0;
            currentDb = -1;
            conn = options.connect(n.host(), n.port());
            stats.nodes.add(conn.name());
        }
    }

    private void setPending(byte[] b) {
        pending = b;
        pendingPos = 0;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        finished = true;
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }
}
