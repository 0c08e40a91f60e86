package io.redkit.core.event;

/** The kinds of {@link Event}, one per record type. */
public enum EventKind {
    BEGIN, AUX, SELECT_DB, RESIZE_DB, SLOT_INFO, FUNCTION_LIBRARY, MODULE_AUX,
    KEY_START, STRING_PART, ELEMENTS, HASH_FIELDS, ZSET_MEMBERS, STREAM_ENTRIES, STREAM_META, ARRAY_ELEMENTS,
    MODULE_VALUE, KEY_END, COMMAND, END
}
