package io.redkit.kv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The command script of commands.txt: lines of arguments (double quotes group spaces; "" is empty). */
final class Script {
    /** One command: its text, arguments, and whether its array reply compares as a multiset. */
    record Line(int number, String text, List<byte[]> argv, boolean unordered) {
    }

    private Script() {
    }

    static List<Line> load(String resource) throws IOException {
        List<Line> out = new ArrayList<>();
        try (InputStream in = Script.class.getResourceAsStream(resource)) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                boolean unordered = l.startsWith("~");
                if (unordered) {
                    l = l.substring(1);
                }
                out.add(new Line(i + 1, l, split(l), unordered));
            }
        }
        return out;
    }

    static List<byte[]> split(String l) {
        List<byte[]> argv = new ArrayList<>();
        int i = 0;
        while (i < l.length()) {
            if (l.charAt(i) == ' ') {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            if (l.charAt(i) == '"') {
                int j = l.indexOf('"', i + 1);
                sb.append(l, i + 1, j);
                i = j + 1;
            } else {
                while (i < l.length() && l.charAt(i) != ' ') {
                    sb.append(l.charAt(i++));
                }
            }
            argv.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return argv;
    }

    /** The reply text, with a top-level array's items sorted when the line is unordered. */
    static String normalize(Line line, String reply) {
        if (!line.unordered() || !reply.startsWith("[")) {
            return reply;
        }
        String inner = reply.substring(1, reply.length() - 1).replace("[", "").replace("]", "");
        String[] items = inner.isEmpty() ? new String[0] : inner.split(", ");
        Arrays.sort(items);
        return "~" + String.join(", ", items);
    }
}
