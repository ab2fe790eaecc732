import type { VersionedHead } from "../storage/versioned";

/** The admin JSON fields every saved, versioned resource (config, guardrail) shares, in the order the API returns them. */

export function presentVersionedMeta<Object extends string>(object: Object, row: VersionedHead) {
  return {
    object,
    id: row.id,
    slug: row.slug,
    name: row.name,
    version: row.latestVersion,
    archived: row.archived,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** A version's stamp; the caller puts its `object` and owner id (config_id, guardrail_id) in front. */
export function presentVersionStamp(row: { version: number; createdAt: Date; createdBy: string }) {
  return { version: row.version, created_at: row.createdAt.toISOString(), created_by: row.createdBy };
}
