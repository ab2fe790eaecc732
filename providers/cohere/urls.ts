import type { ResolvedTarget } from "../types";

export const COHERE_BASE_URL = "https://api.cohere.com/v2";

/** `{base}/chat` or `{base}/embed`; a custom_host replaces the base (a private deployment or a proxy). */
export function cohereUrl(target: ResolvedTarget, path: "chat" | "embed"): string {
  return `${(target.customHost ?? COHERE_BASE_URL).replace(/\/+$/, "")}/${path}`;
}

export function cohereHeaders(target: ResolvedTarget): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return headers;
}
