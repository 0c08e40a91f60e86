package io.redkit.cli.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the integration tests find their tools and data: the project root, the shared fixtures, the
 * redkit fat jar and the redis binaries. A missing prerequisite skips a test locally and fails it when
 * {@code CI=true}, so CI can never pass by skipping.
 */
public final class ItEnv {
    private ItEnv() {
    }

    /** True when running under CI ({@code CI=true}), where missing prerequisites are failures. */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (locally) or fails (CI) with the message when the condition is false. */
    public static void require(boolean condition, String message) {
        if (condition) {
            return;
        }
        if (ci()) {
            fail(message + " (CI=true: a missing prerequisite is a failure)");
        }
        assumeTrue(false, message);
    }

    /** The reactor root: env REDKIT_ROOT (set by the build), else the nearest parent of the working dir holding cli/. */
    public static Path projectRoot() {
        String env = System.getenv("REDKIT_ROOT");
        if (env != null && !env.isEmpty() && Files.isDirectory(Paths.get(env, "cli"))) {
            return Paths.get(env).toAbsolutePath().normalize();
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("cli")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("cannot find the redkit project root from " + Paths.get("").toAbsolutePath());
    }

    /** The shared fixture corpus: property/env {@code redkit.fixtures}/REDKIT_FIXTURES, else ROOT/../shared/fixtures. */
    public static Path fixtures() {
        String p = System.getProperty("redkit.fixtures", System.getenv("REDKIT_FIXTURES"));
        Path dir = p != null ? Paths.get(p) : projectRoot().resolve("../shared/fixtures").normalize();
        require(Files.isDirectory(dir.resolve("rdb")), "fixture corpus not found at " + dir);
        return dir;
    }

    /** The fat jar built by {@code mvn -pl cli -am package}: property {@code redkit.jar} or ROOT/cli/target/redkit.jar. */
    public static Path redkitJar() {
        String p = System.getProperty("redkit.jar");
        Path jar = p != null ? Paths.get(p) : projectRoot().resolve("cli/target/redkit.jar");
        if (!Files.isRegularFile(jar)) {
            fail("redkit fat jar missing: " + jar + " (build it with: mvn -B -o -pl cli -am package -DskipTests)");
        }
        return jar;
    }

    /** Absolute path of an executable on PATH, or null. */
    public static Path which(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path f = Paths.get(d, name);
            if (Files.isRegularFile(f) && Files.isExecutable(f)) {
                return f;
            }
        }
        return null;
    }

    /** Ensures redis-server and redis-cli are installed (skip locally, fail under CI). */
    public static void requireRedis() {
        require(which("redis-server") != null && which("redis-cli") != null,
                "redis-server/redis-cli not on PATH (Debian: apt-get install redis-server redis-tools)");
    }
}
