import { and, eq, ne } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { CreateVirtualKeyBody, PatchVirtualKeyBody, RotateVirtualKeyBody } from "../../../schema/admin-keys";
import { virtualKeys, type VirtualKeyRow } from "../../../schema/db";
import { isProviderId } from "../../../schema/provider-ids";
import { auditInsert, type AuditDetails } from "../../storage/audit";
import { isUniqueViolation, type Db } from "../../storage/db";
import { GatewayError } from "../../errors";
import { findVirtualKey, findVirtualKeyBySlug } from "../repository";
import { decryptCredential, invalidateVirtualKey } from "../store";
import { seal } from "../../vault/cipher";
import { optionNames, secretHint, type ProviderCredential } from "../../vault/credential";
import { vaultKeys } from "../../vault/keys";
import { auditInsertIf, holdsIv, updatedTo } from "../../storage/audit-if";
import { checkCredential, mergeCredential } from "./credential-input";

/**
 * Virtual key writes, each one D1 batch with its audit row (never a secret: the audit names the key, the vault key
 * id and which options are set). The credential is sealed before anything is written: if VAULT_KEY is missing the
 * admin gets a 503 and nothing is stored, never a plaintext fallback. Afterwards this isolate forgets the slug, so
 * a disable or rotate applies to its next request; other isolates within KEY_CACHE_TTL_MS (store.ts).
 */
const RESOURCE = "virtual_key";

export async function requireVirtualKey(db: Db, idOrSlug: string, forWrite = false): Promise<VirtualKeyRow> {
  const row = await findVirtualKey(db, idOrSlug);
  if (!row)
    throw new GatewayError(404, `virtual key ${JSON.stringify(idOrSlug)} not found`, { code: "virtual_key_not_found" });
  if (forWrite && row.status === "deleted") {
    throw new GatewayError(409, `virtual key ${JSON.stringify(idOrSlug)} is deleted and can no longer change`, {
      code: "virtual_key_deleted",
    });
  }
  return row;
}

async function commit(
  db: Db,
  row: VirtualKeyRow,
  write: BatchItem<"sqlite">,
  actor: string,
  action: string,
  details: AuditDetails,
) {
  await db.batch([
    write,
    auditInsert(db, { actor, action, resourceType: RESOURCE, resourceId: row.id, at: row.updatedAt, details }),
  ]);
  invalidateVirtualKey(row.slug);
}

/**
 * A change to an existing virtual key: applied only while it is not deleted (a racing enable cannot revive a key
 * whose secret was wiped), audited only if it applied, and 409 otherwise.
 */
async function commitChange(
  db: Db,
  row: VirtualKeyRow,
  set: Partial<VirtualKeyRow>,
  actor: string,
  action: string,
  details: AuditDetails,
) {
  const write = db
    .update(virtualKeys)
    .set({ ...set, updatedAt: row.updatedAt })
    .where(and(eq(virtualKeys.id, row.id), ne(virtualKeys.status, "deleted")))
    .returning({ id: virtualKeys.id });
  const event = { actor, action, resourceType: RESOURCE, resourceId: row.id, at: row.updatedAt, details };
  const [updated] = await db.batch([write, auditInsertIf(db, event, updatedTo("virtual_keys", row.id, row.updatedAt))]);
  invalidateVirtualKey(row.slug);
  if (updated.length === 0)
    throw new GatewayError(409, `virtual key ${JSON.stringify(row.slug)} was deleted`, { code: "virtual_key_deleted" });
}

/** The columns a sealed credential occupies. */
async function sealedColumns(env: Env, id: string, credential: ProviderCredential) {
  const { current } = await vaultKeys(env);
  const sealed = await seal(current, JSON.stringify(credential), id);
  return {
    secretCiphertext: sealed.ciphertext,
    secretIv: sealed.iv,
    vaultKeyId: sealed.keyId,
    secretHint: secretHint(credential.api_key),
    options: optionNames(credential),
  };
}

const slugTaken = (slug: string) =>
  new GatewayError(409, `slug: a virtual key with slug ${JSON.stringify(slug)} already exists`, {
    param: "slug",
    code: "virtual_key_slug_taken",
  });

export async function createVirtualKey(
  env: Env,
  db: Db,
  actor: string,
  body: CreateVirtualKeyBody,
): Promise<VirtualKeyRow> {
  const credential = checkCredential(body.provider, body, env);
  if (await findVirtualKeyBySlug(db, body.slug)) throw slugTaken(body.slug);
  const id = crypto.randomUUID();
  const now = new Date();
  const row: VirtualKeyRow = {
    id,
    slug: body.slug,
    name: body.name ?? body.slug,
    provider: body.provider,
    status: "active",
    ...(await sealedColumns(env, id, credential)),
    allowedModels: body.allowed_models ?? null,
    rpm: body.rpm ?? null,
    tpm: body.tpm ?? null,
    budgetUsd: body.budget_usd ?? null,
    budgetPeriod: body.budget_period ?? "none",
    createdAt: now,
    updatedAt: now,
    rotatedAt: null,
    createdBy: actor,
  };
  try {
    const details = {
      slug: row.slug,
      provider: row.provider,
      vault_key_id: row.vaultKeyId,
      options: row.options.join(","),
    };
    await commit(db, row, db.insert(virtualKeys).values(row), actor, "create", details);
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken(body.slug); // a concurrent create of the same slug
    throw error;
  }
  return row;
}

export async function updateVirtualKey(
  db: Db,
  actor: string,
  current: VirtualKeyRow,
  body: PatchVirtualKeyBody,
): Promise<VirtualKeyRow> {
  const changes: Partial<VirtualKeyRow> = { updatedAt: new Date() };
  if (body.name !== undefined) changes.name = body.name;
  if (body.allowed_models !== undefined) changes.allowedModels = body.allowed_models;
  if (body.rpm !== undefined) changes.rpm = body.rpm;
  if (body.tpm !== undefined) changes.tpm = body.tpm;
  if (body.budget_usd !== undefined) changes.budgetUsd = body.budget_usd;
  if (body.budget_period !== undefined) changes.budgetPeriod = body.budget_period;
  const row = { ...current, ...changes };
  await commitChange(db, row, changes, actor, "update", { slug: row.slug, fields: Object.keys(body).sort().join(",") });
  return row;
}

export async function setVirtualKeyStatus(
  db: Db,
  actor: string,
  current: VirtualKeyRow,
  status: "active" | "disabled",
  action: string,
) {
  const row: VirtualKeyRow = { ...current, status, updatedAt: new Date() };
  await commitChange(db, row, { status }, actor, action, { slug: row.slug, previous_status: current.status });
  return row;
}

/** Delete destroys the secret (ciphertext and IV are wiped) and frees the slug; the row stays for attribution. */
export async function deleteVirtualKey(db: Db, actor: string, current: VirtualKeyRow): Promise<VirtualKeyRow> {
  const row: VirtualKeyRow = {
    ...current,
    status: "deleted",
    secretCiphertext: null,
    secretIv: null,
    updatedAt: new Date(),
  };
  await commitChange(db, row, { status: "deleted", secretCiphertext: null, secretIv: null }, actor, "delete", {
    slug: row.slug,
  });
  return row;
}

const OPTION_FIELDS = ["custom_host", "azure_resource_name", "azure_deployment_id", "azure_api_version"] as const;

/**
 * The options a rotation keeps. When the body sets every option (null for none) nothing needs decrypting, which is
 * the way out for a key whose old ciphertext can no longer be opened (its vault key was lost).
 */
async function storedCredential(
  env: Env,
  current: VirtualKeyRow,
  body: RotateVirtualKeyBody,
): Promise<ProviderCredential> {
  if (OPTION_FIELDS.every((name) => body[name] !== undefined)) return { api_key: "" };
  try {
    return await decryptCredential(env, current);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const hint =
      "to replace it anyway, send every option explicitly (custom_host, azure_resource_name, azure_deployment_id, azure_api_version; null for none)";
    throw new GatewayError(error.status, `${error.message}; ${hint}`, { type: error.type, code: error.code });
  }
}

/**
 * A new provider key (and, optionally, new options: left-out ones are kept, null removes one). Sealed under the
 * current VAULT_KEY with a fresh IV. The update is conditional on the old IV, so a concurrent rotate or re-encrypt
 * cannot be silently overwritten (409).
 */
export async function rotateVirtualKey(
  env: Env,
  db: Db,
  actor: string,
  current: VirtualKeyRow,
  body: RotateVirtualKeyBody,
): Promise<VirtualKeyRow> {
  if (!isProviderId(current.provider))
    throw new Error(`virtual key ${current.id} has unknown provider ${current.provider}`);
  const stored = await storedCredential(env, current, body);
  const credential = checkCredential(current.provider, mergeCredential(stored, body), env);
  const now = new Date();
  const columns = await sealedColumns(env, current.id, credential);
  const row: VirtualKeyRow = { ...current, ...columns, rotatedAt: now, updatedAt: now };
  const write = db
    .update(virtualKeys)
    .set({ ...columns, rotatedAt: now, updatedAt: now })
    .where(
      and(
        eq(virtualKeys.id, current.id),
        current.secretIv === null ? undefined : eq(virtualKeys.secretIv, current.secretIv),
      ),
    )
    .returning({ id: virtualKeys.id });
  const details = { slug: row.slug, vault_key_id: row.vaultKeyId, options: row.options.join(",") };
  const audit = auditInsertIf(
    db,
    { actor, action: "rotate", resourceType: RESOURCE, resourceId: row.id, at: now, details },
    holdsIv(row.id, columns.secretIv),
  );
  const [updated] = await db.batch([write, audit]);
  invalidateVirtualKey(row.slug);
  if (updated.length === 0) {
    throw new GatewayError(
      409,
      `virtual key ${JSON.stringify(current.slug)} changed concurrently; fetch it and retry`,
      { code: "virtual_key_conflict" },
    );
  }
  return row;
}
