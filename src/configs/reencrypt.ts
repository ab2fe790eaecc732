import { and, asc, count, eq, sql, type SQL } from "drizzle-orm";
import { configVersions } from "../../schema/db";
import type { Db } from "../storage/db";
import { auditInsertIf } from "../storage/audit-if";
import { vaultKeys, type VaultKeys } from "../vault/keys";
import { SECRET_FIELD_NAMES } from "./redact";
import { VAULT_FIELD, fromEnvelope, isSealedSecret } from "./sealed";
import { mapSecretFields, openSecret, sealSecret, type ConfigVersionRef } from "./secrets";

/** Version rows per call; each is up to ~64 KB of JSON, and one call stays fast. */
export const CONFIG_REENCRYPT_BATCH = 50;

export interface ConfigReencryptResult {
  reencrypted: number;
  remaining: number;
}

/** Marks the audit row of a value that was stored in plaintext (written before configs were sealed). */
const PLAINTEXT = "plaintext";

/**
 * Rows that may hold a credential not sealed under `currentKeyId`: a secret field with a string value (plaintext,
 * from an older version) or an envelope of another vault key. `instr` is exact and case-sensitive; stored configs
 * are compact JSON.stringify output, and `$vault` fields are refused at save, so a match is always work to do.
 */
function needsReencrypt(currentKeyId: string): SQL {
  const plaintext = SECRET_FIELD_NAMES.map((name) => sql`instr(${configVersions.config}, ${`"${name}":"`}) > 0`);
  const envelope = `"${VAULT_FIELD}":"v1:`;
  const otherKey = sql`(instr(${configVersions.config}, ${envelope}) > 0 AND instr(${configVersions.config}, ${`${envelope}${currentKeyId}:`}) = 0)`;
  return sql`(${sql.join([...plaintext, otherKey], sql` OR `)})`;
}

/** Every secret of one version sealed under the current key (fresh IVs); the key ids it moved from, none if unchanged. */
async function resealVersion(
  keys: VaultKeys,
  configJson: string,
  ref: ConfigVersionRef,
): Promise<{ json: string; from: string[] }> {
  const from = new Set<string>();
  const config = await mapSecretFields(JSON.parse(configJson), async (value, path) => {
    if (isSealedSecret(value)) {
      const keyId = fromEnvelope(value)?.keyId;
      if (keyId === keys.current.id) return value;
      from.add(keyId ?? "unreadable");
      return sealSecret(keys.current, await openSecret(keys, value, ref, path), ref, path);
    }
    if (typeof value !== "string") return value;
    from.add(PLAINTEXT);
    return sealSecret(keys.current, value, ref, path);
  });
  return { json: JSON.stringify(config), from: [...from].sort() };
}

/**
 * Saved configs' part of rotating VAULT_KEY (and of sealing plaintext rows written by older versions): up to
 * CONFIG_REENCRYPT_BATCH config versions, every version and archived configs too, so nothing stays under the
 * retired key or in clear. Each update is guarded by the old text (a concurrent sweep is not overwritten) and
 * audited only if it applied. A credential that does not open (tampered, or its vault key is gone) fails the call
 * with a 503 naming the config, version and field: fail closed rather than skip it. The plaintext a cached config
 * holds does not change, so no cache needs to forget anything.
 */
export async function reencryptConfigSecrets(env: Env, db: Db, actor: string): Promise<ConfigReencryptResult> {
  const keys = await vaultKeys(env);
  const pending = needsReencrypt(keys.current.id);
  const rows = await db
    .select({ configId: configVersions.configId, version: configVersions.version, config: configVersions.config })
    .from(configVersions)
    .where(pending)
    .orderBy(asc(configVersions.configId), asc(configVersions.version))
    .limit(CONFIG_REENCRYPT_BATCH)
    .all();
  const now = new Date();
  const statements = [];
  for (const row of rows) {
    const { json, from } = await resealVersion(keys, row.config, row);
    const where = and(
      eq(configVersions.configId, row.configId),
      eq(configVersions.version, row.version),
      eq(configVersions.config, row.config),
    );
    const details = { version: row.version, from_vault_key_id: from.join(","), vault_key_id: keys.current.id };
    const applied = sql`EXISTS (SELECT 1 FROM config_versions WHERE config_id = ${row.configId} AND version = ${row.version} AND config = ${json})`;
    statements.push(
      db.update(configVersions).set({ config: json }).where(where).returning({ version: configVersions.version }),
      auditInsertIf(
        db,
        { actor, action: "reencrypt", resourceType: "config", resourceId: row.configId, at: now, details },
        applied,
      ),
    );
  }
  const [first, ...rest] = statements;
  const results = first ? await db.batch([first, ...rest]) : [];
  // Updates sit at even positions (each followed by its audit row); an empty result lost a race to another sweep.
  const reencrypted = results.filter((result, i) => i % 2 === 0 && Array.isArray(result) && result.length > 0).length;
  const left = await db.select({ n: count() }).from(configVersions).where(pending).get();
  return { reencrypted, remaining: left?.n ?? 0 };
}
