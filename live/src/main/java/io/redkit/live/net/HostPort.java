package io.redkit.live.net;

/** A server address. */
public record HostPort(String host, int port) {
    /** Parses {@code host:port} (IPv6 in brackets); a missing port is {@code defaultPort}. */
    public static HostPort parse(String s, int defaultPort) {
        String host = s;
        int port = defaultPort;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in '" + s + "'");
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("unexpected text after ] in '" + s + "'");
                }
                port = port(s.substring(close + 2));
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0) {
                host = s.substring(0, colon);
                port = port(s.substring(colon + 1));
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in '" + s + "'");
        }
        return new HostPort(host, port);
    }

    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " out of range 1..65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + s + "' is not a number");
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
