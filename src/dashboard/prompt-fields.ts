import type { StoredTemplate } from "../prompts/stored";
import { parseJsonField } from "./form-input";

/**
 * The prompt forms' fields <-> the admin API's JSON body of POST /admin/prompts and POST .../versions. JSON fields
 * are parsed as the API parses a body (a syntax error is a 400 naming the field); empty optional fields are left
 * out, as an API client would leave them out.
 */

export const VERSION_FIELDS = ["messages", "model", "params", "variables", "virtual_key", "config"] as const;
export const META_FIELDS = ["name", "description"] as const;

const filled = (form: Record<string, string>, name: string) => form[name]?.trim() || undefined;

/** `config` is a saved config's id or slug, or an inline config object: text starting with `{` is the latter. */
function configOf(text: string): unknown {
  return text.startsWith("{") ? parseJsonField(text, "config") : text;
}

export function promptBodyOf(form: Record<string, string>, withSlug: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { messages: parseJsonField(form.messages, "messages") };
  if (withSlug) body.slug = form.slug ?? "";
  for (const name of [...META_FIELDS, "model", "virtual_key"]) {
    const value = filled(form, name);
    if (value !== undefined) body[name] = value;
  }
  for (const name of ["params", "variables"]) {
    if (filled(form, name) !== undefined) body[name] = parseJsonField(form[name], name);
  }
  const config = filled(form, "config");
  if (config !== undefined) body.config = configOf(config);
  return body;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** A stored version as the new-version form shows it, so saving it unchanged makes an identical version. */
export function valuesOfTemplate(stored: StoredTemplate): Record<string, string> {
  const config = stored.config;
  return {
    messages: pretty(stored.messages),
    model: stored.model ?? "",
    params: stored.params === undefined ? "" : pretty(stored.params),
    variables: pretty(stored.variables),
    virtual_key: stored.virtual_key ?? "",
    config: config === undefined ? "" : typeof config === "string" ? config : pretty(config),
  };
}
