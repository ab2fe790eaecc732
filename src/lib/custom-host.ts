import { GatewayError } from "../errors";
import { settingsOf } from "../settings";

/**
 * custom_host policy (SSRF). A caller-chosen base URL makes the Worker fetch wherever the caller says, so:
 * - only http(s) URLs without credentials, query or fragment, whose host is a well-formed name (at most 253
 *   characters, labels of 1 to 63) so that nonsense is a 400 rather than a DNS lookup and a 502;
 * - deployed (ALLOW_PRIVATE_CUSTOM_HOSTS != "true"): the host must match CUSTOM_HOST_ALLOWLIST (exact names or
 *   "*.suffix" patterns, comma-separated); IP literals in loopback, private, link-local (cloud metadata) and
 *   unique-local ranges are refused even if listed as a pattern, because a pattern cannot mean them;
 * - local development (`npm start` sets ALLOW_PRIVATE_CUSTOM_HOSTS=true): any host, loopback included, so vLLM,
 *   Ollama or LM Studio on the developer's machine work.
 * Pure (env is read by customHostPolicy only), so the request path and save-time checks (configs, virtual keys)
 * share it.
 */
export interface CustomHostPolicy {
  allowPrivate: boolean;
  allowlist: readonly string[];
}

/** ALLOW_PRIVATE_CUSTOM_HOSTS and CUSTOM_HOST_ALLOWLIST, as parsed once per env object (src/settings.ts). */
export function customHostPolicy(env: Env): CustomHostPolicy {
  return settingsOf(env).customHost;
}

const refuse = (reason: string) =>
  new GatewayError(400, `custom_host refused: ${reason}`, { param: "custom_host", code: "custom_host_not_allowed" });

function isPrivateIPv4(host: string): boolean {
  const parts = host.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const [a = 0, b = 0] = parts;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/**
 * `hostname` as the URL parser leaves it: IPv4 in any notation (0x7f.1, 2130706433, 127。0。0。1) is already dotted
 * decimal and IPv6 compressed. Every IPv6 address starting with "::" (loopback, unspecified, IPv4-mapped and the
 * deprecated IPv4-compatible form) and NAT64's 64:ff9b:: can reach an IPv4 address, so they count as private.
 */
function isPrivateHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (hostname.startsWith("[")) {
    const v6 = hostname.slice(1, -1);
    return v6.startsWith("::") || v6.startsWith("64:ff9b:") || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6);
  }
  return isPrivateIPv4(hostname);
}

const MAX_HOST_NAME = 253;
const MAX_LABEL = 63;

/** Why `hostname` cannot be a host name (RFC 1035 lengths), or null. IPv6 literals are the parser's business. */
function hostNameProblem(hostname: string): string | null {
  if (hostname.startsWith("[")) return null;
  if (hostname.length > MAX_HOST_NAME)
    return `the host name is ${hostname.length} characters long (at most ${MAX_HOST_NAME})`;
  if (hostname.split(".").some((label) => label.length === 0 || label.length > MAX_LABEL)) {
    return `each dot-separated label of a host name must be 1 to ${MAX_LABEL} characters`;
  }
  return null;
}

function matchesAllowlist(hostname: string, allowlist: readonly string[]): boolean {
  return allowlist.some((entry) =>
    entry.startsWith("*.")
      ? hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1
      : hostname === entry,
  );
}

function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(`${JSON.stringify(raw.slice(0, 200))} is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw refuse("only http and https URLs are allowed");
  if (url.username || url.password) throw refuse("credentials in the URL are not allowed");
  const problem = hostNameProblem(url.hostname);
  if (problem) throw refuse(problem);
  return url;
}

/** Check a custom host against the policy and return it normalised (no trailing slash). */
export function checkCustomHost(raw: string, policy: CustomHostPolicy): string {
  const url = parseHttpUrl(raw);
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

const refuseUrl = (reason: string) =>
  new GatewayError(400, `upstream URL refused: ${reason}`, { code: "upstream_url_not_allowed" });

/**
 * The last check before a fetch, on the URL an adapter built: whatever caller values went into it, it goes where
 * the policy allows. Under a custom host (already checked) it must stay under that base URL, after the parser has
 * resolved any dot segments; otherwise it is a provider's own endpoint (api.openai.com, <resource>.openai.azure.com),
 * which must be https to a well-formed, non-private host name.
 */
export function checkUpstreamUrl(raw: string, customHost: string | undefined, policy: CustomHostPolicy): void {
  let url: URL;
  try {
    url = parseHttpUrl(raw);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    throw refuseUrl(error.message.replace(/^custom_host refused: /, ""));
  }
  if (url.hash) throw refuseUrl("fragments are not allowed");
  if (customHost !== undefined) {
    const href = url.href;
    if (!href.startsWith(`${customHost}/`) && !href.startsWith(`${customHost}?`))
      throw refuseUrl("it leaves the custom host's base URL");
    return;
  }
  if (url.protocol !== "https:") throw refuseUrl("provider endpoints are https only");
  if (!policy.allowPrivate && isPrivateHost(url.hostname))
    throw refuseUrl(`${url.hostname} is a private or loopback address`);
}
