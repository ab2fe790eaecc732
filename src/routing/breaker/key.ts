import type { ResolvedTarget } from "../../../providers/types";

const encoder = new TextEncoder();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The identity a circuit belongs to: provider + base URL + credential + model. The model is part of it because
 * providers fail per model (an overloaded or retired model, a per-model quota): one model's failures must not
 * steer traffic away from the other models on the same key. It is the model the target is sent (the body's, after
 * override_params); anything but a string (no model) keys as "-". The credential enters only as a truncated
 * SHA-256 (64 bits: enough to tell keys apart, useless for recovering one), because the key names a Durable Object
 * and may show up in logs and dashboards.
 */
export async function breakerKey(target: ResolvedTarget, model: unknown): Promise<string> {
  const azure = target.azure;
  const base =
    target.customHost ?? (azure ? `azure:${azure.resourceName ?? ""}/${azure.deploymentId ?? ""}` : "default");
  const credential = target.apiKey ? (await sha256Hex(target.apiKey)).slice(0, 16) : "none";
  // Encoded, so that a "|" in a model id cannot make two different targets share a key.
  const modelPart = typeof model === "string" && model !== "" ? encodeURIComponent(model) : "-";
  return `${target.provider}|${base}|${credential}|${modelPart}`;
}
