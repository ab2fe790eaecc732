-- Analytics by any metadata key (schema/db/metadata-rollups.ts): hourly rollups of every metadata key a request
-- carried (at most 16 per request, values cut to 128 characters), at most 1000 distinct values per key and hour
-- (later new values count as `__other__`). `slot` is a value's order of arrival in its key and hour, so the number
-- of values a key has is one index seek. Hours before this migration have no rows here.
CREATE TABLE `metadata_rollups` (
	`key` text NOT NULL,
	`hour` integer NOT NULL,
	`value` text NOT NULL,
	`slot` integer NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`errors` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`cached_tokens` integer DEFAULT 0 NOT NULL,
	`cache_write_tokens` integer DEFAULT 0 NOT NULL,
	`reasoning_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`unpriced` integer DEFAULT 0 NOT NULL,
	`estimated` integer DEFAULT 0 NOT NULL,
	`latency_sum_ms` integer DEFAULT 0 NOT NULL,
	`lat_b0` integer DEFAULT 0 NOT NULL,
	`lat_b1` integer DEFAULT 0 NOT NULL,
	`lat_b2` integer DEFAULT 0 NOT NULL,
	`lat_b3` integer DEFAULT 0 NOT NULL,
	`lat_b4` integer DEFAULT 0 NOT NULL,
	`lat_b5` integer DEFAULT 0 NOT NULL,
	`lat_b6` integer DEFAULT 0 NOT NULL,
	`lat_b7` integer DEFAULT 0 NOT NULL,
	`lat_b8` integer DEFAULT 0 NOT NULL,
	`lat_b9` integer DEFAULT 0 NOT NULL,
	`lat_b10` integer DEFAULT 0 NOT NULL,
	`lat_b11` integer DEFAULT 0 NOT NULL,
	`lat_le5` integer DEFAULT 0 NOT NULL,
	`lat_le10` integer DEFAULT 0 NOT NULL,
	`lat_le25` integer DEFAULT 0 NOT NULL,
	`cache_hits` integer DEFAULT 0 NOT NULL,
	`cache_saved_usd` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`key`, `hour`, `value`)
);
CREATE INDEX `metadata_rollups_slot_idx` ON `metadata_rollups` (`key`,`hour`,`slot`);
