import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Stored responses of `POST /v1/responses` (store: true, the default), so `previous_response_id` continues a
 * conversation on any provider and GET /v1/responses/{id} reads one back. Each row belongs to one tenant: `scope`
 * is the tenant's scope id (src/pipeline/inbound/responses-tenant.ts); every read and delete filters on it, so a
 * response is invisible to any other tenant. Rows expire after STORED_RESPONSES_RETENTION_DAYS and are deleted
 * by the scheduled handler (src/index.ts).
 */
export const storedResponses = sqliteTable(
  "stored_responses",
  {
    scope: text("scope").notNull(),
    id: text("id").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** The provider that produced it; "openai" rows served natively were stored by OpenAI too (`native`). */
    provider: text("provider").notNull(),
    native: integer("native", { mode: "boolean" }).notNull(),
    previousResponseId: text("previous_response_id"),
    /** JSON: the conversation's items before this request (the previous responses' input and output). */
    context: text("context").notNull(),
    /** JSON: this request's own input items, each with its id (GET .../input_items lists them). */
    inputItems: text("input_items").notNull(),
    /** JSON: the response object as the client got it. */
    response: text("response").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.id] }), index("stored_responses_expires_idx").on(t.expiresAt)],
);
