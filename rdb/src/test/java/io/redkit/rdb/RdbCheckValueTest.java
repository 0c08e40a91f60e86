package io.redkit.rdb;

import io.redkit.core.RedkitException;
import io.redkit.core.event.Event;
import io.redkit.core.event.EventKind;
import io.redkit.core.event.KeyEnd;
import io.redkit.core.event.KeyHeader;
import io.redkit.core.event.KeyStart;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RdbReader#checkValue()} accepts and refuses exactly what reading every value part does:
 * same keys, same key ends and raw payloads, same error (kind, offset, message), on every fixture,
 * every corrupt fixture and single-byte mutations of the fixtures.
 */
class RdbCheckValueTest {

    /** What a read produced: one line per key, then the error or "end". */
    /** Checks every other key and reads the parts of the others, as a sink may not do but the reader allows. */
    static final int MIXED = 2;

    static List<String> outcome(byte[] file, boolean check, boolean skipEmpty, boolean verifyChecksum) {
        return outcome(file, check, skipEmpty, verifyChecksum, 0);
    }

    static List<String> outcome(byte[] file, boolean check, boolean skipEmpty, boolean verifyChecksum, int mode) {
        int keyIndex = 0;
        List<String> out = new ArrayList<>();
        RdbReader r = RdbReader.builder(new ByteArrayInputStream(file), "f").captureRawPayload(true)
                .skipEmptyKeys(skipEmpty).verifyChecksum(verifyChecksum).readAhead(false).build();
        try {
            Event e;
            while ((e = r.next()) != null) {
                if (e.kind() == EventKind.KEY_START) {
                    KeyHeader h = ((KeyStart) e).header();
                    out.add("key " + Arrays.toString(h.key()) + " " + h.db() + " " + h.type() + " " + h.encoding() + " "
                            + h.expireAtMs() + " " + h.offset());
                    if (check && (mode != MIXED || (keyIndex & 1) == 0)) {
                        r.checkValue();
                    }
                    keyIndex++;
                } else if (e.kind() == EventKind.KEY_END) {
                    KeyEnd k = (KeyEnd) e;
                    out.add("end " + k.offset() + " " + Arrays.hashCode(k.rawPayload()));
                } else if (mode == MIXED && isValuePart(e.kind())) {
                    out.add("part " + render(e));
                } else if (!check || !isValuePart(e.kind())) {
                    out.add(e.kind().name());
                }
            }
            out.add("end of file");
        } catch (RedkitException ex) {
            out.add("error " + ex.kind() + " " + ex.offset() + " " + ex.getMessage());
        } catch (Exception ex) {
            out.add("other " + ex);
        }
        return out;
    }

    /** A record rendered by content (byte arrays as their bytes, not their identity). */
    static String render(Object o) {
        if (o instanceof byte[] b) {
            return Arrays.toString(b);
        }
        if (o instanceof java.util.Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            for (Object x : c) {
                sb.append(render(x)).append(',');
            }
            return sb.append(']').toString();
        }
        if (o != null && o.getClass().isRecord()) {
            StringBuilder sb = new StringBuilder(o.getClass().getSimpleName()).append('(');
            for (java.lang.reflect.RecordComponent rc : o.getClass().getRecordComponents()) {
                try {
                    sb.append(render(rc.getAccessor().invoke(o))).append(' ');
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return sb.append(')').toString();
        }
        return String.valueOf(o);
    }

    private static boolean isValuePart(EventKind k) {
        return k != EventKind.KEY_START && k != EventKind.KEY_END && k != EventKind.SELECT_DB && k != EventKind.AUX
                && k != EventKind.RESIZE_DB && k != EventKind.BEGIN && k != EventKind.END && k != EventKind.MODULE_AUX
                && k != EventKind.FUNCTION_LIBRARY && k != EventKind.SLOT_INFO;
    }

    static List<Path> files(String dir) throws Exception {
        try (Stream<Path> s = Files.list(Fixtures.root().resolve(dir))) {
            return s.filter(f -> f.toString().endsWith(".rdb")).sorted().toList();
        }
    }

    private static void same(byte[] file, String name, boolean skipEmpty, boolean verify, List<String> failures) {
        List<String> full = outcome(file, false, skipEmpty, verify);
        List<String> checked = outcome(file, true, skipEmpty, verify);
        // the full read lists value parts too: drop them for the comparison
        List<String> fullKeys = new ArrayList<>();
        for (String s : full) {
            boolean part;
            try {
                part = isValuePart(EventKind.valueOf(s));
            } catch (IllegalArgumentException notAKind) {
                part = false;
            }
            if (!part) {
                fullKeys.add(s);
            }
        }
        if (!fullKeys.equals(checked)) {
            failures.add(name + " (skipEmpty " + skipEmpty + "):\n  full    " + tail(fullKeys) + "\n  checked " + tail(checked));
        }
    }

    private static String tail(List<String> l) {
        return l.subList(Math.max(0, l.size() - 3), l.size()).toString();
    }

    @Test
    void fixturesAndCorruptFixturesGiveTheSameOutcome() throws Exception {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String dir : new String[] {"rdb", "corrupt"}) {
            for (Path p : files(dir)) {
                byte[] b = Files.readAllBytes(p);
                for (boolean skipEmpty : new boolean[] {false, true}) {
                    same(b, dir + "/" + p.getFileName(), skipEmpty, true, failures);
                    n++;
                }
            }
        }
        assertTrue(n > 50, "only " + n + " fixture reads");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void partsReadAfterACheckedKeyAreTheSameAsWithoutChecks() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Path p : files("rdb")) {
            byte[] b = Files.readAllBytes(p);
            List<String> plain = outcome(b, false, true, true, MIXED);
            List<String> mixed = outcome(b, true, true, true, MIXED);
            // keys whose parts were read list the same parts; checked keys list none
            List<String> expected = new ArrayList<>();
            int key = -1;
            for (String s : plain) {
                if (s.startsWith("key ")) {
                    key++;
                }
                if (!(s.startsWith("part ") && (key & 1) == 0)) {
                    expected.add(s);
                }
            }
            if (!expected.equals(mixed)) {
                failures.add(p.getFileName() + ":\n  expected " + tail(expected) + "\n  mixed    " + tail(mixed));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void singleByteMutationsGiveTheSameOutcome() throws Exception {
        Random rnd = new Random(42);
        List<String> failures = new ArrayList<>();
        for (Path p : files("rdb")) {
            byte[] orig = Files.readAllBytes(p);
            if (orig.length < 20 || orig.length > 1 << 20) {
                continue;
            }
            for (int k = 0; k < 25; k++) {
                byte[] b = orig.clone();
                int at = 9 + rnd.nextInt(b.length - 9);
                b[at] = (byte) (k % 3 == 0 ? b[at] ^ (1 << rnd.nextInt(8)) : rnd.nextInt(256));
                // checksum off: the structural checks must refuse the same bytes with the same error
                same(b, p.getFileName() + " byte " + at, false, false, failures);
            }
        }
        assertEquals(List.of(), failures);
    }
}
