import { parseRoutingConfig } from "../../../schema/config";
import type { DefaultConfig } from "../../../schema/db/keys";
import type { Db } from "../../storage/db";
import { redactSecrets } from "../../configs/redact";
import { findConfig, parseConfigRef } from "../../configs/repository";
import { MAX_CONFIG_BYTES } from "../../configs/validate";
import { badRequest } from "../../errors";
import { checkConfigGuardrails } from "../../configs/guardrail-config-check";

const PARAM = "default_config";
const PROBE = "0123456789abcdef-probe";

/** Whether `key` is a credential field of a config: asks redactSecrets, so the list of such fields lives in one place. */
function isSecretField(key: string): boolean {
  const probed = redactSecrets({ [key]: PROBE }) as Record<string, unknown>;
  return probed[key] !== PROBE;
}

function findSecret(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [i, child] of value.entries()) {
      const found = findSecret(child, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (isSecretField(key)) return `${path}.${key}`;
    const found = findSecret(child, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/**
 * A gateway key's default config as the admin sent it: the id or slug of a live saved config (checked now, for a
 * clear 400 instead of failing requests later), or an inline config. Inline defaults may not carry provider keys:
 * gateway key rows hold no secrets; credentials belong in virtual keys.
 */
export async function checkDefaultConfig(db: Db, value: string | Record<string, unknown>): Promise<DefaultConfig> {
  if (typeof value === "string") {
    const ref = parseConfigRef(value);
    if (!ref || !(await findConfig(db, ref)))
      throw badRequest(`${PARAM}: no saved config with id or slug ${JSON.stringify(value)}`, PARAM, "config_not_found");
    return { ref: value };
  }
  const result = parseRoutingConfig(value, PARAM);
  if (!result.success) throw badRequest(result.message, PARAM, "invalid_config");
  checkConfigGuardrails(value, PARAM);
  const secret = findSecret(value, PARAM);
  if (secret)
    throw badRequest(
      `${secret}: a default config may not hold credentials; store the provider key as a virtual key and use virtual_key`,
      secret,
      "invalid_config",
    );
  if (new TextEncoder().encode(JSON.stringify(value)).byteLength > MAX_CONFIG_BYTES) {
    throw badRequest(
      `${PARAM}: larger than ${MAX_CONFIG_BYTES} bytes; save it as a config and reference it by slug`,
      PARAM,
      "config_too_large",
    );
  }
  return { inline: value };
}
