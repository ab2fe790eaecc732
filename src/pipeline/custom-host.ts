import { GatewayError } from "../errors";

/**
 * custom_host policy (SSRF). A caller-chosen base URL makes the Worker fetch wherever the caller says, so:
 * - only http(s) URLs without credentials, query or fragment;
 * - deployed (ALLOW_PRIVATE_CUSTOM_HOSTS != "true"): the host must match CUSTOM_HOST_ALLOWLIST (exact names or
 *   "*.suffix" patterns, comma-separated); IP literals in loopback, private, link-local (cloud metadata) and
 *   unique-local ranges are refused even if listed as a pattern, because a pattern cannot mean them;
 * - local development (`npm start` sets ALLOW_PRIVATE_CUSTOM_HOSTS=true): any host, loopback included, so vLLM,
 *   Ollama or LM Studio on the developer's machine work.
 */
export interface CustomHostPolicy {
  allowPrivate: boolean;
  allowlist: readonly string[];
}

export function customHostPolicy(env: Env): CustomHostPolicy {
  return {
    allowPrivate: env.ALLOW_PRIVATE_CUSTOM_HOSTS === "true",
    allowlist: (env.CUSTOM_HOST_ALLOWLIST ?? "")
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  };
}

const refuse = (reason: string) =>
  new GatewayError(400, `custom_host refused: ${reason}`, { param: "custom_host", code: "custom_host_not_allowed" });

function isPrivateIPv4(host: string): boolean {
  const parts = host.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const [a = 0, b = 0] = parts;
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

function isPrivateHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (hostname.startsWith("[")) {
    const v6 = hostname.slice(1, -1);
    return v6 === "::1" || v6 === "::" || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith("::ffff:");
  }
  return isPrivateIPv4(hostname);
}

function matchesAllowlist(hostname: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) =>
    entry.startsWith("*.") ? hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1 : hostname === entry,
  );
}

/** Check a custom host against the policy and return it normalised (no trailing slash). */
export function checkCustomHost(raw: string, policy: CustomHostPolicy): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(`${JSON.stringify(raw)} is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse("only http and https URLs are allowed");
  if (url.username || url.password) throw refuse("credentials in the URL are not allowed");
  if (url.search || url.hash) throw refuse("query strings and fragments are not allowed");
  const hostname = url.hostname.toLowerCase();
  if (!policy.allowPrivate) {
    const exact = policy.allowlist.includes(hostname);
    if (isPrivateHost(hostname) && !exact) throw refuse(`${hostname} is a private or loopback address`);
    if (!exact && !matchesAllowlist(hostname, policy.allowlist)) {
      throw refuse(`${hostname} is not in CUSTOM_HOST_ALLOWLIST`);
    }
  }
  return url.href.replace(/\/+$/, "");
}
