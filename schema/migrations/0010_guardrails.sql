-- Guardrails (issue 13): saved guardrails and their versions, lifetime check counters, the hook results of each
-- request log row, and a gateway key's own default guardrails (schema/db/guardrails.ts, logs.ts, keys.ts).
CREATE TABLE `guardrails` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`latest_version` integer NOT NULL,
	`archived` integer DEFAULT 0 NOT NULL
);
CREATE UNIQUE INDEX `guardrails_live_slug_idx` ON `guardrails` (`slug`) WHERE archived = 0;
CREATE INDEX `guardrails_created_idx` ON `guardrails` (`created_at`,`id`);
CREATE TABLE `guardrail_versions` (
	`guardrail_id` text NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	PRIMARY KEY(`guardrail_id`, `version`),
	FOREIGN KEY (`guardrail_id`) REFERENCES `guardrails`(`id`) ON UPDATE no action ON DELETE no action
);
CREATE TABLE `guardrail_check_totals` (
	`check` text NOT NULL,
	`verdict` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`check`, `verdict`)
);
ALTER TABLE `request_logs` ADD `hook_results` text;
ALTER TABLE `gateway_keys` ADD `default_guardrails` text;
