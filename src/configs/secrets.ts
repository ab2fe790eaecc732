import { configIssuePath } from "../../schema/config";
import { GatewayError, badRequest } from "../errors";
import { open, seal } from "../vault/cipher";
import { vaultKeys, type VaultKey, type VaultKeys } from "../vault/keys";
import { isSecretField, maskSecret } from "./redact";
import { VAULT_FIELD, fromEnvelope, isSealedSecret, toEnvelope, type SealedSecret } from "./sealed";

/**
 * Inline credentials of saved configs are sealed with the vault key (VAULT_KEY, AES-256-GCM: the same key and
 * cipher as virtual keys) before the config reaches D1, and opened when the request path loads the config. The
 * fields are the ones the admin API masks (redact.ts), at any depth. Each ciphertext is bound (GCM additional data)
 * to its config id, version and JSON path: copied to another config, version or field it fails authentication.
 * Values written in plaintext by older versions are still read as they are; the re-encrypt sweep seals them.
 */

/** Which saved config version a secret belongs to. */
export interface ConfigVersionRef {
  configId: string;
  version: number;
}

export type JsonPath = (string | number)[];
type Visit = (value: unknown, path: JsonPath) => Promise<unknown>;

/** A copy of `value` with each secret field's value replaced by what `visit` returns for it. */
export async function mapSecretFields(value: unknown, visit: Visit, path: JsonPath = []): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((child, i) => mapSecretFields(child, visit, [...path, i])));
  if (typeof value !== "object" || value === null) return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([key, child]) => {
      const childPath = [...path, key];
      return [
        key,
        isSecretField(key) ? await visit(child, childPath) : await mapSecretFields(child, visit, childPath),
      ] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** GCM additional data. The prefix keeps it apart from virtual keys' (a bare row id): their ciphertexts do not fit here. */
const bindingOf = (ref: ConfigVersionRef, path: JsonPath) =>
  `config-secret:${JSON.stringify([ref.configId, ref.version, path])}`;

const describeSecret = (ref: ConfigVersionRef, path: JsonPath) =>
  `${configIssuePath(path)} of saved config ${ref.configId} (version ${ref.version})`;

export async function sealSecret(
  key: VaultKey,
  plaintext: string,
  ref: ConfigVersionRef,
  path: JsonPath,
): Promise<SealedSecret> {
  return toEnvelope(await seal(key, plaintext, bindingOf(ref, path)), maskSecret(plaintext));
}

/** The plaintext of an envelope; a 503 when it is malformed, tampered, moved, or its vault key is not configured. */
export async function openSecret(
  keys: VaultKeys,
  envelope: Record<string, unknown>,
  ref: ConfigVersionRef,
  path: JsonPath,
): Promise<string> {
  const what = describeSecret(ref, path);
  const sealed = fromEnvelope(envelope);
  if (!sealed) {
    throw new GatewayError(503, `${what} is not a readable vault envelope`, {
      type: "api_error",
      code: "vault_decrypt_failed",
    });
  }
  return open(keys, sealed, bindingOf(ref, path), what);
}

/** The config with every sealed secret opened (plaintext legacy values pass through). VAULT_KEY is only needed if one is sealed. */
export async function openConfigSecrets(env: Env, config: unknown, ref: ConfigVersionRef): Promise<unknown> {
  let keys: Promise<VaultKeys> | undefined;
  return mapSecretFields(config, async (value, path) =>
    isSealedSecret(value) ? openSecret(await (keys ??= vaultKeys(env)), value, ref, path) : value,
  );
}

/** The current vault key for a save; without VAULT_KEY a 503 that says what to do, naming the field. */
async function currentKeyForSave(env: Env, path: JsonPath): Promise<VaultKey> {
  try {
    return (await vaultKeys(env)).current;
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== "vault_unavailable") throw error;
    const param = configIssuePath(path);
    const message =
      `${param}: inline provider keys of saved configs are stored encrypted with the vault key, and VAULT_KEY is not set; ` +
      "set it (wrangler secret put VAULT_KEY), or store the key as a virtual key and reference it with virtual_key";
    throw new GatewayError(503, message, { type: "api_error", code: "vault_unavailable", param });
  }
}

/** Where `$vault` appears as a field name, or null: it is reserved for the envelopes the gateway writes. */
function findVaultField(value: unknown, path: JsonPath = []): JsonPath | null {
  if (Array.isArray(value)) {
    for (const [i, child] of value.entries()) {
      const found = findVaultField(child, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const found = key === VAULT_FIELD ? [...path, key] : findVaultField(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !isSealedSecret(value);

/**
 * The JSON text to store for a validated config: each string credential sealed for this config id and version.
 * An admin cannot submit an envelope (or any `$vault` field): ciphertexts are only ever made here.
 */
export async function sealConfigSecrets(env: Env, configJson: string, ref: ConfigVersionRef): Promise<string> {
  const config: unknown = JSON.parse(configJson);
  const reserved = findVaultField(config);
  if (reserved) {
    const param = configIssuePath(reserved.at(-1) === VAULT_FIELD ? reserved.slice(0, -1) : reserved);
    throw badRequest(
      `${param}: "${VAULT_FIELD}" is reserved for keys the gateway encrypted; send the provider key itself`,
      param,
      "invalid_config",
    );
  }
  let key: Promise<VaultKey> | undefined;
  let sealedAny = false;
  const sealed = await mapSecretFields(config, async (value, path) => {
    // A credential given as an object (a Vertex key file) is sealed as its JSON text, and opened as that text.
    const text = typeof value === "string" ? value : isJsonObject(value) ? JSON.stringify(value) : undefined;
    if (text === undefined) return value;
    sealedAny = true;
    return sealSecret(await (key ??= currentKeyForSave(env, path)), text, ref, path);
  });
  return sealedAny ? JSON.stringify(sealed) : configJson;
}
