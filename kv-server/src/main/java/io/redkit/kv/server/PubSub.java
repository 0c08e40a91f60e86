package io.redkit.kv.server;

import io.redkit.core.sink.Glob;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Channel and pattern subscriptions of all clients; PUBLISH delivers to both and counts the receivers. */
final class PubSub {
    private final Map<ByteBuffer, Set<ClientHandler>> channels = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, PatternSubs> patterns = new ConcurrentHashMap<>();

    private record PatternSubs(Glob glob, Set<ClientHandler> clients) {
    }

    private static final byte[] MESSAGE = "message".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PMESSAGE = "pmessage".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    void subscribe(ClientHandler c, byte[] channel) {
        channels.computeIfAbsent(ByteBuffer.wrap(channel), k -> ConcurrentHashMap.newKeySet()).add(c);
    }

    void unsubscribe(ClientHandler c, byte[] channel) {
        channels.computeIfPresent(ByteBuffer.wrap(channel), (k, s) -> {
            s.remove(c);
            return s.isEmpty() ? null : s;
        });
    }

    void psubscribe(ClientHandler c, byte[] pattern) {
        patterns.computeIfAbsent(ByteBuffer.wrap(pattern),
                k -> new PatternSubs(new Glob(pattern), ConcurrentHashMap.newKeySet())).clients.add(c);
    }

    void punsubscribe(ClientHandler c, byte[] pattern) {
        patterns.computeIfPresent(ByteBuffer.wrap(pattern), (k, s) -> {
            s.clients.remove(c);
            return s.clients.isEmpty() ? null : s;
        });
    }

    /** Delivers the message; returns the number of deliveries (clients per matching channel or pattern). */
    long publish(byte[] channel, byte[] message) {
        long n = 0;
        Set<ClientHandler> subs = channels.get(ByteBuffer.wrap(channel));
        if (subs != null) {
            for (ClientHandler c : subs) {
                c.push(List.of(MESSAGE, channel, message));
                n++;
            }
        }
        if (!patterns.isEmpty()) {
            for (Map.Entry<ByteBuffer, PatternSubs> e : patterns.entrySet()) {
                if (e.getValue().glob.matches(channel)) {
                    byte[] p = new byte[e.getKey().remaining()];
                    e.getKey().duplicate().get(p);
                    for (ClientHandler c : e.getValue().clients) {
                        c.push(List.of(PMESSAGE, p, channel, message));
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Channels with subscribers, for PUBSUB CHANNELS [pattern]. */
    List<byte[]> activeChannels(Glob match) {
        return channels.keySet().stream().map(b -> {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            return a;
        }).filter(a -> match == null || match.matches(a)).toList();
    }

    long subscribers(byte[] channel) {
        Set<ClientHandler> s = channels.get(ByteBuffer.wrap(channel));
        return s == null ? 0 : s.size();
    }

    long patternCount() {
        return patterns.size();
    }

    long channelCount() {
        return channels.size();
    }
}
