-- Admin API keys (schema/db/admin-keys.ts): scoped credentials for the admin API and /metrics, stored as the
-- SHA-256 of the secret plus a visible prefix. No column ever holds a secret in the clear.
CREATE TABLE `admin_api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`scopes` text NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`revoked_by` text
);
CREATE UNIQUE INDEX `admin_api_keys_hash_idx` ON `admin_api_keys` (`key_hash`);
CREATE INDEX `admin_api_keys_created_idx` ON `admin_api_keys` (`created_at`,`id`);
