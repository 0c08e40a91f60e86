/**
 * The KV engine served over RESP2/RESP3 with Netty ({@code redkit kv serve}): framing with limits against hostile
 * clients, connection state, transactions, blocking pops, pub/sub, Lua scripting and the server commands; data
 * commands go to {@link io.redkit.kv.KvEngine#execute(int, java.util.List)}.
 */
package io.redkit.kv.server;
