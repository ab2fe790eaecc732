import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { rollupCounterColumns } from "./logs";

/*
 * Bounds of the metadata rollups (written by src/observability/metadata-rollup-sql.ts), whatever metadata callers
 * send: a consumer batch of 100 events upserts at most 100 × METADATA_ROLLUP_MAX_KEYS rows, and a key gains at most
 * METADATA_ROLLUP_MAX_VALUES + 1 rows per hour, so a query reads at most that many rows per key and hour.
 */
/** Metadata keys rolled up per request: the first ones in key order (code points), `_`-keys other than `_user` skipped. */
export const METADATA_ROLLUP_MAX_KEYS = 16;
/** A value is rolled up as its first this many characters. */
export const METADATA_ROLLUP_MAX_VALUE_CHARS = 128;
/** Distinct values kept per key and UTC hour; later new values of that key and hour count as OTHER_METADATA_VALUE. */
export const METADATA_ROLLUP_MAX_VALUES = 1000;
/** The value that collects everything past METADATA_ROLLUP_MAX_VALUES (and a caller's own `__other__`). */
export const OTHER_METADATA_VALUE = "__other__";

/**
 * Hourly rollups of every metadata key a request carried (migration 0007), one row per (key, hour, value), with
 * the same measures as log_rollups. Unlike log_rollups a request counts only under the keys it carried: there is
 * no '' row for "key absent" (the set of keys is open).
 */
export const metadataRollups = sqliteTable(
  "metadata_rollups",
  {
    key: text("key").notNull(),
    hour: integer("hour").notNull(),
    value: text("value").notNull(),
    /**
     * The order in which the value was first seen in its (key, hour): 1..METADATA_ROLLUP_MAX_VALUES; 0 for
     * OTHER_METADATA_VALUE. The highest slot of a (key, hour) is its number of distinct values, read with one
     * index seek (metadata_rollups_slot_idx) instead of counting up to a thousand rows per batch.
     */
    slot: integer("slot").notNull(),
    ...rollupCounterColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.hour, t.value] }),
    index("metadata_rollups_slot_idx").on(t.key, t.hour, t.slot),
  ],
);

export type MetadataRollupRow = typeof metadataRollups.$inferSelect;
