import { and, eq } from "drizzle-orm";
import { guardrails, guardrailVersions, type GuardrailRow } from "../../schema/db/guardrails";
import { GatewayError } from "../errors";
import { auditInsert } from "../storage/audit";
import { isUniqueViolation, type Db } from "../storage/db";
import { findGuardrail } from "./guardrail-repository";
import { invalidateSavedGuardrail } from "./guardrail-store";
import { parseConfigRef } from "./repository";

/**
 * Saved-guardrail writes, like saved configs (service.ts): each change is one D1 batch with its audit row, and
 * afterwards this isolate's cache (guardrail-store.ts) forgets the guardrail by id and slug, so the isolate that
 * served the change sees it at once; other isolates within the cache TTL (30 s).
 */
const RESOURCE = "guardrail";

export async function requireGuardrail(db: Db, idOrSlug: string, forWrite = false): Promise<GuardrailRow> {
  const ref = parseConfigRef(idOrSlug);
  const row = ref ? await findGuardrail(db, ref) : undefined;
  if (!row) {
    throw new GatewayError(404, `guardrail ${JSON.stringify(idOrSlug)} not found`, { code: "guardrail_not_found" });
  }
  if (forWrite && row.archived) {
    throw new GatewayError(409, `guardrail ${JSON.stringify(idOrSlug)} is archived and can no longer change`, {
      code: "guardrail_archived",
    });
  }
  return row;
}

function forget(row: Pick<GuardrailRow, "id" | "slug">): void {
  invalidateSavedGuardrail(row.id);
  invalidateSavedGuardrail(row.slug);
}

const slugTaken = (slug: string) =>
  new GatewayError(409, `slug: a guardrail with slug ${JSON.stringify(slug)} already exists`, {
    param: "slug",
    code: "guardrail_slug_taken",
  });

export async function createGuardrail(
  db: Db,
  actor: string,
  input: { slug: string; name?: string; definition: string },
): Promise<GuardrailRow> {
  if (await findGuardrail(db, { by: "slug", slug: input.slug })) throw slugTaken(input.slug);
  const now = new Date();
  const row: GuardrailRow = {
    id: crypto.randomUUID(),
    slug: input.slug,
    name: input.name ?? input.slug,
    createdAt: now,
    updatedAt: now,
    latestVersion: 1,
    archived: false,
  };
  const version = { guardrailId: row.id, version: 1, definition: input.definition, createdAt: now, createdBy: actor };
  const details = { slug: row.slug, version: 1 };
  try {
    await db.batch([
      db.insert(guardrails).values(row),
      db.insert(guardrailVersions).values(version),
      auditInsert(db, { actor, action: "create", resourceType: RESOURCE, resourceId: row.id, at: now, details }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    throw error;
  }
  forget(row); // a cached "not found" for this slug must not outlive its creation
  return row;
}

/** A new version (n + 1); the (guardrail_id, version) primary key turns a concurrent update into a 409. */
export async function addGuardrailVersion(
  db: Db,
  actor: string,
  current: GuardrailRow,
  input: { definition: string; name?: string },
): Promise<GuardrailRow> {
  const now = new Date();
  const version = current.latestVersion + 1;
  const name = input.name ?? current.name;
  const details = { slug: current.slug, version, previous_version: current.latestVersion };
  try {
    await db.batch([
      db
        .insert(guardrailVersions)
        .values({ guardrailId: current.id, version, definition: input.definition, createdAt: now, createdBy: actor }),
      db
        .update(guardrails)
        .set({ latestVersion: version, updatedAt: now, name })
        .where(and(eq(guardrails.id, current.id), eq(guardrails.latestVersion, current.latestVersion))),
      auditInsert(db, { actor, action: "update", resourceType: RESOURCE, resourceId: current.id, at: now, details }),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new GatewayError(
      409,
      `guardrail ${JSON.stringify(current.slug)} was updated concurrently; fetch it and retry`,
      {
        code: "guardrail_conflict",
      },
    );
  }
  forget(current);
  return { ...current, latestVersion: version, updatedAt: now, name };
}

/** DELETE archives: history and audit stay, configs can no longer use it, the slug is free again. */
export async function archiveGuardrail(db: Db, actor: string, current: GuardrailRow): Promise<GuardrailRow> {
  const now = new Date();
  const details = { slug: current.slug, version: current.latestVersion };
  await db.batch([
    db.update(guardrails).set({ archived: true, updatedAt: now }).where(eq(guardrails.id, current.id)),
    auditInsert(db, { actor, action: "archive", resourceType: RESOURCE, resourceId: current.id, at: now, details }),
  ]);
  forget(current);
  return { ...current, archived: true, updatedAt: now };
}
