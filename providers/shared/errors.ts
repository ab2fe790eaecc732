import type { NormalisedUpstreamError } from "../types";

const MAX_MESSAGE = 500;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/**
 * Normalise the error bodies of OpenAI-style servers: `{error: {message, type, code, param}}`, `{error: "text"}`,
 * `{message}` / `{detail}` (FastAPI servers such as vLLM), or plain text.
 */
export function normaliseOpenAIStyleError(status: number, bodyText: string): NormalisedUpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return plainTextError(status, bodyText);
  }
  if (!isRecord(parsed)) return plainTextError(status, bodyText);
  const error = parsed.error;
  if (isRecord(error)) {
    return {
      message: str(error.message) ?? `upstream error ${status}`,
      type: str(error.type) ?? "upstream_error",
      code: str(error.code) ?? (typeof error.code === "number" ? String(error.code) : null),
      param: str(error.param),
    };
  }
  const message = str(error) ?? str(parsed.message) ?? detailText(parsed.detail) ?? `upstream error ${status}`;
  return { message, type: str(parsed.type) ?? "upstream_error", code: null, param: null };
}

function detailText(detail: unknown): string | null {
  if (typeof detail === "string") return detail;
  if (detail === undefined) return null;
  return JSON.stringify(detail).slice(0, MAX_MESSAGE);
}

export function plainTextError(status: number, bodyText: string): NormalisedUpstreamError {
  const text = bodyText.trim().slice(0, MAX_MESSAGE);
  return { message: text || `upstream error ${status}`, type: "upstream_error", code: null, param: null };
}
