import { html } from "hono/html";
import type { GatewayKeyRow } from "../../schema/db/keys";
import { presentGatewayKey } from "../governance/keys/present";
import { parseJsonField } from "./form-input";
import { jsonField, textField, type FormState } from "./pages/form-fields";

/**
 * A gateway key's other PATCH fields on its edit page: name, user, team, metadata, default config and guardrails,
 * expiry, log bodies. Values are read through the admin API's presenter (what GET /admin/keys/{id} shows).
 */

export const PROFILE_FIELDS = [
  "name",
  "user",
  "team",
  "metadata",
  "default_config",
  "default_guardrails",
  "expires_at",
  "log_bodies",
] as const;

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export function profileValuesOf(row: GatewayKeyRow): Record<string, string> {
  const key = presentGatewayKey(row);
  const config = key.default_config;
  return {
    name: key.name,
    user: key.user ?? "",
    team: key.team ?? "",
    metadata: Object.keys(key.metadata).length ? pretty(key.metadata) : "",
    default_config: config === null ? "" : typeof config === "string" ? config : pretty(config),
    default_guardrails: key.default_guardrails === null ? "" : pretty(key.default_guardrails),
    expires_at: key.expires_at ?? "",
    log_bodies: key.log_bodies === null ? "" : String(key.log_bodies),
  };
}

const LOG_BODIES: Record<string, boolean | null> = { "": null, true: true, false: false };

/** Each field's form text -> its PATCH value; an empty field clears (null, or {} for metadata). */
const PATCH_VALUE: Record<(typeof PROFILE_FIELDS)[number], (text: string) => unknown> = {
  name: (text) => text,
  user: (text) => text || null,
  team: (text) => text || null,
  metadata: (text) => (text ? parseJsonField(text, "metadata") : {}),
  default_config: (text) => (!text ? null : text.startsWith("{") ? parseJsonField(text, "default_config") : text),
  default_guardrails: (text) => (text ? parseJsonField(text, "default_guardrails") : null),
  expires_at: (text) => text || null,
  log_bodies: (text) => (text in LOG_BODIES ? LOG_BODIES[text] : text),
};

/**
 * The form's strings -> PATCH fields. A field the post does not carry is left out (a browser posts every field of
 * the form). The default config and the expiry go only when they changed: both are checked on save (a live saved
 * config, a future date), and an unrelated edit of an expired key, or of one whose config was archived since, must
 * not be refused for them.
 */
export function profileBodyOf(form: Record<string, string>, current: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of PROFILE_FIELDS) {
    const text = form[name]?.trim();
    if (text === undefined) continue;
    if ((name === "default_config" || name === "expires_at") && text === current[name]?.trim()) continue;
    body[name] = PATCH_VALUE[name](text);
  }
  return body;
}

export function profileFields(state: FormState) {
  const logBodies = state.values.log_bodies ?? "";
  const option = (value: string, label: string) =>
    html`<option value="${value}" ${logBodies === value ? "selected" : ""}>${label}</option>`;
  return html`${textField("e", state, "name", "Name")} ${textField("e", state, "user", "User (optional)", "none")}
    ${textField("e", state, "team", "Team (optional)", "none")}
    ${jsonField("e", state, "metadata", 'Metadata JSON (default x-portkey-metadata), e.g. {"env": "prod"}', 3)}
    ${textField("e", state, "default_config", "Default config: a saved config's slug, or inline JSON", "none")}
    ${jsonField("e", state, "default_guardrails", 'Default guardrails JSON, e.g. {"input": ["no-ssn"]}', 3)}
    ${textField("e", state, "expires_at", "Expires at (ISO 8601, UTC)", "never, e.g. 2026-12-31T23:59:59Z")}
    <label for="e-log_bodies"
      >Log request and response bodies<select id="e-log_bodies" name="log_bodies">
        ${option("", "follow LOG_BODIES")} ${option("true", "yes")} ${option("false", "no")}
      </select></label
    >`;
}
