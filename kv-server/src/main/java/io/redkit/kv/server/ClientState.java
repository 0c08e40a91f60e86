package io.redkit.kv.server;

/** The state of one connection that the decoder needs as well as the handler. */
final class ClientState {
    /** Authenticated (or no password is configured). */
    volatile boolean authenticated;
    /** The ACL user the connection runs as (the default user until AUTH). */
    volatile Acl.User user;
}
