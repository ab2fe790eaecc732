import { and, eq } from "drizzle-orm";
import { promptLabels, prompts, promptVersions, type PromptRow } from "../../schema/db";
import { GatewayError } from "../errors";
import { auditInsert } from "../storage/audit";
import { isUniqueViolation, type Db } from "../storage/db";
import { findPrompt } from "./repository";
import type { StoredTemplate } from "./stored";
import { invalidatePrompt } from "./store";
import type { LabelShare } from "./types";

/**
 * Prompt registry writes. Each change is one D1 batch (a transaction): the rows and the audit row commit together
 * or not at all. Afterwards this isolate's cache forgets the prompt, so it runs the change at once.
 */

const RESOURCE = "prompt";

export async function requirePrompt(db: Db, key: string, forWrite = false): Promise<PromptRow> {
  const row = await findPrompt(db, key);
  if (!row) throw new GatewayError(404, `prompt ${JSON.stringify(key)} not found`, { code: "prompt_not_found" });
  if (forWrite && row.archived) {
    throw new GatewayError(409, `prompt ${JSON.stringify(key)} is archived and can no longer change`, {
      code: "prompt_archived",
    });
  }
  return row;
}

const slugTaken = (slug: string) =>
  new GatewayError(409, `slug: a prompt with slug ${JSON.stringify(slug)} already exists`, {
    param: "slug",
    code: "prompt_slug_taken",
  });

export interface PromptMeta {
  slug: string;
  name?: string;
  description?: string;
}

export async function createPrompt(
  db: Db,
  actor: string,
  meta: PromptMeta,
  template: StoredTemplate,
): Promise<PromptRow> {
  if (await findPrompt(db, meta.slug)) throw slugTaken(meta.slug);
  const now = new Date();
  const row: PromptRow = {
    id: crypto.randomUUID(),
    slug: meta.slug,
    name: meta.name ?? meta.slug,
    description: meta.description ?? null,
    createdAt: now,
    updatedAt: now,
    latestVersion: 1,
    archived: false,
  };
  try {
    await db.batch([
      db.insert(prompts).values(row),
      db
        .insert(promptVersions)
        .values({ promptId: row.id, version: 1, template: JSON.stringify(template), createdAt: now, createdBy: actor }),
      auditInsert(db, {
        actor,
        action: "create",
        resourceType: RESOURCE,
        resourceId: row.id,
        at: now,
        details: { slug: row.slug, version: 1 },
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(meta.slug);
    throw error;
  }
  invalidatePrompt(row); // a cached "not found" for this slug must not outlive its creation
  return row;
}

/** Version n + 1. The (prompt_id, version) key turns a concurrent update into a 409, not a lost write. */
export async function addPromptVersion(
  db: Db,
  actor: string,
  current: PromptRow,
  meta: Omit<PromptMeta, "slug">,
  template: StoredTemplate,
): Promise<PromptRow> {
  const now = new Date();
  const version = current.latestVersion + 1;
  const next: PromptRow = {
    ...current,
    latestVersion: version,
    updatedAt: now,
    name: meta.name ?? current.name,
    description: meta.description ?? current.description,
  };
  try {
    await db.batch([
      db.insert(promptVersions).values({
        promptId: current.id,
        version,
        template: JSON.stringify(template),
        createdAt: now,
        createdBy: actor,
      }),
      db
        .update(prompts)
        .set({ latestVersion: version, updatedAt: now, name: next.name, description: next.description })
        .where(and(eq(prompts.id, current.id), eq(prompts.latestVersion, current.latestVersion))),
      auditInsert(db, {
        actor,
        action: "update",
        resourceType: RESOURCE,
        resourceId: current.id,
        at: now,
        details: { slug: current.slug, version, previous_version: current.latestVersion },
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new GatewayError(
        409,
        `prompt ${JSON.stringify(current.slug)} was updated concurrently; fetch it and retry`,
        { code: "prompt_conflict" },
      );
    }
    throw error;
  }
  invalidatePrompt(current);
  return next;
}

/** Point a label at a version or a split: one upsert, audited in the same batch (readers see the old or the new). */
export async function setLabel(
  db: Db,
  actor: string,
  current: PromptRow,
  label: string,
  shares: LabelShare[],
): Promise<void> {
  for (const [i, share] of shares.entries()) {
    if (share.version > current.latestVersion) {
      const param = shares.length === 1 ? "version" : `versions[${i}].version`;
      throw new GatewayError(400, `${param}: prompt ${JSON.stringify(current.slug)} has no version ${share.version}`, {
        param,
        code: "prompt_version_not_found",
      });
    }
  }
  const now = new Date();
  const versions = JSON.stringify(shares);
  await db.batch([
    db
      .insert(promptLabels)
      .values({ promptId: current.id, label, versions, updatedAt: now, updatedBy: actor })
      .onConflictDoUpdate({
        target: [promptLabels.promptId, promptLabels.label],
        set: { versions, updatedAt: now, updatedBy: actor },
      }),
    auditInsert(db, {
      actor,
      action: "label",
      resourceType: RESOURCE,
      resourceId: current.id,
      at: now,
      details: {
        slug: current.slug,
        label,
        versions: shares.map((share) => `${share.version}:${share.weight}`).join(","),
      },
    }),
  ]);
  invalidatePrompt(current);
}

/** Archive: history and audit stay, requests can no longer run it, the slug is free again. */
export async function archivePrompt(db: Db, actor: string, current: PromptRow): Promise<PromptRow> {
  const now = new Date();
  await db.batch([
    db.update(prompts).set({ archived: true, updatedAt: now }).where(eq(prompts.id, current.id)),
    auditInsert(db, {
      actor,
      action: "archive",
      resourceType: RESOURCE,
      resourceId: current.id,
      at: now,
      details: { slug: current.slug, version: current.latestVersion },
    }),
  ]);
  invalidatePrompt(current);
  return { ...current, archived: true, updatedAt: now };
}
