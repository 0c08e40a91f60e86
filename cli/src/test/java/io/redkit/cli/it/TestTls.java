package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1, made by openssl (a test prerequisite, required under CI=true), and the
 * redis-server options that serve TLS with it on a port of its own (the plain port stays open for test helpers).
 */
public record TestTls(Path cert, Path key) {
    /** Writes cert.pem and key.pem into {@code dir}. */
    public static TestTls make(Path dir) throws Exception {
        ItEnv.require(ItEnv.which("openssl") != null, "openssl not on PATH (Debian: apt-get install openssl)");
        Files.createDirectories(dir);
        TestTls t = new TestTls(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        Process gen = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", t.key.toString(), "-out", t.cert.toString(),
                "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String out = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gen.waitFor(), out);
        return t;
    }

    /** redis-server options for TLS on {@code tlsPort} without client certificates, then {@code more}. */
    public String[] serverArgs(int tlsPort, String... more) {
        List<String> a = new ArrayList<>(List.of("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }
}
