package io.redkit.replication;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import java.io.File;

/** Builds the client TLS context for {@code rediss://} masters. */
public final class Tls {
    private Tls() {
    }

    /**
     * A client context trusting {@code ca} (PEM; null for the JDK's default trust store), presenting
     * {@code cert}/{@code key} (PEM, PKCS#8 key) when given, or trusting any certificate when
     * {@code insecure} (which the caller must warn about).
     */
    public static SslContext context(File ca, File cert, File key, boolean insecure) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (insecure) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (ca != null) {
            b.trustManager(ca);
        }
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new SSLException("a client certificate needs both --tls-cert and --tls-key");
            }
            b.keyManager(cert, key);
        }
        return b.build();
    }
}
