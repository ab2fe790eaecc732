import { and, eq } from "drizzle-orm";
import { guardrails, guardrailVersions, type GuardrailRow } from "../../schema/db/guardrails";
import { type Db } from "../storage/db";
import * as versioned from "../storage/versioned";
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
  return versioned.requireVersioned(RESOURCE, idOrSlug, ref ? await findGuardrail(db, ref) : undefined, forWrite);
}

function forget(row: Pick<GuardrailRow, "id" | "slug">): void {
  invalidateSavedGuardrail(row.id);
  invalidateSavedGuardrail(row.slug);
}

export async function createGuardrail(
  db: Db,
  actor: string,
  input: { slug: string; name?: string; definition: string },
): Promise<GuardrailRow> {
  if (await findGuardrail(db, { by: "slug", slug: input.slug })) throw versioned.slugTaken(RESOURCE, input.slug);
  const now = new Date();
  const row: GuardrailRow = versioned.newVersionedHead(input.slug, input.name, now);
  const version = { guardrailId: row.id, version: 1, definition: input.definition, createdAt: now, createdBy: actor };
  await versioned.commitCreate(
    db,
    RESOURCE,
    actor,
    row,
    db.insert(guardrails).values(row),
    db.insert(guardrailVersions).values(version),
  );
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
  await versioned.commitVersion(db, RESOURCE, actor, current, {
    version: db
      .insert(guardrailVersions)
      .values({ guardrailId: current.id, version, definition: input.definition, createdAt: now, createdBy: actor }),
    head: db
      .update(guardrails)
      .set({ latestVersion: version, updatedAt: now, name })
      .where(and(eq(guardrails.id, current.id), eq(guardrails.latestVersion, current.latestVersion))),
    at: now,
  });
  forget(current);
  return { ...current, latestVersion: version, updatedAt: now, name };
}

/** DELETE archives: history and audit stay, configs can no longer use it, the slug is free again. */
export async function archiveGuardrail(db: Db, actor: string, current: GuardrailRow): Promise<GuardrailRow> {
  const now = new Date();
  const archive = db.update(guardrails).set({ archived: true, updatedAt: now }).where(eq(guardrails.id, current.id));
  const archived = await versioned.commitArchive(db, RESOURCE, actor, current, archive, now);
  forget(current);
  return archived;
}
