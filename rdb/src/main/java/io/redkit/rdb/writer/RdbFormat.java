package io.redkit.rdb.writer;

/** RDB opcodes, type bytes and the Redis default encoding limits the writer uses (REDIS dialect). */
final class RdbFormat {
    private RdbFormat() {
    }

    static final int OP_FUNCTION2 = 245;
    static final int OP_MODULE_AUX = 247;
    static final int OP_IDLE = 248;
    static final int OP_FREQ = 249;
    static final int OP_AUX = 250;
    static final int OP_RESIZEDB = 251;
    static final int OP_EXPIRETIME_MS = 252;
    static final int OP_SELECTDB = 254;
    static final int OP_EOF = 255;
    static final int OP_SLOT_INFO = 244;

    static final int T_STRING = 0;
    static final int T_LIST = 1;
    static final int T_SET = 2;
    static final int T_ZSET = 3;
    static final int T_HASH = 4;
    static final int T_ZSET_2 = 5;
    static final int T_MODULE_2 = 7;
    static final int T_SET_INTSET = 11;
    static final int T_STREAM_LISTPACKS = 15;
    static final int T_HASH_LISTPACK = 16;
    static final int T_ZSET_LISTPACK = 17;
    static final int T_LIST_QUICKLIST_2 = 18;
    static final int T_STREAM_LISTPACKS_2 = 19;
    static final int T_SET_LISTPACK = 20;
    static final int T_STREAM_LISTPACKS_3 = 21;
    static final int T_STREAM_LISTPACKS_4 = 26;
    static final int T_HASH_METADATA = 24;
    static final int T_HASH_LISTPACK_EX = 25;

    static final int QUICKLIST_PLAIN = 1;
    static final int QUICKLIST_PACKED = 2;

    /** redis.conf 7.x defaults. */
    static final int HASH_MAX_LISTPACK_ENTRIES = 128;
    static final int HASH_MAX_LISTPACK_VALUE = 64;
    static final int SET_MAX_INTSET_ENTRIES = 512;
    static final int SET_MAX_LISTPACK_ENTRIES = 128;
    static final int SET_MAX_LISTPACK_VALUE = 64;
    static final int ZSET_MAX_LISTPACK_ENTRIES = 128;
    static final int ZSET_MAX_LISTPACK_VALUE = 64;
    /** list-max-listpack-size -2: listpack nodes of at most 8 KiB. */
    static final int LIST_NODE_MAX_BYTES = 8192;
    /** Quicklist's per-element size estimate overhead when deciding whether an element fits a node. */
    static final int LIST_NODE_ENTRY_OVERHEAD = 8;
    static final int STREAM_NODE_MAX_BYTES = 4096;
    static final int STREAM_NODE_MAX_ENTRIES = 100;
    /** EB_EXPIRE_TIME_MAX: the largest hash field expiry Redis accepts. */
    static final long HASH_FIELD_EXPIRE_MAX = (1L << 48) - 1;

    static final int MIN_VERSION = 7;
    static final int MAX_VERSION = 13;
    /** What a writer targets unless told otherwise: RDB 13 (Redis 8.6) is asked for explicitly. */
    static final int DEFAULT_VERSION = 12;
    /** Redis 8.6's stream-idmp-duration and stream-idmp-maxsize defaults, for streams without IDMP state. */
    static final long IDMP_DEFAULT_DURATION = 100;
    static final long IDMP_DEFAULT_MAX_ENTRIES = 100;
}
