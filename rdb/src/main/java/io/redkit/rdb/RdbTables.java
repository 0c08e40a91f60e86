package io.redkit.rdb;

import io.redkit.core.event.Dialect;

/**
 * The byte tables of the RDB format as data: which byte is which opcode or value type, per
 * dialect. Bytes below {@link #OP_MIN} are value types; the rest are opcodes.
 */
final class RdbTables {
    static final int OP_EOF = 255;
    static final int OP_SELECTDB = 254;
    static final int OP_EXPIRETIME = 253;
    static final int OP_EXPIRETIME_MS = 252;
    static final int OP_RESIZEDB = 251;
    static final int OP_AUX = 250;
    static final int OP_FREQ = 249;
    static final int OP_IDLE = 248;
    static final int OP_MODULE_AUX = 247;
    static final int OP_FUNCTION_PRE_GA = 246;
    static final int OP_FUNCTION2 = 245;
    static final int OP_SLOT_INFO = 244;
    /** 243: KEY_META under REDIS magic, SLOT_IMPORT under VALKEY magic. */
    static final int OP_243 = 243;
    /** 242: HASH_TEMPLATE under REDIS magic (v15); Valkey's UPDATE is unreleased. */
    static final int OP_242 = 242;
    /** Redis Enterprise opcodes that share the REDIS magic. */
    static final int OP_ENT_RAM_LRU = 107;
    static final int OP_ENT_SLOT_NUM = 121;

    /** Newest REDIS-magic version the tables know. */
    static final int REDIS_MAX_VERSION = 15;
    /** Newest VALKEY-magic version the tables know. */
    static final int VALKEY_MAX_VERSION = 80;
    static final int VALKEY_MIN_VERSION = 80;

    private static final RdbType[] REDIS_TYPES = new RdbType[256];
    private static final RdbType[] VALKEY_TYPES = new RdbType[256];

    static {
        RdbType[] common = {
            RdbType.STRING, RdbType.LIST, RdbType.SET, RdbType.ZSET, RdbType.HASH, RdbType.ZSET_2,
            RdbType.MODULE_PRE_GA, RdbType.MODULE_2, null, RdbType.HASH_ZIPMAP, RdbType.LIST_ZIPLIST,
            RdbType.SET_INTSET, RdbType.ZSET_ZIPLIST, RdbType.HASH_ZIPLIST, RdbType.LIST_QUICKLIST,
            RdbType.STREAM_LISTPACKS, RdbType.HASH_LISTPACK, RdbType.ZSET_LISTPACK, RdbType.LIST_QUICKLIST_2,
            RdbType.STREAM_LISTPACKS_2, RdbType.SET_LISTPACK, RdbType.STREAM_LISTPACKS_3,
        };
        System.arraycopy(common, 0, REDIS_TYPES, 0, common.length);
        System.arraycopy(common, 0, VALKEY_TYPES, 0, common.length);
        RdbType[] redisOnly = {
            RdbType.HASH_METADATA_PRE_GA, RdbType.HASH_LISTPACK_EX_PRE_GA, RdbType.HASH_METADATA,
            RdbType.HASH_LISTPACK_EX, RdbType.STREAM_LISTPACKS_4, RdbType.STREAM_LISTPACKS_5, RdbType.ARRAY,
            RdbType.HASH_TMPL_LP, RdbType.HASH_TMPL_LP_REF, RdbType.HASH_TMPL_ARRAY, RdbType.HASH_TMPL_ARRAY_REF,
        };
        System.arraycopy(redisOnly, 0, REDIS_TYPES, 22, redisOnly.length);
        VALKEY_TYPES[22] = RdbType.HASH_2;
    }

    private RdbTables() {
    }

    /** The value type a byte selects in a dialect, or null when it is none. */
    static RdbType type(Dialect dialect, int b) {
        return (dialect == Dialect.VALKEY ? VALKEY_TYPES : REDIS_TYPES)[b];
    }

    /** True when the byte is one of the opcodes (not a value type). */
    static boolean isOpcode(int b) {
        return b >= OP_242;
    }

    /** The newest version of a dialect the tables know. */
    static int maxVersion(Dialect d) {
        return d == Dialect.VALKEY ? VALKEY_MAX_VERSION : REDIS_MAX_VERSION;
    }
}
