import type { GuardrailRow, GuardrailVersionRow } from "../../schema/db/guardrails";
import type { GuardrailVersionSummary } from "./guardrail-repository";
import { presentVersionedMeta, presentVersionStamp } from "./versioned-present";

/**
 * JSON shapes of /admin/guardrails. The values of any `headers` object (a webhook's Authorization) are masked:
 * the admin API never echoes a secret.
 */
export function maskHeaders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskHeaders);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === "headers" && typeof child === "object" && child !== null && !Array.isArray(child)
        ? Object.fromEntries(Object.keys(child).map((name) => [name, "********"]))
        : key === "headers" && typeof child === "string"
          ? "********"
          : maskHeaders(child),
    ]),
  );
}

export function presentGuardrailMeta(row: GuardrailRow) {
  return presentVersionedMeta("guardrail", row);
}

export function presentGuardrail(row: GuardrailRow, definition: string) {
  return { ...presentGuardrailMeta(row), guardrail: maskHeaders(JSON.parse(definition)) };
}

export function presentGuardrailVersionSummary(row: GuardrailVersionSummary) {
  return { object: "guardrail.version" as const, guardrail_id: row.guardrailId, ...presentVersionStamp(row) };
}

export function presentGuardrailVersion(row: GuardrailVersionRow) {
  return { ...presentGuardrailVersionSummary(row), guardrail: maskHeaders(JSON.parse(row.definition)) };
}
