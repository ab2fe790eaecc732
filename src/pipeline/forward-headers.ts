import type { UpstreamCall } from "../../providers/types";
import { HEADER_NAME, MAX_FORWARD_HEADERS } from "../../schema/config";
import type { ProviderId } from "../../schema/provider-ids";
import { badRequest } from "../errors";
import { GATEWAY_KEY_PREFIX } from "../governance/keys/format";

/**
 * Which client request headers reach the provider. Two sources:
 *  - names the client or the config lists (x-portkey-forward-headers, `forward_headers`), for any provider;
 *  - the provider headers users rely on (anthropic-beta, openai-organization, ...), for their provider only.
 * Gateway credentials and headers the transport or the adapter owns are never forwarded, whoever lists them.
 */

const PARAM = "x-portkey-forward-headers";

/** Never forwarded, even when listed: what the gateway consumes, what is hop-by-hop, what we control. */
const NEVER_FORWARDED: ReadonlySet<string> = new Set([
  "cookie",
  "connection",
  "keep-alive",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "expect",
  "content-length",
  "content-type",
  "content-encoding",
  "accept-encoding",
]);
/** x-portkey-*: gateway instructions and keys; proxy-*: hop-by-hop credentials; cf-*: Cloudflare's (Access tokens). */
const NEVER_FORWARDED_PREFIXES = ["x-portkey-", "proxy-", "cf-"] as const;

/** Upstream name -> the client headers that set it, first present wins (Portkey's x-portkey-* spelling first). */
type ProviderHeaderTable = Readonly<Record<string, readonly string[]>>;
const PROVIDER_HEADERS: Partial<Record<ProviderId, ProviderHeaderTable>> = {
  anthropic: {
    "anthropic-beta": ["x-portkey-anthropic-beta", "anthropic-beta"],
    "anthropic-version": ["x-portkey-anthropic-version", "anthropic-version"],
  },
  openai: {
    "openai-organization": ["x-portkey-openai-organization", "openai-organization"],
    "openai-project": ["x-portkey-openai-project", "openai-project"],
  },
};

/** Adapter headers a forwarded value replaces (the client's API version) or extends (beta flags, comma-joined). */
const REPLACED_BY_CLIENT: ReadonlySet<string> = new Set(["anthropic-version", "openai-organization", "openai-project"]);
const JOINED_WITH_CLIENT: ReadonlySet<string> = new Set(["anthropic-beta"]);

function listItems(value: string): unknown[] {
  if (!value.trimStart().startsWith("[")) return value.split(",").map((name) => name.trim());
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed as unknown[];
  } catch {
    // reported below, like any other malformed list
  }
  throw badRequest(`${PARAM}: not a JSON array of header names`, PARAM, "invalid_parameter");
}

/**
 * x-portkey-forward-headers: comma-separated header names, or a JSON array of them (Portkey's docs show both).
 * Lower-cased; a name that is not a header name is a 400, a name that is never forwarded is simply skipped.
 */
export function parseForwardList(value: string | undefined): string[] {
  if (value === undefined || value.trim() === "") return [];
  const items = listItems(value);
  if (items.length > MAX_FORWARD_HEADERS) {
    throw badRequest(`${PARAM}: at most ${MAX_FORWARD_HEADERS} header names`, PARAM, "invalid_parameter");
  }
  return items.map((item) => {
    if (typeof item !== "string" || !HEADER_NAME.test(item)) {
      throw badRequest(`${PARAM}: ${JSON.stringify(item)} is not a header name`, PARAM, "invalid_parameter");
    }
    return item.toLowerCase();
  });
}

/** Lower-cased names the client's Connection header declares hop-by-hop (RFC 9110 7.6.1). */
function connectionOptions(client: Headers): Set<string> {
  const value = client.get("connection") ?? "";
  return new Set(value.split(",").map((name) => name.trim().toLowerCase()));
}

/** A gateway key never leaves the gateway, under whatever name it travels (Authorization included). */
const carriesGatewayKey = (value: string): boolean => value.includes(GATEWAY_KEY_PREFIX);

function forwardableName(name: string, hopByHop: ReadonlySet<string>): boolean {
  return (
    !NEVER_FORWARDED.has(name) &&
    !hopByHop.has(name) &&
    !NEVER_FORWARDED_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/**
 * The headers one target gets: the listed names (the header's and the config's) the client sent, plus its
 * provider's own headers. Undefined when there are none, so a target without forwarding carries nothing.
 */
export function forwardedHeaders(
  client: Headers,
  listed: readonly string[],
  provider: ProviderId,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const hopByHop = connectionOptions(client);
  for (const raw of listed) {
    const name = raw.toLowerCase();
    const value = client.get(name);
    if (value !== null && forwardableName(name, hopByHop) && !carriesGatewayKey(value)) out[name] = value;
  }
  for (const [name, sources] of Object.entries(PROVIDER_HEADERS[provider] ?? {})) {
    const value = sources.map((source) => client.get(source)).find((found) => found !== null);
    if (value != null && !carriesGatewayKey(value)) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The adapter's call with the forwarded headers merged in. The adapter's own headers win (its credential,
 * content-type): a client cannot swap the key a virtual key or config put there. The exceptions are the
 * client's API version and account headers, which replace the adapter's default, and anthropic-beta, whose
 * flags are added to any the adapter set.
 */
export function withForwardedHeaders(
  call: UpstreamCall,
  forwarded: Readonly<Record<string, string>> | undefined,
): UpstreamCall {
  if (!forwarded) return call;
  const headers = { ...call.headers };
  const own = new Map(Object.keys(headers).map((name) => [name.toLowerCase(), name]));
  for (const [name, value] of Object.entries(forwarded)) {
    const existing = own.get(name);
    if (existing === undefined) headers[name] = value;
    else if (REPLACED_BY_CLIENT.has(name)) headers[existing] = value;
    else if (JOINED_WITH_CLIENT.has(name)) headers[existing] = `${headers[existing]},${value}`;
  }
  return { ...call, headers };
}
