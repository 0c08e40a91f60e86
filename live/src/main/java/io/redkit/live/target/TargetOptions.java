package io.redkit.live.target;

import io.netty.handler.ssl.SslContext;

import java.util.function.Consumer;

/**
 * How a {@link RedisTargetSink} writes. Immutable; start from {@link #defaults()} and change with the
 * {@code with*} methods.
 *
 * @param onExisting        conflict rule for keys the target holds (default FAIL)
 * @param windowCommands    most commands in flight (sent, reply not read) over all nodes
 * @param windowBytes       most bytes of commands in flight; a single bigger command still goes alone
 * @param bigValueBytes     a value whose decoded size passes this is sent as bounded chunks of commands
 * @param bigValueElements  likewise for a collection with more elements
 * @param chunkElements     most elements in one chunk command
 * @param chunkBytes        about the most bytes in one chunk command
 * @param keysPerSecond     at most this many keys (and replicated commands) a second; 0 for no limit
 * @param bytesPerSecond    at most this many bytes of commands a second; 0 for no limit
 * @param useRestore        RESTORE with the raw payload when the target accepts its version (else always commands)
 * @param retryMillis       how long a lost node is retried (with back-off) before the migration fails
 * @param connectTimeoutMillis connect timeout per attempt
 * @param readTimeoutMillis a connection with commands waiting this long without a reply byte is dropped and retried
 * @param ssl               the TLS context for rediss:// targets, or null
 * @param notices           receives warnings (a key's hash field TTLs not representable, a MULTI split, retries)
 */
public record TargetOptions(OnExisting onExisting, int windowCommands, long windowBytes, long bigValueBytes,
                            int bigValueElements, int chunkElements, int chunkBytes, long keysPerSecond,
                            long bytesPerSecond, boolean useRestore, long retryMillis, int connectTimeoutMillis,
                            long readTimeoutMillis, SslContext ssl, Consumer<String> notices) {
    /** Defaults: FAIL on conflict, 4096 commands / 32 MB in flight, big values from 512 KB or 1024 elements. */
    public static TargetOptions defaults() {
        return new TargetOptions(OnExisting.FAIL, 4096, 32L << 20, 512L << 10, 1024, 512, 256 << 10, 0, 0, true,
                60_000, 10_000, 60_000, null, s -> { });
    }

    /** With another conflict rule. */
    public TargetOptions withOnExisting(OnExisting v) {
        return new TargetOptions(v, windowCommands, windowBytes, bigValueBytes, bigValueElements, chunkElements,
                chunkBytes, keysPerSecond, bytesPerSecond, useRestore, retryMillis, connectTimeoutMillis,
                readTimeoutMillis, ssl, notices);
    }

    /** With another in-flight window. */
    public TargetOptions withWindow(int commands, long bytes) {
        return new TargetOptions(onExisting, commands, bytes, bigValueBytes, bigValueElements, chunkElements,
                chunkBytes, keysPerSecond, bytesPerSecond, useRestore, retryMillis, connectTimeoutMillis,
                readTimeoutMillis, ssl, notices);
    }

    /** With other big-value thresholds and chunk sizes. */
    public TargetOptions withBigValues(long bytes, int elements, int chunkElems, int chunkSize) {
        return new TargetOptions(onExisting, windowCommands, windowBytes, bytes, elements, chunkElems, chunkSize,
                keysPerSecond, bytesPerSecond, useRestore, retryMillis, connectTimeoutMillis, readTimeoutMillis, ssl,
                notices);
    }

    /** With rate limits (0: none). */
    public TargetOptions withRates(long keysPerS, long bytesPerS) {
        return new TargetOptions(onExisting, windowCommands, windowBytes, bigValueBytes, bigValueElements,
                chunkElements, chunkBytes, keysPerS, bytesPerS, useRestore, retryMillis, connectTimeoutMillis,
                readTimeoutMillis, ssl, notices);
    }

    /** With RESTORE allowed or not. */
    public TargetOptions withRestore(boolean v) {
        return new TargetOptions(onExisting, windowCommands, windowBytes, bigValueBytes, bigValueElements,
                chunkElements, chunkBytes, keysPerSecond, bytesPerSecond, v, retryMillis, connectTimeoutMillis,
                readTimeoutMillis, ssl, notices);
    }

    /** With other timeouts. */
    public TargetOptions withTimeouts(long retry, int connect, long read) {
        return new TargetOptions(onExisting, windowCommands, windowBytes, bigValueBytes, bigValueElements,
                chunkElements, chunkBytes, keysPerSecond, bytesPerSecond, useRestore, retry, connect, read, ssl,
                notices);
    }

    /** With a TLS context (rediss://). */
    public TargetOptions withSsl(SslContext v) {
        return new TargetOptions(onExisting, windowCommands, windowBytes, bigValueBytes, bigValueElements,
                chunkElements, chunkBytes, keysPerSecond, bytesPerSecond, useRestore, retryMillis,
                connectTimeoutMillis, readTimeoutMillis, v, notices);
    }

    /** With a receiver of warnings. */
    public TargetOptions withNotices(Consumer<String> v) {
        return new TargetOptions(onExisting, windowCommands, windowBytes, bigValueBytes, bigValueElements,
                chunkElements, chunkBytes, keysPerSecond, bytesPerSecond, useRestore, retryMillis,
                connectTimeoutMillis, readTimeoutMillis, ssl, v);
    }
}
