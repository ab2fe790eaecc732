-- Audit log of admin changes (schema/db/audit.ts). details: identifiers and versions only, never a secret.
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL
);
CREATE INDEX `audit_log_resource_idx` ON `audit_log` (`resource_type`,`resource_id`);
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);
