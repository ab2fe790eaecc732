import type { z } from "zod";
import { configIssuePath, parseRoutingConfig } from "../../schema/config";
import { GatewayError, badRequest } from "../errors";
import { findMaskedSecret } from "./redact";

/** A saved config is read on the request path and cached in every isolate: keep it config-sized. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** The `param` of the 400: the same path the message starts with (an unknown key is reported at its own path). */
function issueParam(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return "config";
  return configIssuePath(issue.code === "unrecognized_keys" ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path);
}

/**
 * Check a config body against the routing schema (the same one inline x-portkey-config goes through) and return
 * the JSON text to store. What is stored is what the admin sent, not the parsed output, so defaults the schema
 * fills in stay the engine's business and a GET returns the admin's own config.
 */
export function serializeValidConfig(config: Record<string, unknown>): string {
  const result = parseRoutingConfig(config);
  if (!result.success) throw badRequest(result.message, issueParam(result.issues[0]), "invalid_config");
  const masked = findMaskedSecret(config);
  if (masked) {
    throw badRequest(
      `${masked}: this is the masked hint the admin API returns, not a key; send the real key or use a virtual_key`,
      masked,
      "invalid_config",
    );
  }
  const json = JSON.stringify(config);
  const bytes = new TextEncoder().encode(json).byteLength;
  if (bytes > MAX_CONFIG_BYTES) {
    throw new GatewayError(413, `config: ${bytes} bytes is over the limit of ${MAX_CONFIG_BYTES} for a saved config`, {
      param: "config",
      code: "config_too_large",
    });
  }
  return json;
}
