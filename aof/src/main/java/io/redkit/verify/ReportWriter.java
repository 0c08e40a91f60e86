package io.redkit.verify;

import io.redkit.core.event.DataType;

import java.io.IOException;
import java.util.List;

/**
 * Writes verification reports: aligned text for people, one JSON document for scripts, JUnit XML
 * (one test case per input) for CI dashboards. Only problem messages and names come from the input,
 * and they are escaped for each format.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /** One line per input with its verdict, one indented line per problem, and a summary line. */
    public static void text(List<FileReport> reports, Appendable out) throws IOException {
        int invalid = 0;
        int problems = 0;
        for (FileReport r : reports) {
            if (r.valid()) {
                out.append(r.name()).append(": OK (").append(describe(r)).append(")\n");
            } else {
                invalid++;
                problems += r.problems().size();
                out.append(r.name()).append(": INVALID (").append(r.format()).append(", ")
                        .append(Integer.toString(r.problems().size()))
                        .append(r.problems().size() == 1 ? " problem" : " problems").append(")\n");
                for (Problem p : r.problems()) {
                    out.append("  ").append(p.message()).append('\n');
                }
            }
        }
        out.append(Integer.toString(reports.size())).append(reports.size() == 1 ? " input, " : " inputs, ")
                .append(Integer.toString(reports.size() - invalid)).append(" valid, ")
                .append(Integer.toString(invalid)).append(" invalid, ")
                .append(Integer.toString(problems)).append(problems == 1 ? " problem\n" : " problems\n");
    }

    private static String describe(FileReport r) {
        Facts f = r.facts();
        StringBuilder sb = new StringBuilder(r.format());
        if (f.rdbParts() > 0) {
            sb.append(", ").append(f.keys()).append(f.keys() == 1 ? " key" : " keys");
        }
        if (f.commands() > 0 || !r.format().equals("rdb")) {
            sb.append(", ").append(f.commands()).append(f.commands() == 1 ? " command" : " commands");
        }
        if (f.rdbParts() > 0) {
            sb.append(f.checksumVerified() ? ", checksum verified" : ", no checksum");
        }
        return sb.toString();
    }

    /**
     * One JSON document: {@code {"valid": bool, "summary": {...}, "files": [{"name", "format",
     * "valid", "bytes", "facts": {...}, "problems": [{"file", "offset", "kind", "message"}]}]}};
     * an unknown offset or time is {@code null}.
     */
    public static void json(List<FileReport> reports, Appendable out) throws IOException {
        int invalid = 0;
        int problems = 0;
        for (FileReport r : reports) {
            invalid += r.valid() ? 0 : 1;
            problems += r.problems().size();
        }
        out.append("{\"valid\": ").append(Boolean.toString(invalid == 0))
                .append(", \"summary\": {\"inputs\": ").append(Integer.toString(reports.size()))
                .append(", \"valid\": ").append(Integer.toString(reports.size() - invalid))
                .append(", \"invalid\": ").append(Integer.toString(invalid))
                .append(", \"problems\": ").append(Integer.toString(problems)).append("},\n \"files\": [");
        for (int i = 0; i < reports.size(); i++) {
            FileReport r = reports.get(i);
            Facts f = r.facts();
            out.append(i == 0 ? "\n  " : ",\n  ");
            out.append("{\"name\": ");
            jsonString(r.name(), out);
            out.append(", \"format\": ");
            jsonString(r.format(), out);
            out.append(", \"valid\": ").append(Boolean.toString(r.valid()))
                    .append(", \"bytes\": ").append(Long.toString(r.bytes()))
                    .append(", \"facts\": {\"keys\": ").append(Long.toString(f.keys()))
                    .append(", \"commands\": ").append(Long.toString(f.commands()))
                    .append(", \"rdb_parts\": ").append(Integer.toString(f.rdbParts()))
                    .append(", \"ctime\": ").append(f.ctimeS() < 0 ? "null" : Long.toString(f.ctimeS()))
                    .append(", \"newest_timestamp\": ")
                    .append(f.newestTimestampS() < 0 ? "null" : Long.toString(f.newestTimestampS()))
                    .append(", \"types\": [");
            boolean first = true;
            for (DataType t : DataType.values()) {
                if (f.types().contains(t)) {
                    out.append(first ? "\"" : ", \"").append(t.id()).append('"');
                    first = false;
                }
            }
            out.append("], \"largest_key_bytes\": ")
                    .append(f.largestKeyBytes() < 0 ? "null" : Long.toString(f.largestKeyBytes()))
                    .append(", \"checksum_verified\": ").append(Boolean.toString(f.checksumVerified()))
                    .append("},\n   \"problems\": [");
            for (int k = 0; k < r.problems().size(); k++) {
                Problem p = r.problems().get(k);
                out.append(k == 0 ? "" : ", ").append("{\"file\": ");
                jsonString(p.file(), out);
                out.append(", \"offset\": ").append(p.offset() < 0 ? "null" : Long.toString(p.offset()))
                        .append(", \"kind\": ");
                jsonString(p.kind(), out);
                out.append(", \"message\": ");
                jsonString(p.message(), out);
                out.append('}');
            }
            out.append("]}");
        }
        out.append("\n ]}\n");
    }

    /**
     * JUnit XML: one {@code testsuite} named {@code suiteName}, one {@code testcase} per input; an
     * invalid input has one {@code failure} (or {@code error} when it could not be read) whose
     * message is its first problem and whose text lists them all.
     */
    public static void junit(List<FileReport> reports, String suiteName, double seconds, Appendable out)
            throws IOException {
        int failures = 0;
        int errors = 0;
        for (FileReport r : reports) {
            if (r.hasIoProblem()) {
                errors++;
            } else if (!r.valid()) {
                failures++;
            }
        }
        String time = String.format(java.util.Locale.ROOT, "%.3f", seconds);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<testsuites name=\"").append(xml(suiteName)).append("\" tests=\"").append(Integer.toString(reports.size()))
                .append("\" failures=\"").append(Integer.toString(failures)).append("\" errors=\"")
                .append(Integer.toString(errors)).append("\" time=\"").append(time).append("\">\n");
        out.append("  <testsuite name=\"").append(xml(suiteName)).append("\" tests=\"").append(Integer.toString(reports.size()))
                .append("\" failures=\"").append(Integer.toString(failures)).append("\" errors=\"")
                .append(Integer.toString(errors)).append("\" skipped=\"0\" time=\"").append(time).append("\">\n");
        for (FileReport r : reports) {
            // dashboards read classname as package.class: no blanks, the format as the class
            out.append("    <testcase classname=\"redkit.verify.").append(xml(r.format()))
                    .append("\" name=\"").append(xml(r.name())).append('"');
            if (r.valid()) {
                out.append("/>\n");
                continue;
            }
            String tag = r.hasIoProblem() ? "error" : "failure";
            Problem first = r.problems().get(0);
            out.append(">\n      <").append(tag).append(" type=\"").append(xml(first.kind())).append("\" message=\"")
                    .append(xml(first.message())).append("\">");
            for (Problem p : r.problems()) {
                out.append(xml(p.message())).append('\n');
            }
            out.append("</").append(tag).append(">\n    </testcase>\n");
        }
        out.append("  </testsuite>\n</testsuites>\n");
    }

    /** Text escaped for an XML attribute or element; characters XML 1.0 cannot hold become {@code \\uXXXX}. */
    static String xml(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&apos;"); break;
                default:
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c)
                            || c == 0xFFFE || c == 0xFFFF) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }

    /** {@code s} as a JSON string literal. */
    static void jsonString(String s, Appendable out) throws IOException {
        io.redkit.core.JsonStrings.append(out, s);
    }
}
