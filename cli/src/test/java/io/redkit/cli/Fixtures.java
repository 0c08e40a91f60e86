package io.redkit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Locates {@code ../shared/fixtures} (or REDKIT_FIXTURES); skips locally and fails under CI=true when missing. */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
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

    static Path file(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            fail("fixture missing: " + p);
        }
        return p;
    }
}
