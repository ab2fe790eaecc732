-- Stored responses of POST /v1/responses (schema/db/stored-responses.ts): one row per response, per tenant scope.
CREATE TABLE `stored_responses` (
	`scope` text NOT NULL,
	`id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`provider` text NOT NULL,
	`native` integer NOT NULL,
	`previous_response_id` text,
	`context` text NOT NULL,
	`input_items` text NOT NULL,
	`response` text NOT NULL,
	PRIMARY KEY(`scope`, `id`)
);
-- The scheduled retention sweep deletes by expiry.
CREATE INDEX `stored_responses_expires_idx` ON `stored_responses` (`expires_at`);
