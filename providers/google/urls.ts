import { urlField } from "../shared/url-fields";
import type { ResolvedTarget } from "../types";

export const GOOGLE_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

export type GoogleMethod = "generateContent" | "streamGenerateContent" | "batchEmbedContents";

/** Accept both "gemini-2.5-flash" and the resource name "models/gemini-2.5-flash". */
export function googleModelId(model: string): string {
  return model.startsWith("models/") ? model.slice("models/".length) : model;
}

/**
 * `{base}/models/{model}:{method}`; streams add `?alt=sse` (without it Google streams one JSON array). The API key
 * goes in a header, never in the URL: URLs end up in logs.
 */
export function googleUrl(target: ResolvedTarget, model: string, method: GoogleMethod): string {
  const base = (target.customHost ?? GOOGLE_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/models/${urlField("modelInPath", googleModelId(model), "model")}:${method}`;
  return method === "streamGenerateContent" ? `${url}?alt=sse` : url;
}

export function googleHeaders(target: ResolvedTarget): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (target.apiKey) headers["x-goog-api-key"] = target.apiKey;
  return headers;
}
