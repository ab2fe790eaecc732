import type { ResolvedTarget } from "../../../providers/types";

const encoder = new TextEncoder();

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The identity a circuit belongs to: provider + base URL + credential. The credential enters only as a truncated
 * SHA-256 (64 bits: enough to tell keys apart, useless for recovering one), because the key names a Durable Object
 * and may show up in logs and dashboards.
 */
export async function breakerKey(target: ResolvedTarget): Promise<string> {
  const azure = target.azure;
  const base = target.customHost ?? (azure ? `azure:${azure.resourceName ?? ""}/${azure.deploymentId ?? ""}` : "default");
  const credential = target.apiKey ? (await sha256Hex(target.apiKey)).slice(0, 16) : "none";
  return `${target.provider}|${base}|${credential}`;
}
