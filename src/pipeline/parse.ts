import type { AppContext } from "../context";
import { withKeyMetadata } from "../governance/request";
import { readJson } from "../lib/body";
import { parseMetadata } from "../routing/metadata";

/** What the parse step knows about a /v1 request: its JSON body (read once) and its metadata. */
export interface ParsedRequest {
  json: unknown;
  /** x-portkey-metadata under the gateway key's own metadata; undefined when neither has any. */
  metadata: Record<string, string> | undefined;
}

/**
 * Start reading the body at once, so it streams in while the config loads. Its own error (413, bad JSON) is
 * thrown where it is awaited: a config error that comes first wins, as it always has.
 */
export function startReadingBody(c: AppContext): Promise<unknown> {
  const body = readJson(c);
  body.catch(() => {});
  return body;
}

/** Metadata (400 when malformed) and the body; both go on the outcome for the logger. */
export async function parseRequest(c: AppContext, body: Promise<unknown>): Promise<ParsedRequest> {
  const { outcome } = c.var;
  const metadata = withKeyMetadata(c, parseMetadata(c.req.header("x-portkey-metadata")));
  if (metadata) outcome.metadata = metadata;
  const json = await body;
  outcome.requestBody = json; // a reference for the request logger (token estimates, body logging), no copy
  const model = typeof json === "object" && json !== null && "model" in json ? json.model : undefined;
  if (typeof model === "string") outcome.route.requestedModel = model;
  return { json, metadata };
}
