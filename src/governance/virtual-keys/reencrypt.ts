import { and, eq } from "drizzle-orm";
import { virtualKeys } from "../../../schema/db";
import type { Db } from "../../storage/db";
import { countRowsToReencrypt, findRowsToReencrypt } from "../repository";
import { decryptCredential, invalidateVirtualKey } from "../store";
import { seal } from "../../vault/cipher";
import { vaultKeys } from "../../vault/keys";
import { auditInsertIf, holdsIv } from "../../storage/audit-if";

/** Rows per call: a D1 batch of 2 statements per row stays well within limits, and one call stays fast. */
export const REENCRYPT_BATCH = 50;

export interface ReencryptResult {
  vault_key_id: string;
  reencrypted: number;
  remaining: number;
}

/**
 * Step 3 of rotating VAULT_KEY (docs/governance.md): move up to REENCRYPT_BATCH live virtual keys encrypted under
 * any other key (VAULT_KEY_PREVIOUS) to the current VAULT_KEY, with fresh IVs; call again until `remaining` is 0.
 * Each row is guarded by its old IV, so a concurrent rotate wins and is not overwritten; one audit row per key
 * re-encrypted. Deleted keys hold no ciphertext, so nothing is left under the old key.
 */
export async function reencryptBatch(env: Env, db: Db, actor: string): Promise<ReencryptResult> {
  const { current } = await vaultKeys(env);
  const rows = await findRowsToReencrypt(db, current.id, REENCRYPT_BATCH);
  const statements = [];
  const now = new Date();
  for (const row of rows) {
    if (row.secretIv === null) continue;
    const credential = await decryptCredential(env, row);
    const sealed = await seal(current, JSON.stringify(credential), row.id);
    statements.push(
      db
        .update(virtualKeys)
        .set({ secretCiphertext: sealed.ciphertext, secretIv: sealed.iv, vaultKeyId: sealed.keyId, updatedAt: now })
        .where(and(eq(virtualKeys.id, row.id), eq(virtualKeys.secretIv, row.secretIv)))
        .returning({ id: virtualKeys.id }),
      auditInsertIf(
        db,
        {
          actor,
          action: "reencrypt",
          resourceType: "virtual_key",
          resourceId: row.id,
          at: now,
          details: { slug: row.slug, from_vault_key_id: row.vaultKeyId, vault_key_id: sealed.keyId },
        },
        holdsIv(row.id, sealed.iv),
      ),
    );
  }
  const [first, ...rest] = statements;
  const results = first ? await db.batch([first, ...rest]) : [];
  for (const row of rows) invalidateVirtualKey(row.slug);
  // Updates sit at even positions (each followed by its audit row); an empty result lost a race to a rotate.
  const reencrypted = results.filter((result, i) => i % 2 === 0 && Array.isArray(result) && result.length > 0).length;
  return { vault_key_id: current.id, reencrypted, remaining: await countRowsToReencrypt(db, current.id) };
}
