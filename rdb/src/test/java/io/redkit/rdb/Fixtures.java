package io.redkit.rdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Locates {@code ../shared/fixtures}: from REDKIT_FIXTURES, else beside the project root. Without
 * it a test skips locally and fails under CI=true.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** The fixtures folder; fails the test under CI=true when it is missing, else skips it. */
    public static Path root() {
        String env = System.getenv("REDKIT_FIXTURES");
        Path p;
        if (env != null) {
            p = Paths.get(env);
        } else {
            String rootEnv = System.getenv("REDKIT_ROOT");
            Path root = rootEnv != null ? Paths.get(rootEnv) : Paths.get("").toAbsolutePath().getParent();
            p = root.resolve("../shared/fixtures").normalize();
        }
        if (!Files.isDirectory(p)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("fixtures folder missing: " + p + " (CI=true requires it)");
            }
            assumeTrue(false, "fixtures folder missing: " + p);
        }
        return p;
    }

    /** A file under the fixtures folder; fails when it is missing. */
    public static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            fail("fixture missing: " + p);
        }
        return p;
    }
}
