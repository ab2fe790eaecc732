/**
 * Canonical JSON and hashing for cache keys. Two requests that mean the same thing must hash the same whatever
 * the order of their JSON keys, so objects are written with sorted keys; arrays keep their order (message order
 * is meaning). `undefined` members are dropped, as JSON.stringify does.
 */

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? "null" : canonical(item))).join(",")}]`;
  const members: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonical(member)}`);
  }
  return `{${members.join(",")}}`;
}

export { canonical as canonicalJson };

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export const hashOf = (value: unknown): Promise<string> => sha256Hex(canonical(value));
