-- Observability fixes (schema/db/logs.ts). Columns only: rows written before this migration keep their meaning,
-- except where noted.

-- Finer latency buckets below 50 ms (5, 10, 25 ms). lat_b0 now counts 25..50 ms; in rows rolled up before this
-- migration it still holds every request up to 50 ms, which percentiles then read as 25..50 ms.
ALTER TABLE `log_rollups` ADD `lat_le5` integer DEFAULT 0 NOT NULL;
ALTER TABLE `log_rollups` ADD `lat_le10` integer DEFAULT 0 NOT NULL;
ALTER TABLE `log_rollups` ADD `lat_le25` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `lat_le5` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `lat_le10` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `lat_le25` integer DEFAULT 0 NOT NULL;

-- Cache hits: what each hit saved and the entry it read, per request; hits and savings counted in the rollups
-- (whose token counters leave hits out from now on: their tokens were not spent again).
ALTER TABLE `request_logs` ADD `cache_saved_usd` real;
ALTER TABLE `request_logs` ADD `cache_key` text;
ALTER TABLE `log_rollups` ADD `cache_hits` integer DEFAULT 0 NOT NULL;
ALTER TABLE `log_rollups` ADD `cache_saved_usd` real DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `cache_hits` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `cache_saved_usd` real DEFAULT 0 NOT NULL;

-- The model label of GET /metrics: the price table's name for the model, or `other` (bounded label values).
-- metric_totals rows written before this migration keep the raw model strings they were counted under.
ALTER TABLE `request_logs` ADD `metric_model` text;
