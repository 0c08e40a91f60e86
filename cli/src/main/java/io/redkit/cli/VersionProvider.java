package io.redkit.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code --version}: the project version and the git revision it was built from, both written
 * into {@code redkit-build.properties} by the build. A build that was not told the revision (a
 * plain {@code mvn package}; the launcher passes it) falls back to the checkout the jar sits in.
 */
public final class VersionProvider implements IVersionProvider {
    /** The classpath resource the build writes. */
    static final String RESOURCE = "/io/redkit/cli/redkit-build.properties";
    private static final String UNKNOWN = "unknown";

    @Override
    public String[] getVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a jar without the resource still answers, with "unknown" fields
        }
        String revision = p.getProperty("revision", UNKNOWN);
        if (UNKNOWN.equals(revision) || revision.startsWith("${")) {
            revision = checkoutRevision();
        }
        // String.join, not +: javac compiles + to invokedynamic, whose first use spins up method handle
        // classes that cost a --version run about a quarter of its time
        return new String[] {
            String.join("", "redkit ", p.getProperty("version", UNKNOWN), " (git ", revision, ")"),
            String.join(" ", "Java", System.getProperty("java.version"), System.getProperty("java.vm.name", ""))
        };
    }

    /** The short commit of the checkout holding this jar (ROOT/cli/target/redkit.jar), or "unknown". */
    static String checkoutRevision() {
        try {
            Path code = Path.of(VersionProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.toAbsolutePath().getParent().getParent().getParent();
            Path git = root.resolve(".git");
            if (Files.isRegularFile(git)) {
                // a worktree: ".git" is a file "gitdir: PATH"
                String line = Files.readString(git, StandardCharsets.UTF_8).trim();
                git = root.resolve(line.substring(line.indexOf(':') + 1).trim());
            }
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            String sha = head.startsWith("ref:") ? resolve(git, head.substring(4).trim()) : head;
            return sha != null && sha.matches("[0-9a-f]{7,64}") ? sha.substring(0, 7) : UNKNOWN;
        } catch (Exception e) {
            // not run from a checkout, or git metadata in a form not read here
            return UNKNOWN;
        }
    }

    private static String resolve(Path git, String ref) throws IOException {
        Path common = git;
        Path commondir = git.resolve("commondir");
        if (Files.isRegularFile(commondir)) {
            common = git.resolve(Files.readString(commondir, StandardCharsets.UTF_8).trim());
        }
        for (Path dir : new Path[] {git, common}) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return Files.readString(loose, StandardCharsets.UTF_8).trim();
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                if (line.endsWith(" " + ref)) {
                    return line.substring(0, line.indexOf(' '));
                }
            }
        }
        return null;
    }
}
