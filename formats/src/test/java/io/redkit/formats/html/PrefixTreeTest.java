package io.redkit.formats.html;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefixTreeTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String name(PrefixTree.Node n) {
        return new String(n.name(), StandardCharsets.UTF_8);
    }

    @Test
    void splitsAtEachDelimiterAndCountsTheLastSegmentAsTheKey() {
        PrefixTree t = new PrefixTree(b(":"));
        t.add(b("user:1:name"), 10);
        t.add(b("user:1:mail"), 20);
        t.add(b("user:2"), 5);
        t.add(b("plain"), 7);
        PrefixTree.Node root = t.root();
        assertEquals(4, root.keys());
        assertEquals(42, root.bytes());
        assertEquals(1, root.ownKeys());
        assertEquals(7, root.ownBytes());
        PrefixTree.Node user = root.children().get(0);
        assertEquals("user", name(user));
        assertEquals(35, user.bytes());
        assertEquals(1, user.ownKeys());
        assertEquals(5, user.ownBytes());
        PrefixTree.Node one = user.children().get(0);
        assertEquals("1", name(one));
        assertEquals(2, one.ownKeys());
        assertEquals(30, one.ownBytes());
        assertTrue(one.children().isEmpty());
    }

    @Test
    void boundedByDepthChildrenAndNodesWithTheRestCountedAsOther() {
        PrefixTree t = new PrefixTree(b(":"), 2, 3, 4);
        for (int i = 0; i < 10_000; i++) {
            t.add(b("p" + (i % 5) + ":id" + i + ":x:y:z"), 1);
        }
        PrefixTree.Node root = t.root();
        assertEquals(10_000, root.keys());
        List<PrefixTree.Node> top = root.children();
        assertEquals(3, top.size(), "children per node");
        assertEquals(4_000, root.otherKeys(), "p3 and p4 had no room");
        assertTrue(t.deepNodes() <= 4, "nodes below the first level: " + t.deepNodes());
        long sum = root.otherKeys() + root.ownKeys();
        for (PrefixTree.Node n : top) {
            sum += n.keys();
            for (PrefixTree.Node c : n.children()) {
                // depth 2 is the last level: deeper segments are "other" there
                assertEquals(c.keys(), c.otherKeys());
                assertTrue(c.children().isEmpty());
            }
        }
        assertEquals(10_000, sum, "every key counted once");
    }

    @Test
    void aLateTopLevelPrefixStillGetsANodeWhenDeepNodesAreUsedUp() {
        PrefixTree t = new PrefixTree(b(":"), 4, 100, 10);
        for (int i = 0; i < 50; i++) {
            t.add(b("id:" + i + ":v"), 1);
        }
        t.add(b("late:x"), 100);
        assertEquals("late", name(t.root().children().get(0)));
    }

    @Test
    void binaryAndEmptySegments() {
        PrefixTree t = new PrefixTree(b(":/"));
        t.add(new byte[] {(byte) 0xff, ':', 0, ':', 'k'}, 3);
        t.add(b("::k"), 4);
        t.add(b("a/b"), 1);
        List<PrefixTree.Node> top = t.root().children();
        assertEquals(3, top.size());
        assertEquals(0, top.get(0).name().length, "the empty segment before '::'");
        assertEquals(1, top.get(0).children().size());
    }
}
