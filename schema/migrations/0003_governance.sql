-- Governance (schema/db/keys.ts): gateway API keys, stored as SHA-256 hashes, and virtual keys, whose provider
-- credential is AES-GCM ciphertext under the VAULT_KEY secret. No column ever holds a secret in the clear.
CREATE TABLE `gateway_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`user` text,
	`team` text,
	`metadata` text NOT NULL,
	`allowed_models` text,
	`allowed_providers` text,
	`allowed_virtual_keys` text,
	`default_config` text,
	`rpm` integer,
	`tpm` integer,
	`budget_usd` real,
	`budget_period` text DEFAULT 'none' NOT NULL,
	`expires_at` integer,
	`log_bodies` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`rotated_at` integer,
	`created_by` text NOT NULL
);
CREATE UNIQUE INDEX `gateway_keys_hash_idx` ON `gateway_keys` (`key_hash`);
CREATE INDEX `gateway_keys_created_idx` ON `gateway_keys` (`created_at`,`id`);
CREATE TABLE `virtual_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`secret_ciphertext` text,
	`secret_iv` text,
	`vault_key_id` text NOT NULL,
	`secret_hint` text NOT NULL,
	`options` text NOT NULL,
	`allowed_models` text,
	`rpm` integer,
	`tpm` integer,
	`budget_usd` real,
	`budget_period` text DEFAULT 'none' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`rotated_at` integer,
	`created_by` text NOT NULL
);
CREATE UNIQUE INDEX `virtual_keys_live_slug_idx` ON `virtual_keys` (`slug`) WHERE status != 'deleted';
CREATE INDEX `virtual_keys_created_idx` ON `virtual_keys` (`created_at`,`id`);
CREATE INDEX `virtual_keys_vault_key_idx` ON `virtual_keys` (`vault_key_id`);