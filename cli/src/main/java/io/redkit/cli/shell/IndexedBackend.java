package io.redkit.cli.shell;

import io.redkit.core.sink.Glob;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A backend whose keys are known from a {@link KeyIndex}: everything but values is answered from the index. */
abstract class IndexedBackend implements Backend {
    final KeyIndex index;

    IndexedBackend(KeyIndex index) {
        this.index = index;
    }

    /** Info lines about the source itself (before the per-database counts). */
    abstract List<String[]> sourceInfo() throws IOException;

    @Override
    public List<String[]> info() throws IOException {
        List<String[]> out = new ArrayList<>(sourceInfo());
        Map<Integer, long[]> perDb = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < index.size(); i++) {
            long[] c = perDb.computeIfAbsent(index.db(i), d -> new long[3]);
            c[0]++;
            if (index.expireAt(i) >= 0) {
                c[1]++;
            }
            c[2] += index.memory(i);
            total += index.memory(i);
        }
        out.add(new String[]{"keys", Long.toString(index.size())});
        for (Map.Entry<Integer, long[]> e : perDb.entrySet()) {
            long[] c = e.getValue();
            out.add(new String[]{"db" + e.getKey(), "keys=" + c[0] + " expires=" + c[1] + " est. memory=" + Text.human(c[2])});
        }
        out.add(new String[]{"est. memory", Text.human(total) + " (" + total + " bytes, as Redis 7.0 would hold it)"});
        out.add(new String[]{"key index", index.size() + " keys, ~" + Text.human(index.heapBytes()) + " of heap"});
        return out;
    }

    @Override
    public KeyMeta meta(int db, byte[] key) {
        int i = index.find(db, key);
        return i < 0 ? null : metaAt(i);
    }

    KeyMeta metaAt(int i) {
        return new KeyMeta(index.db(i), index.key(i), index.type(i).id(), index.expireAt(i), index.memory(i));
    }

    @Override
    public void keys(int db, byte[] pattern, KeyVisitor v) throws IOException {
        Glob glob = pattern == null ? null : new Glob(pattern);
        // a pattern with a literal head only needs the range of keys sharing that head
        byte[] head = pattern == null ? new byte[0] : literalHead(pattern);
        for (int i = index.lowerBound(db, head); i < index.size() && index.startsWith(i, db, head); i++) {
            byte[] k = index.key(i);
            if ((glob == null || glob.matches(k)) && !v.visit(k)) {
                return;
            }
        }
    }

    @Override
    public String metas(int db, MetaVisitor v) throws IOException {
        for (int i = index.lowerBound(db, new byte[0]); i < index.size() && index.db(i) == db; i++) {
            if (!v.visit(metaAt(i))) {
                break;
            }
        }
        return null;
    }

    @Override
    public List<byte[]> complete(int db, byte[] prefix, int max) {
        List<byte[]> out = new ArrayList<>();
        for (int i = index.lowerBound(db, prefix); i < index.size() && out.size() < max
                && index.startsWith(i, db, prefix); i++) {
            out.add(index.key(i));
        }
        return out;
    }

    /** The bytes of a glob before its first special character. */
    static byte[] literalHead(byte[] pattern) {
        int i = 0;
        while (i < pattern.length) {
            byte b = pattern[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                break;
            }
            i++;
        }
        return java.util.Arrays.copyOf(pattern, i);
    }
}
