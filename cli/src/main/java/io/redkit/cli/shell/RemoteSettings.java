package io.redkit.cli.shell;

import javax.net.ssl.SSLSocketFactory;

/**
 * How the shell reaches a live server: timeouts, the password to use when the address has none, and the TLS
 * settings for {@code rediss://} (null: the JDK's trusted certificates).
 */
public record RemoteSettings(int connectTimeoutMs, int readTimeoutMs, String password, SSLSocketFactory tls) {
    /** Ten seconds to connect and for each reply, no password, the JDK's TLS defaults. */
    public static final RemoteSettings DEFAULTS = new RemoteSettings(10_000, 10_000, null, null);

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RemoteSettings[connect " + connectTimeoutMs + " ms, read " + readTimeoutMs + " ms, password "
                + (password == null ? "none" : "set") + ", tls " + (tls == null ? "default" : "configured") + "]";
    }
}
