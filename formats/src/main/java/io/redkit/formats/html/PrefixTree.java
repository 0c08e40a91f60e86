package io.redkit.formats.html;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Estimated memory by key prefix as a tree: a key {@code a:b:c} counts for {@code a}, then {@code a:b},
 * and ends in {@code a:b} as one of its own keys (the last segment names the key, not a group). The
 * tree is bounded whatever the input: at most {@code maxDepth} levels, {@code maxChildren} children per
 * node and {@code maxNodes} nodes below the first level; a key that would need a node beyond those bounds
 * is counted as "other" of the deepest node it reached. Which prefixes get a node is first come, first
 * served, so the figures of every node are exact and only the split of "other" is lost.
 */
public final class PrefixTree {
    /** Default bounds: deep and wide enough for a readable flame graph, small enough to draw. */
    public static final int DEFAULT_MAX_DEPTH = 6;
    /** Default number of children one node may have. */
    public static final int DEFAULT_MAX_CHILDREN = 200;
    /** Default number of nodes below the first level. */
    public static final int DEFAULT_MAX_NODES = 5000;

    /** One prefix: totals include everything below it. */
    public static final class Node {
        private final byte[] name;
        private final Node parent;
        private long keys;
        private long bytes;
        private long ownKeys;
        private long ownBytes;
        private long otherKeys;
        private long otherBytes;
        private Map<Object, Node> children;

        private Node(byte[] name, Node parent) {
            this.name = name;
            this.parent = parent;
        }

        /** The segment's bytes (without delimiters); empty for the root. Do not modify. */
        public byte[] name() {
            return name;
        }

        /** The parent, or null for the root. */
        public Node parent() {
            return parent;
        }

        /** Keys under this prefix. */
        public long keys() {
            return keys;
        }

        /** Estimated bytes of the keys under this prefix. */
        public long bytes() {
            return bytes;
        }

        /** Keys whose name ends at this prefix (no further delimiter). */
        public long ownKeys() {
            return ownKeys;
        }

        /** Estimated bytes of {@link #ownKeys()}. */
        public long ownBytes() {
            return ownBytes;
        }

        /** Keys below this prefix that got no node of their own (bounds reached). */
        public long otherKeys() {
            return otherKeys;
        }

        /** Estimated bytes of {@link #otherKeys()}. */
        public long otherBytes() {
            return otherBytes;
        }

        /** The children, biggest first (ties by name). */
        public List<Node> children() {
            if (children == null) {
                return List.of();
            }
            List<Node> l = new ArrayList<>(children.values());
            l.sort((a, b) -> {
                int c = Long.compare(b.bytes, a.bytes);
                return c != 0 ? c : Arrays.compareUnsigned(a.name, b.name);
            });
            return l;
        }
    }

    /** A stored child name: equality of bytes. */
    private static final class Seg {
        final byte[] bytes;
        final int hash;

        Seg(byte[] bytes, int hash) {
            this.bytes = bytes;
            this.hash = hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Seg s && Arrays.equals(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A reusable lookup key over a range of a key's bytes, so that looking up an existing child allocates
     * nothing; HashMap calls {@code probe.equals(stored)}, which compares the range with the stored bytes.
     */
    private static final class Probe {
        byte[] bytes;
        int from;
        int to;
        int hash;

        @Override
        public boolean equals(Object o) {
            return o instanceof Seg s && Arrays.equals(bytes, from, to, s.bytes, 0, s.bytes.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Node root = new Node(new byte[0], null);
    private final boolean[] delimiter = new boolean[256];
    private final int maxDepth;
    private final int maxChildren;
    private final int maxNodes;
    private final Probe probe = new Probe();
    private int nodes;

    /** A tree splitting keys at any byte of {@code delimiters}, with the default bounds. */
    public PrefixTree(byte[] delimiters) {
        this(delimiters, DEFAULT_MAX_DEPTH, DEFAULT_MAX_CHILDREN, DEFAULT_MAX_NODES);
    }

    /** A tree splitting keys at any byte of {@code delimiters}, with the given bounds (each at least 1). */
    public PrefixTree(byte[] delimiters, int maxDepth, int maxChildren, int maxNodes) {
        if (maxDepth < 1 || maxChildren < 1 || maxNodes < 1) {
            throw new IllegalArgumentException("bounds must be at least 1");
        }
        for (byte d : delimiters) {
            delimiter[d & 0xFF] = true;
        }
        this.maxDepth = maxDepth;
        this.maxChildren = maxChildren;
        this.maxNodes = maxNodes;
    }

    /** Counts one key of {@code size} estimated bytes. */
    public void add(byte[] key, long size) {
        Node node = root;
        node.keys++;
        node.bytes += size;
        int start = 0;
        for (int depth = 0; ; depth++) {
            int end = start;
            while (end < key.length && !delimiter[key[end] & 0xFF]) {
                end++;
            }
            if (end == key.length) {
                node.ownKeys++;
                node.ownBytes += size;
                return;
            }
            Node child = depth < maxDepth ? child(node, key, start, end) : null;
            if (child == null) {
                node.otherKeys++;
                node.otherBytes += size;
                return;
            }
            child.keys++;
            child.bytes += size;
            node = child;
            start = end + 1;
        }
    }

    private Node child(Node node, byte[] key, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + key[i];
        }
        if (node.children != null) {
            probe.bytes = key;
            probe.from = from;
            probe.to = to;
            probe.hash = h;
            Node c = node.children.get(probe);
            probe.bytes = null;
            if (c != null) {
                return c;
            }
        }
        int count = node.children == null ? 0 : node.children.size();
        // the first level only has the per-node bound, so that deep ID-like prefixes seen early
        // cannot use up the budget and hide a top-level prefix that comes later
        if (count >= maxChildren || (node != root && nodes >= maxNodes)) {
            return null;
        }
        if (node.children == null) {
            node.children = new HashMap<>();
        }
        Node c = new Node(Arrays.copyOfRange(key, from, to), node);
        node.children.put(new Seg(c.name, h), c);
        if (node != root) {
            nodes++;
        }
        return c;
    }

    /** The root: all keys. */
    public Node root() {
        return root;
    }

    /** Nodes below the first level (bounded by {@code maxNodes}). */
    public int deepNodes() {
        return nodes;
    }

    /** The depth bound. */
    public int maxDepth() {
        return maxDepth;
    }
}
