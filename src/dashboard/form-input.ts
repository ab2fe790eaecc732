import { GatewayError, badRequest } from "../errors";
import type { DashboardContext } from "./context";

/** A posted form's string fields (files and repeated fields dropped: no dashboard form has them). */
export const formStrings = async (c: DashboardContext): Promise<Record<string, string>> =>
  Object.fromEntries(
    Object.entries(await c.req.parseBody()).filter((e): e is [string, string] => typeof e[1] === "string"),
  );

/** A JSON text field parsed as the admin API parses a body: a syntax error is a 400 naming the field. */
export function parseJsonField(text: string | undefined, field: string): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    throw badRequest(`${field}: not valid JSON (${reason})`, field, "invalid_json");
  }
}

/** Where a refused form's error goes: `field` is the form field, `path` the admin API's full `param`. */
export interface FieldError {
  field: string;
  path: string | null;
  message: string;
}

/** Statuses a form shows beside its fields instead of failing the page (validation, conflicts, size, no vault). */
const FORM_STATUSES = new Set([400, 409, 413, 503]);

/** The admin API's error for a form: its `param` (e.g. config.targets[0].provider) names the field it belongs to. */
export function fieldErrorOf(error: unknown): FieldError | null {
  if (!(error instanceof GatewayError) || !FORM_STATUSES.has(error.status)) return null;
  const path = error.param ?? null;
  const field = path?.split(/[.[]/)[0] || "_";
  return { field, path, message: error.message };
}

export type FormStatus = 400 | 409 | 413 | 503;

/** The page status of a refused form: the admin API's own status for that error. */
export const formStatus = (error: unknown): FormStatus =>
  error instanceof GatewayError && FORM_STATUSES.has(error.status) ? (error.status as FormStatus) : 400;
