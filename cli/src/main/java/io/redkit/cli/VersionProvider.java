package io.redkit.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code --version}: the project version and the git revision it was built from, both written
 * into {@code redkit-build.properties} by the build.
 */
public final class VersionProvider implements IVersionProvider {
    /** The classpath resource the build writes. */
    static final String RESOURCE = "/io/redkit/cli/redkit-build.properties";

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
        return new String[] {
            "redkit " + p.getProperty("version", "unknown") + " (git " + p.getProperty("revision", "unknown") + ")",
            "Java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name", "")
        };
    }
}
