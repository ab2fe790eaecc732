import { and, count, desc, eq, lt, ne, or } from "drizzle-orm";
import { CONFIG_ID_PATTERN } from "../../schema/admin";
import { gatewayKeys, virtualKeys, type GatewayKeyRow, type VirtualKeyRow } from "../../schema/db";
import type { Db } from "../storage/db";
import type { Cursor } from "../storage/pagination";

/** D1 reads of gateway keys and virtual keys. Writes live in the services, batched with their audit rows. */

export async function findGatewayKeyByHash(db: Db, hash: string): Promise<GatewayKeyRow | undefined> {
  return db.select().from(gatewayKeys).where(eq(gatewayKeys.keyHash, hash)).get();
}

export async function findGatewayKey(db: Db, id: string): Promise<GatewayKeyRow | undefined> {
  return db.select().from(gatewayKeys).where(eq(gatewayKeys.id, id)).get();
}

/** A live (not deleted) virtual key by slug: what requests and the admin API's slug paths name. */
export async function findVirtualKeyBySlug(db: Db, slug: string): Promise<VirtualKeyRow | undefined> {
  return db
    .select()
    .from(virtualKeys)
    .where(and(eq(virtualKeys.slug, slug), ne(virtualKeys.status, "deleted")))
    .get();
}

/** By id (deleted ones too, for the admin API) or by slug (live ones). */
export async function findVirtualKey(db: Db, idOrSlug: string): Promise<VirtualKeyRow | undefined> {
  if (CONFIG_ID_PATTERN.test(idOrSlug)) return db.select().from(virtualKeys).where(eq(virtualKeys.id, idOrSlug)).get();
  return findVirtualKeyBySlug(db, idOrSlug);
}

export interface ListOptions {
  limit: number;
  after?: Cursor;
  includeDeleted: boolean;
}

/** Newest first, `limit + 1` rows (toPage uses the extra one to tell whether there is a next page). */
export async function listGatewayKeyRows(db: Db, options: ListOptions): Promise<GatewayKeyRow[]> {
  const { after } = options;
  const afterCondition = after
    ? or(
        lt(gatewayKeys.createdAt, new Date(after.key)),
        and(eq(gatewayKeys.createdAt, new Date(after.key)), lt(gatewayKeys.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(gatewayKeys)
    .where(and(options.includeDeleted ? undefined : ne(gatewayKeys.status, "deleted"), afterCondition))
    .orderBy(desc(gatewayKeys.createdAt), desc(gatewayKeys.id))
    .limit(options.limit + 1)
    .all();
}

export async function listVirtualKeyRows(db: Db, options: ListOptions): Promise<VirtualKeyRow[]> {
  const { after } = options;
  const afterCondition = after
    ? or(
        lt(virtualKeys.createdAt, new Date(after.key)),
        and(eq(virtualKeys.createdAt, new Date(after.key)), lt(virtualKeys.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(virtualKeys)
    .where(and(options.includeDeleted ? undefined : ne(virtualKeys.status, "deleted"), afterCondition))
    .orderBy(desc(virtualKeys.createdAt), desc(virtualKeys.id))
    .limit(options.limit + 1)
    .all();
}

/** Live rows encrypted under any vault key but `currentKeyId` (the re-encrypt sweep after a VAULT_KEY rotation). */
export async function findRowsToReencrypt(db: Db, currentKeyId: string, limit: number): Promise<VirtualKeyRow[]> {
  return db
    .select()
    .from(virtualKeys)
    .where(and(ne(virtualKeys.vaultKeyId, currentKeyId), ne(virtualKeys.status, "deleted")))
    .orderBy(virtualKeys.id)
    .limit(limit)
    .all();
}

export async function countRowsToReencrypt(db: Db, currentKeyId: string): Promise<number> {
  const row = await db
    .select({ rows: count() })
    .from(virtualKeys)
    .where(and(ne(virtualKeys.vaultKeyId, currentKeyId), ne(virtualKeys.status, "deleted")))
    .get();
  return row?.rows ?? 0;
}
