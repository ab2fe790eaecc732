import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";

// With the raw binding as `$client`, for the few hot statements bound without the query builder.
export type Db = DrizzleD1Database & { $client: D1Database };

/** A drizzle handle over the D1 binding; cheap (no connection), so one per request is fine. */
export function openDb(env: Env): Db {
  return drizzle(env.DB);
}

/** True when a D1 write failed on a UNIQUE or PRIMARY KEY constraint (drizzle wraps the D1 error in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    current instanceof Error && depth < 5;
    current = current.cause, depth++
  ) {
    if (/UNIQUE constraint failed|SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)/.test(current.message)) return true;
  }
  return false;
}
