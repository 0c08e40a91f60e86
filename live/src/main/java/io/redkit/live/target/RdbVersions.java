package io.redkit.live.target;

/** The RDB version a server release writes and accepts in RESTORE payloads, from its {@code redis_version}. */
public final class RdbVersions {
    private RdbVersions() {
    }

    /**
     * The newest RDB version {@code redisVersion} (e.g. "7.0.15") reads: 7.0 is 10, 7.2 is 11, 7.4 and 8.x are 12;
     * -1 when the text is not a version.
     */
    public static int forServer(String redisVersion) {
        String[] p = redisVersion.strip().split("\\.");
        int major;
        int minor;
        try {
            major = Integer.parseInt(p[0]);
            minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        } catch (NumberFormatException e) {
            return -1;
        }
        if (major >= 8) {
            return 12;
        }
        if (major == 7) {
            return minor >= 4 ? 12 : minor >= 2 ? 11 : 10;
        }
        if (major >= 5) {
            return 9;
        }
        if (major == 4) {
            return 8;
        }
        if (major == 3) {
            return minor >= 2 ? 7 : 6;
        }
        return major == 2 && minor >= 6 ? 6 : 5;
    }
}
