/**
 * JSON output: {@link io.redkit.formats.json.JsonlSink} (one object per key, the jsonl contract of
 * DESIGN.md, optionally in canonical {@code --sorted} order) and {@link io.redkit.formats.json.JsonSink}
 * (one JSON document, redkit's layout or redis-rdb-tools' {@code -c json} layout). Written with
 * Jackson's streaming generator and pre-encoded field names.
 */
package io.redkit.formats.json;
