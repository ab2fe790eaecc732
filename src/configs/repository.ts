import { and, desc, eq, lt, or } from "drizzle-orm";
import { CONFIG_ID_PATTERN, SLUG_PATTERN } from "../../schema/admin";
import { configs, configVersions, type ConfigRow, type ConfigVersionRow } from "../../schema/db";
import type { Cursor } from "../storage/pagination";
import type { Db } from "../storage/db";

/** D1 reads of saved configs. Writes live in service.ts, where they are batched with their audit rows. */

export type ConfigRef = { by: "id"; id: string } | { by: "slug"; slug: string };

/** How `x-portkey-config` / the admin path names a config: a UUID is an id, anything slug-shaped a slug. */
export function parseConfigRef(idOrSlug: string): ConfigRef | null {
  if (CONFIG_ID_PATTERN.test(idOrSlug)) return { by: "id", id: idOrSlug };
  if (SLUG_PATTERN.test(idOrSlug)) return { by: "slug", slug: idOrSlug };
  return null;
}

/** By id: archived configs too (their history stays readable). By slug: live configs only (archiving frees it). */
function refCondition(ref: ConfigRef) {
  return ref.by === "id" ? eq(configs.id, ref.id) : and(eq(configs.slug, ref.slug), eq(configs.archived, false));
}

export async function findConfig(db: Db, ref: ConfigRef): Promise<ConfigRow | undefined> {
  return db.select().from(configs).where(refCondition(ref)).get();
}

export type LatestVersion = Pick<ConfigVersionRow, "configId" | "version" | "config">;

/**
 * The latest version of a live config: one indexed join, what the request path needs (the id and version too:
 * its sealed secrets are bound to them).
 */
export async function findLatestVersion(db: Db, ref: ConfigRef): Promise<LatestVersion | undefined> {
  return db
    .select({ configId: configVersions.configId, version: configVersions.version, config: configVersions.config })
    .from(configs)
    .innerJoin(
      configVersions,
      and(eq(configVersions.configId, configs.id), eq(configVersions.version, configs.latestVersion)),
    )
    .where(and(refCondition(ref), eq(configs.archived, false)))
    .get();
}

export async function findVersion(db: Db, configId: string, version: number): Promise<ConfigVersionRow | undefined> {
  return db
    .select()
    .from(configVersions)
    .where(and(eq(configVersions.configId, configId), eq(configVersions.version, version)))
    .get();
}

/** Newest first; fetches `limit + 1` rows so the caller can tell whether a next page exists. */
export async function listConfigRows(
  db: Db,
  options: { limit: number; after?: Cursor; includeArchived: boolean },
): Promise<ConfigRow[]> {
  const { after } = options;
  const afterCondition = after
    ? or(
        lt(configs.createdAt, new Date(after.key)),
        and(eq(configs.createdAt, new Date(after.key)), lt(configs.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(configs)
    .where(and(options.includeArchived ? undefined : eq(configs.archived, false), afterCondition))
    .orderBy(desc(configs.createdAt), desc(configs.id))
    .limit(options.limit + 1)
    .all();
}

export type VersionSummary = Omit<ConfigVersionRow, "config">;

/** Versions of one config, newest first, without their bodies (GET .../versions/:n has those). */
export async function listVersionRows(
  db: Db,
  configId: string,
  options: { limit: number; beforeVersion?: number },
): Promise<VersionSummary[]> {
  return db
    .select({
      configId: configVersions.configId,
      version: configVersions.version,
      createdAt: configVersions.createdAt,
      createdBy: configVersions.createdBy,
    })
    .from(configVersions)
    .where(
      and(
        eq(configVersions.configId, configId),
        options.beforeVersion === undefined ? undefined : lt(configVersions.version, options.beforeVersion),
      ),
    )
    .orderBy(desc(configVersions.version))
    .limit(options.limit + 1)
    .all();
}
