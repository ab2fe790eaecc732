-- The prompt registry (schema/db/prompts.ts): prompts, immutable versions, labels (one version or a weighted split).
CREATE TABLE `prompts` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`latest_version` integer NOT NULL,
	`archived` integer DEFAULT 0 NOT NULL
);
-- Slugs are unique among live prompts only: archiving a prompt frees its slug.
CREATE UNIQUE INDEX `prompts_live_slug_idx` ON `prompts` (`slug`) WHERE archived = 0;
CREATE INDEX `prompts_created_idx` ON `prompts` (`created_at`,`id`);
CREATE TABLE `prompt_versions` (
	`prompt_id` text NOT NULL,
	`version` integer NOT NULL,
	`template` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	PRIMARY KEY(`prompt_id`, `version`),
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE no action
);
CREATE TABLE `prompt_labels` (
	`prompt_id` text NOT NULL,
	`label` text NOT NULL,
	`versions` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`prompt_id`, `label`),
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE no action
);
-- Which prompt version a request ran (POST /v1/prompts/{id}/completions); null for every other request.
ALTER TABLE `request_logs` ADD `prompt_id` text;
ALTER TABLE `request_logs` ADD `prompt_version` integer;
ALTER TABLE `request_logs` ADD `prompt_label` text;
