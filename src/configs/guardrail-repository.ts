import { and, desc, eq, lt, or } from "drizzle-orm";
import { guardrails, guardrailVersions, type GuardrailRow, type GuardrailVersionRow } from "../../schema/db/guardrails";
import type { Cursor } from "../storage/pagination";
import type { Db } from "../storage/db";
import type { ConfigRef } from "./repository";

/** D1 reads of saved guardrails for the admin API (the request path reads through guardrail-store.ts). */

/** By id: archived ones too (their history stays readable). By slug: live ones only (archiving frees it). */
function refCondition(ref: ConfigRef) {
  return ref.by === "id"
    ? eq(guardrails.id, ref.id)
    : and(eq(guardrails.slug, ref.slug), eq(guardrails.archived, false));
}

export async function findGuardrail(db: Db, ref: ConfigRef): Promise<GuardrailRow | undefined> {
  return db.select().from(guardrails).where(refCondition(ref)).get();
}

export async function findGuardrailVersion(
  db: Db,
  guardrailId: string,
  version: number,
): Promise<GuardrailVersionRow | undefined> {
  return db
    .select()
    .from(guardrailVersions)
    .where(and(eq(guardrailVersions.guardrailId, guardrailId), eq(guardrailVersions.version, version)))
    .get();
}

/** Newest first; `limit + 1` rows so the caller can tell whether a next page exists. */
export async function listGuardrailRows(
  db: Db,
  options: { limit: number; after?: Cursor; includeArchived: boolean },
): Promise<GuardrailRow[]> {
  const { after } = options;
  const afterCondition = after
    ? or(
        lt(guardrails.createdAt, new Date(after.key)),
        and(eq(guardrails.createdAt, new Date(after.key)), lt(guardrails.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(guardrails)
    .where(and(options.includeArchived ? undefined : eq(guardrails.archived, false), afterCondition))
    .orderBy(desc(guardrails.createdAt), desc(guardrails.id))
    .limit(options.limit + 1)
    .all();
}

export type GuardrailVersionSummary = Omit<GuardrailVersionRow, "definition">;

/** Versions of one guardrail, newest first, without their bodies. */
export async function listGuardrailVersionRows(
  db: Db,
  guardrailId: string,
  options: { limit: number; beforeVersion?: number },
): Promise<GuardrailVersionSummary[]> {
  return db
    .select({
      guardrailId: guardrailVersions.guardrailId,
      version: guardrailVersions.version,
      createdAt: guardrailVersions.createdAt,
      createdBy: guardrailVersions.createdBy,
    })
    .from(guardrailVersions)
    .where(
      and(
        eq(guardrailVersions.guardrailId, guardrailId),
        options.beforeVersion === undefined ? undefined : lt(guardrailVersions.version, options.beforeVersion),
      ),
    )
    .orderBy(desc(guardrailVersions.version))
    .limit(options.limit + 1)
    .all();
}
