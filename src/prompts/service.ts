import { and, eq } from "drizzle-orm";
import { promptLabels, prompts, promptVersions, type PromptRow } from "../../schema/db";
import { GatewayError } from "../errors";
import { auditInsert } from "../storage/audit";
import { type Db } from "../storage/db";
import * as versioned from "../storage/versioned";
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
  return versioned.requireVersioned(RESOURCE, key, await findPrompt(db, key), forWrite);
}

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
  if (await findPrompt(db, meta.slug)) throw versioned.slugTaken(RESOURCE, meta.slug);
  const now = new Date();
  const row: PromptRow = {
    ...versioned.newVersionedHead(meta.slug, meta.name, now),
    description: meta.description ?? null,
  };
  const version = db
    .insert(promptVersions)
    .values({ promptId: row.id, version: 1, template: JSON.stringify(template), createdAt: now, createdBy: actor });
  await versioned.commitCreate(db, RESOURCE, actor, row, db.insert(prompts).values(row), version);
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
  await versioned.commitVersion(db, RESOURCE, actor, current, {
    version: db
      .insert(promptVersions)
      .values({ promptId: current.id, version, template: JSON.stringify(template), createdAt: now, createdBy: actor }),
    head: db
      .update(prompts)
      .set({ latestVersion: version, updatedAt: now, name: next.name, description: next.description })
      .where(and(eq(prompts.id, current.id), eq(prompts.latestVersion, current.latestVersion))),
    at: now,
  });
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
  const archive = db.update(prompts).set({ archived: true, updatedAt: now }).where(eq(prompts.id, current.id));
  const archived = await versioned.commitArchive(db, RESOURCE, actor, current, archive, now);
  invalidatePrompt(current);
  return archived;
}
