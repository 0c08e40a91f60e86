package io.redkit.rdb;

import io.redkit.core.event.DataType;

/**
 * Every value type an RDB file can hold, named after Redis's RDB_TYPE_* constants. The byte that
 * selects one depends on the dialect and version: see {@link RdbTables}.
 */
public enum RdbType {
    STRING(DataType.STRING, "string"),
    LIST(DataType.LIST, "linkedlist"),
    SET(DataType.SET, "hashtable"),
    ZSET(DataType.ZSET, "skiplist"),
    HASH(DataType.HASH, "hashtable"),
    ZSET_2(DataType.ZSET, "skiplist"),
    MODULE_PRE_GA(DataType.MODULE, "module"),
    MODULE_2(DataType.MODULE, "module"),
    HASH_ZIPMAP(DataType.HASH, "zipmap"),
    LIST_ZIPLIST(DataType.LIST, "ziplist"),
    SET_INTSET(DataType.SET, "intset"),
    ZSET_ZIPLIST(DataType.ZSET, "ziplist"),
    HASH_ZIPLIST(DataType.HASH, "ziplist"),
    LIST_QUICKLIST(DataType.LIST, "quicklist"),
    STREAM_LISTPACKS(DataType.STREAM, "stream"),
    HASH_LISTPACK(DataType.HASH, "listpack"),
    ZSET_LISTPACK(DataType.ZSET, "listpack"),
    LIST_QUICKLIST_2(DataType.LIST, "quicklist2"),
    STREAM_LISTPACKS_2(DataType.STREAM, "stream"),
    SET_LISTPACK(DataType.SET, "listpack"),
    STREAM_LISTPACKS_3(DataType.STREAM, "stream"),
    /** Redis 7.4 release candidates: absolute field TTLs, hashtable layout. */
    HASH_METADATA_PRE_GA(DataType.HASH, "hashtable-ttl"),
    /** Redis 7.4 release candidates: listpack triplets without the min-expire prefix. */
    HASH_LISTPACK_EX_PRE_GA(DataType.HASH, "listpack-ex"),
    /** Valkey 9: hashtable hash whose every field carries an expiry. */
    HASH_2(DataType.HASH, "hashtable-ttl"),
    HASH_METADATA(DataType.HASH, "hashtable-ttl"),
    HASH_LISTPACK_EX(DataType.HASH, "listpack-ex"),
    STREAM_LISTPACKS_4(DataType.STREAM, "stream"),
    STREAM_LISTPACKS_5(DataType.STREAM, "stream"),
    ARRAY(DataType.ARRAY, "sparsearray"),
    HASH_TMPL_LP(DataType.HASH, "listpack-template"),
    HASH_TMPL_LP_REF(DataType.HASH, "listpack-template"),
    HASH_TMPL_ARRAY(DataType.HASH, "hashtable-template"),
    HASH_TMPL_ARRAY_REF(DataType.HASH, "hashtable-template");

    private final DataType dataType;
    private final String encoding;

    RdbType(DataType dataType, String encoding) {
        this.dataType = dataType;
        this.encoding = encoding;
    }

    /** The type users see. */
    public DataType dataType() {
        return dataType;
    }

    /** The encoding name reported in events. */
    public String encoding() {
        return encoding;
    }
}
