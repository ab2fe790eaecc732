-- Guardrail analytics (schema/db/logs.ts). Columns only; hours rolled up before this migration count 0 for them.

-- Per request: a failed hook that does not deny (246, or an async hook's fail), and what the request's moderation
-- classifier calls cost (null when none ran, or when one of them used a model the price table does not know).
ALTER TABLE `request_logs` ADD `guardrail_flagged` integer DEFAULT 0 NOT NULL;
ALTER TABLE `request_logs` ADD `guardrail_cost_usd` real;

-- The same three counters in every rollup table (they share one column set): guardrail denials (446), flags, and
-- classifier cost.
ALTER TABLE `log_rollups` ADD `guardrail_denied` integer DEFAULT 0 NOT NULL;
ALTER TABLE `log_rollups` ADD `guardrail_flagged` integer DEFAULT 0 NOT NULL;
ALTER TABLE `log_rollups` ADD `guardrail_cost_usd` real DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `guardrail_denied` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `guardrail_flagged` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metric_totals` ADD `guardrail_cost_usd` real DEFAULT 0 NOT NULL;
ALTER TABLE `metadata_rollups` ADD `guardrail_denied` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metadata_rollups` ADD `guardrail_flagged` integer DEFAULT 0 NOT NULL;
ALTER TABLE `metadata_rollups` ADD `guardrail_cost_usd` real DEFAULT 0 NOT NULL;
