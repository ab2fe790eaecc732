-- Saved routing configs and their immutable versions (schema/db/configs.ts).
CREATE TABLE `configs` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`latest_version` integer NOT NULL,
	`archived` integer DEFAULT 0 NOT NULL
);
-- Slugs are unique among live configs only: archiving a config frees its slug.
CREATE UNIQUE INDEX `configs_live_slug_idx` ON `configs` (`slug`) WHERE archived = 0;
CREATE INDEX `configs_created_idx` ON `configs` (`created_at`,`id`);
CREATE TABLE `config_versions` (
	`config_id` text NOT NULL,
	`version` integer NOT NULL,
	`config` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	PRIMARY KEY(`config_id`, `version`),
	FOREIGN KEY (`config_id`) REFERENCES `configs`(`id`) ON UPDATE no action ON DELETE no action
);
