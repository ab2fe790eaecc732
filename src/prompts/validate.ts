import { parseRoutingConfig } from "../../schema/config";
import type { PromptVersionFields } from "../../schema/prompts";
import { isSecretField } from "../configs/redact";
import { badRequest } from "../errors";
import { deriveVariables, messageTexts } from "./render";
import type { StoredTemplate } from "./stored";
import { parseTemplate } from "./template";

/** The first credential field at any depth of an inline config, as a path (`config.targets[0].api_key`). */
function secretPath(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [i, child] of value.entries()) {
      const found = secretPath(child, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (isSecretField(key)) return `${path}.${key}`;
    const found = secretPath(child, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

/** An inline config must be a valid routing config and hold no credential: prompts are readable with `read` scope. */
function checkInlineConfig(config: Record<string, unknown>): void {
  const secret = secretPath(config, "config");
  if (secret)
    throw badRequest(
      `${secret}: credentials are not allowed in a prompt's config; use a virtual key`,
      secret,
      "invalid_config",
    );
  const result = parseRoutingConfig(config, "config");
  if (!result.success) throw badRequest(result.message, "config", "invalid_config");
}

/** A version body as stored: templates parse, the config is sound, variables declared or derived. */
export function storedTemplateOf(fields: PromptVersionFields): StoredTemplate {
  messageTexts(fields.messages).forEach((text, i) => parseTemplate(text, `messages[${i}]`));
  if (typeof fields.config === "object") checkInlineConfig(fields.config);
  const stored: StoredTemplate = {
    messages: fields.messages,
    variables: fields.variables ?? deriveVariables(fields.messages),
  };
  if (fields.model !== undefined) stored.model = fields.model;
  if (fields.params !== undefined) stored.params = fields.params;
  if (fields.virtual_key !== undefined) stored.virtual_key = fields.virtual_key;
  if (fields.config !== undefined) stored.config = fields.config;
  return stored;
}
