-- Dashboard sessions (schema/db/dashboard-sessions.ts): one row per sign-in, so sessions can be listed and revoked
-- before their cookie expires. No column holds a token.
CREATE TABLE `dashboard_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`user_agent` text,
	`revoked_at` integer,
	`revoked_by` text
);
CREATE INDEX `dashboard_sessions_expires_idx` ON `dashboard_sessions` (`expires_at`);
