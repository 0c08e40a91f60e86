package io.redkit.kv.server;

import java.util.List;

/**
 * Replies the server builds itself beyond the engine's {@link io.redkit.kv.Reply} kinds: maps (flat arrays in
 * RESP2), arrays that may nest either kind, and push messages (plain arrays in RESP2). A reply handed to
 * {@link RespWriter} is a {@code Reply} or one of these.
 */
final class Out {
    private Out() {
    }

    /** A map of alternating keys and values. */
    record MapR(List<Object> pairs) {
    }

    /** A set (RESP3 {@code ~}, an array in RESP2). */
    record SetR(List<Object> items) {
    }

    /** An array of any replies. */
    record Arr(List<Object> items) {
    }

    /** An out-of-band push (pub/sub messages, RESP3 {@code >}). */
    record Push(List<Object> items) {
    }

    /** A verbatim text (RESP3 {@code =}, a bulk string in RESP2), e.g. INFO. */
    record Verbatim(String text) {
    }

    /** Several replies to one command (SUBSCRIBE with several channels). */
    record Many(List<Object> replies) {
    }

    /** Nothing to send now (a client blocked, or a reply sent later). */
    static final Object NONE = new Object();
}
