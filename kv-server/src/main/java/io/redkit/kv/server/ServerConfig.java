package io.redkit.kv.server;

import java.nio.file.Path;

/**
 * The server's settings: fixed ones (bind address, port, data directory) and those CONFIG SET may change at run
 * time (volatile fields, read by every connection). Defaults are Redis's where Redis has one.
 */
public final class ServerConfig {
    /** Address to listen on; loopback by default. */
    public String bind = "127.0.0.1";
    /** TCP port; 0 picks a free one. */
    public int port = 7379;
    /** Data directory (RDB snapshot and log). */
    public Path dir = Path.of(".");
    /** Password of the default user, or null for none. */
    public volatile String requirePass;
    /** ACL file (Redis's syntax: users, passwords, key, channel and command permissions), or null for none. */
    public Path aclFile;
    /** Fsync policy of the log: {@code always}, {@code everysec} or {@code no}. */
    public volatile String appendFsync = "everysec";
    /** Memory limit in bytes of the engine's estimate; 0 is none. */
    public volatile long maxMemory;
    /** What to do at the memory limit: {@code noeviction}, {@code allkeys-random}, {@code volatile-random}, ... */
    public volatile String maxMemoryPolicy = "noeviction";
    /** Largest bulk string a client may send (Redis's proto-max-bulk-len, 512 MiB). */
    public volatile long maxBulkLength = 512L * 1024 * 1024;
    /** Most elements in one multibulk request. */
    public volatile long maxMultibulkLength = 1024L * 1024;
    /** Longest inline command (64 KiB, as Redis). */
    public volatile int maxInlineSize = 64 * 1024;
    /** Most bytes of bulk data in one request (Redis's client-query-buffer-limit, 1 GiB). */
    public volatile long queryBufferLimit = 1024L * 1024 * 1024;
    /** Most reply bytes queued for a normal client before it is disconnected (0: no limit, the reader is paused). */
    public volatile long outputBufferLimit = 256L * 1024 * 1024;
    /** Most bytes queued for a pub/sub client before it is disconnected (Redis's 32 MiB hard limit). */
    public volatile long pubsubOutputBufferLimit = 32L * 1024 * 1024;
    /** Idle seconds before a client is closed; 0 never. */
    public volatile int timeoutSeconds;
    /** A script running longer is stopped and its writes undone (Redis's lua-time-limit, 5 s); 0 is no limit. */
    public volatile long luaTimeLimitMs = 5000;
    /** Event loop threads serving connections; 0 is half the cores (at least one). */
    public int ioThreads;
    /** Most connected clients. */
    public volatile int maxClients = 10000;
}
