package io.redkit.live.target;

import java.util.List;
import java.util.Locale;

/**
 * What a {@link RedisTargetSink} did, in total and per node (cluster masters; one entry for a standalone server).
 *
 * @param keys              keys written (RESTORE or rebuilt)
 * @param keysRestored      of which by RESTORE of the raw payload
 * @param commands          commands sent, internal ones (SELECT, ASKING) included, resent ones counted again
 * @param bytes             bytes of commands sent
 * @param replicated        replicated commands (AOF, replication stream) applied
 * @param retries           reconnections after a lost connection
 * @param redirects         MOVED and ASK replies followed
 * @param skippedExisting   keys the target already held (--skip-existing)
 * @param expired           keys not written because their TTL had passed
 * @param unsupported       keys or features the target cannot hold (reported in notices: module values without
 *                          payload, hash field TTLs before Redis 7.4, ...)
 * @param commandErrors     replicated commands the target answered with an error
 * @param uncertain         replicated commands whose reply was lost and that were not resent (not idempotent)
 * @param nodes             per node
 */
public record TargetReport(long keys, long keysRestored, long commands, long bytes, long replicated, long retries,
                           long redirects, long skippedExisting, long expired, long unsupported, long commandErrors,
                           long uncertain, List<NodeReport> nodes) {
    /** One node's share. */
    public record NodeReport(String address, long keys, long commands, long bytes, long retries, long redirects,
                             long skippedExisting) {
    }

    /** A few lines for people: totals, then one line per node. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "keys %,d (%,d by RESTORE), replicated commands %,d, commands sent %,d, "
                + "%.1f MB%n", keys, keysRestored, replicated, commands, bytes / 1e6));
        sb.append(String.format(Locale.ROOT, "retries %,d, redirects %,d, skipped: %,d existing, %,d expired, "
                + "%,d unsupported; %,d command errors, %,d uncertain%n", retries, redirects, skippedExisting, expired,
                unsupported, commandErrors, uncertain));
        for (NodeReport n : nodes) {
            sb.append(String.format(Locale.ROOT, "  %s: keys %,d, commands %,d, %.1f MB, retries %,d, redirects %,d, "
                    + "skipped %,d%n", n.address, n.keys, n.commands, n.bytes / 1e6, n.retries, n.redirects,
                    n.skippedExisting));
        }
        return sb.toString();
    }
}
