import { and, eq } from "drizzle-orm";
import { configs, configVersions, type ConfigRow } from "../../schema/db";
import { auditInsert } from "../storage/audit";
import { isUniqueViolation, type Db } from "../storage/db";
import { GatewayError } from "../errors";
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

export const configNotFound = (idOrSlug: string) =>
  new GatewayError(404, `config ${JSON.stringify(idOrSlug)} not found`, { code: "config_not_found" });

/** The config a path names, or 404; archived configs are read-only (409 for writes). */
export async function requireConfig(db: Db, idOrSlug: string, forWrite = false): Promise<ConfigRow> {
  const ref = parseConfigRef(idOrSlug);
  const row = ref ? await findConfig(db, ref) : undefined;
  if (!row) throw configNotFound(idOrSlug);
  if (forWrite && row.archived) {
    throw new GatewayError(409, `config ${JSON.stringify(idOrSlug)} is archived and can no longer change`, {
      code: "config_archived",
    });
  }
  return row;
}

function forget(row: Pick<ConfigRow, "id" | "slug">): void {
  invalidateSavedConfig(row.id);
  invalidateSavedConfig(row.slug);
}

const slugTaken = (slug: string) =>
  new GatewayError(409, `slug: a config with slug ${JSON.stringify(slug)} already exists`, {
    param: "slug",
    code: "config_slug_taken",
  });

export async function createConfig(
  env: Env,
  db: Db,
  actor: string,
  input: { slug: string; name?: string; configJson: string },
): Promise<ConfigRow> {
  // Checked first for a clean 409; the partial unique index still catches a concurrent create of the same slug.
  if (await findConfig(db, { by: "slug", slug: input.slug })) throw slugTaken(input.slug);
  const now = new Date();
  const row: ConfigRow = {
    id: crypto.randomUUID(),
    slug: input.slug,
    name: input.name ?? input.slug,
    createdAt: now,
    updatedAt: now,
    latestVersion: 1,
    archived: false,
  };
  const stored = await sealConfigSecrets(env, input.configJson, { configId: row.id, version: 1 });
  try {
    await db.batch([
      db.insert(configs).values(row),
      db
        .insert(configVersions)
        .values({ configId: row.id, version: 1, config: stored, createdAt: now, createdBy: actor }),
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
    if (isUniqueViolation(error)) throw slugTaken(input.slug);
    throw error;
  }
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
  try {
    await db.batch([
      db
        .insert(configVersions)
        .values({ configId: current.id, version, config: stored, createdAt: now, createdBy: actor }),
      db
        .update(configs)
        .set({ latestVersion: version, updatedAt: now, name })
        .where(and(eq(configs.id, current.id), eq(configs.latestVersion, current.latestVersion))),
      auditInsert(db, {
        actor,
        action: "update",
        resourceType: RESOURCE,
        resourceId: current.id,
        at: now,
        details: {
          slug: current.slug,
          version,
          previous_version: current.latestVersion,
          name_changed: name !== current.name,
        },
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new GatewayError(
        409,
        `config ${JSON.stringify(current.slug)} was updated concurrently; fetch it and retry`,
        {
          code: "config_conflict",
        },
      );
    }
    throw error;
  }
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
  await db.batch([
    db.update(configs).set({ archived: true, updatedAt: now }).where(eq(configs.id, current.id)),
    auditInsert(db, {
      actor,
      action: "archive",
      resourceType: RESOURCE,
      resourceId: current.id,
      at: now,
      details: { slug: current.slug, version: current.latestVersion },
    }),
  ]);
  forget(current);
  return { ...current, archived: true, updatedAt: now };
}
