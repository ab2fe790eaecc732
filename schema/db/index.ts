/**
 * All D1 tables (drizzle). Migrations in schema/migrations must match them (test/unit/admin-db-schema.test.ts).
 * To change a table: edit it here, draft the SQL with
 *   npx drizzle-kit generate --dialect sqlite --schema schema/db/index.ts --out /tmp/drizzle
 * and copy the new statements into the next numbered schema/migrations/NNNN_<what>.sql (wrangler applies those).
 */
export * from "./admin-keys";
export * from "./audit";
export * from "./configs";
export * from "./dashboard-sessions";
export * from "./guardrails";
export * from "./keys";
export * from "./logs";
export * from "./metadata-rollups";
export * from "./prompts";
export * from "./stored-responses";
