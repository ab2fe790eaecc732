import { and, eq } from "drizzle-orm";
import { configs, configVersions, type ConfigRow } from "../../schema/db";
import { auditInsert } from "../storage/audit";
import { type Db } from "../storage/db";
import * as versioned from "../storage/versioned";
import { findConfig, parseConfigRef } from "./repository";
import { sealConfigSecrets } from "./secrets";
import { invalidateSavedConfig } from "./store";

/**
 * Saved-config writes. Each change is one D1 batch (a transaction): the config row, the version and the audit row
 * commit together or not at all. Inline credentials are sealed with the vault key first (secrets.ts): D1 never
 * holds them in clear, and without VAULT_KEY such a config is refused (503) before anything is written.
 * Afterwards this isolate's cache forgets the config so it sees the change at once; other isolates see it within
 * the cache TTL (store.ts).
 */

const RESOURCE = "config";

export const configNotFound = (idOrSlug: string) => versioned.versionedNotFound(RESOURCE, idOrSlug);

/** The config a path names, or 404; archived configs are read-only (409 for writes). */
export async function requireConfig(db: Db, idOrSlug: string, forWrite = false): Promise<ConfigRow> {
  const ref = parseConfigRef(idOrSlug);
  return versioned.requireVersioned(RESOURCE, idOrSlug, ref ? await findConfig(db, ref) : undefined, forWrite);
}

function forget(row: Pick<ConfigRow, "id" | "slug">): void {
  invalidateSavedConfig(row.id);
  invalidateSavedConfig(row.slug);
}

export async function createConfig(
  env: Env,
  db: Db,
  actor: string,
  input: { slug: string; name?: string; configJson: string },
): Promise<ConfigRow> {
  // Checked first for a clean 409; the partial unique index still catches a concurrent create of the same slug.
  if (await findConfig(db, { by: "slug", slug: input.slug })) throw versioned.slugTaken(RESOURCE, input.slug);
  const now = new Date();
  const row: ConfigRow = versioned.newVersionedHead(input.slug, input.name, now);
  const stored = await sealConfigSecrets(env, input.configJson, { configId: row.id, version: 1 });
  const version = db
    .insert(configVersions)
    .values({ configId: row.id, version: 1, config: stored, createdAt: now, createdBy: actor });
  await versioned.commitCreate(db, RESOURCE, actor, row, db.insert(configs).values(row), version);
  forget(row); // a cached "not found" for this slug must not outlive its creation
  return row;
}

/** A new version (n + 1). The (config_id, version) primary key turns a concurrent update into a 409, not a lost write. */
export async function addVersion(
  env: Env,
  db: Db,
  actor: string,
  current: ConfigRow,
  input: { configJson: string; name?: string },
): Promise<ConfigRow> {
  const now = new Date();
  const version = current.latestVersion + 1;
  const name = input.name ?? current.name;
  const stored = await sealConfigSecrets(env, input.configJson, { configId: current.id, version });
  await versioned.commitVersion(db, RESOURCE, actor, current, {
    version: db
      .insert(configVersions)
      .values({ configId: current.id, version, config: stored, createdAt: now, createdBy: actor }),
    head: db
      .update(configs)
      .set({ latestVersion: version, updatedAt: now, name })
      .where(and(eq(configs.id, current.id), eq(configs.latestVersion, current.latestVersion))),
    at: now,
    extra: { name_changed: name !== current.name },
  });
  forget(current);
  return { ...current, latestVersion: version, updatedAt: now, name };
}

/** Rename only (PATCH with just `name`): metadata, so no new version. */
export async function renameConfig(db: Db, actor: string, current: ConfigRow, name: string): Promise<ConfigRow> {
  const now = new Date();
  await db.batch([
    db.update(configs).set({ name, updatedAt: now }).where(eq(configs.id, current.id)),
    auditInsert(db, {
      actor,
      action: "rename",
      resourceType: RESOURCE,
      resourceId: current.id,
      at: now,
      details: { slug: current.slug },
    }),
  ]);
  return { ...current, name, updatedAt: now };
}

/** DELETE archives: history and audit stay, requests can no longer use it, the slug is free again. */
export async function archiveConfig(db: Db, actor: string, current: ConfigRow): Promise<ConfigRow> {
  const now = new Date();
  const archive = db.update(configs).set({ archived: true, updatedAt: now }).where(eq(configs.id, current.id));
  const archived = await versioned.commitArchive(db, RESOURCE, actor, current, archive, now);
  forget(current);
  return archived;
}
