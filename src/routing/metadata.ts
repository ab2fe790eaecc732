import { badRequest } from "../errors";

const PARAM = "x-portkey-metadata";
const MAX_KEYS = 64;

/** x-portkey-metadata: a JSON object of string values (docs/contract.md). Anything else is the caller's mistake: 400. */
export function parseMetadata(header: string | undefined): Record<string, string> | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(header);
  } catch {
    throw badRequest(`${PARAM} is not valid JSON`, PARAM, "invalid_metadata");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw badRequest(`${PARAM} must be a JSON object of string values`, PARAM, "invalid_metadata");
  }
  const entries = Object.entries(json);
  if (entries.length > MAX_KEYS) throw badRequest(`${PARAM} has more than ${MAX_KEYS} keys`, PARAM, "invalid_metadata");
  const metadata: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (typeof value !== "string") {
      throw badRequest(
        `${PARAM}.${key}: expected a string, got ${value === null ? "null" : typeof value}`,
        PARAM,
        "invalid_metadata",
      );
    }
    metadata[key] = value;
  }
  return metadata;
}
