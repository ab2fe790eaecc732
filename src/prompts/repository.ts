import { and, desc, eq, lt, or } from "drizzle-orm";
import { CONFIG_ID_PATTERN } from "../../schema/admin";
import {
  promptLabels,
  prompts,
  promptVersions,
  type PromptLabelRow,
  type PromptRow,
  type PromptVersionRow,
} from "../../schema/db";
import type { Db } from "../storage/db";
import type { Cursor } from "../storage/pagination";

/** D1 reads of the prompt registry. Writes live in service.ts, batched with their audit rows. */

/** By id: archived prompts too (their history stays readable). By slug: live prompts only (archiving frees it). */
function keyCondition(key: string) {
  return CONFIG_ID_PATTERN.test(key) ? eq(prompts.id, key) : and(eq(prompts.slug, key), eq(prompts.archived, false));
}

export async function findPrompt(db: Db, key: string): Promise<PromptRow | undefined> {
  return db.select().from(prompts).where(keyCondition(key)).get();
}

export async function findPromptVersion(
  db: Db,
  promptId: string,
  version: number,
): Promise<PromptVersionRow | undefined> {
  return db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, promptId), eq(promptVersions.version, version)))
    .get();
}

export async function listLabelRows(db: Db, promptId: string): Promise<PromptLabelRow[]> {
  return db.select().from(promptLabels).where(eq(promptLabels.promptId, promptId)).orderBy(promptLabels.label).all();
}

/** Newest first; `limit + 1` rows so the caller can tell whether a next page exists. */
export async function listPromptRows(
  db: Db,
  options: { limit: number; after?: Cursor; includeArchived: boolean },
): Promise<PromptRow[]> {
  const { after } = options;
  const afterCondition = after
    ? or(
        lt(prompts.createdAt, new Date(after.key)),
        and(eq(prompts.createdAt, new Date(after.key)), lt(prompts.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(prompts)
    .where(and(options.includeArchived ? undefined : eq(prompts.archived, false), afterCondition))
    .orderBy(desc(prompts.createdAt), desc(prompts.id))
    .limit(options.limit + 1)
    .all();
}

/** Versions of one prompt, newest first, bodies included (they are small: messages and a few params). */
export async function listPromptVersionRows(
  db: Db,
  promptId: string,
  options: { limit: number; beforeVersion?: number },
): Promise<PromptVersionRow[]> {
  return db
    .select()
    .from(promptVersions)
    .where(
      and(
        eq(promptVersions.promptId, promptId),
        options.beforeVersion === undefined ? undefined : lt(promptVersions.version, options.beforeVersion),
      ),
    )
    .orderBy(desc(promptVersions.version))
    .limit(options.limit + 1)
    .all();
}
