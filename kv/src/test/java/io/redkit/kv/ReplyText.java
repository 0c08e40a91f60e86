package io.redkit.kv;

import java.nio.charset.StandardCharsets;

/** Renders a {@link Reply} the way a RESP2 client sees it, in the notation of {@link TestResp}. */
final class ReplyText {
    private ReplyText() {
    }

    static String of(Reply r) {
        StringBuilder sb = new StringBuilder();
        render(r, sb);
        return sb.toString();
    }

    private static void render(Reply r, StringBuilder sb) {
        switch (r.kind()) {
            case SIMPLE -> sb.append('+').append(((Reply.Simple) r).text());
            case ERROR -> sb.append('-').append(((Reply.Error) r).text());
            case INTEGER -> sb.append(':').append(((Reply.Int) r).value());
            case BULK -> sb.append('"').append(new String(((Reply.Bulk) r).data(), StandardCharsets.UTF_8)).append('"');
            case DOUBLE -> sb.append('"').append(Floats.format(((Reply.Dbl) r).value())).append('"');
            case NULL -> sb.append(((Reply.Null) r).array() ? "(nil-array)" : "(nil)");
            case ARRAY -> {
                sb.append('[');
                boolean first = true;
                for (Reply i : ((Reply.Array) r).items()) {
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    render(i, sb);
                }
                sb.append(']');
            }
            default -> throw new IllegalStateException();
        }
    }
}
