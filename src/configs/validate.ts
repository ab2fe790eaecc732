import type { z } from "zod";
import { configIssuePath, parseRoutingConfig, type ConfigNode } from "../../schema/config";
import { GatewayError, badRequest } from "../errors";
import { checkCustomHost, customHostPolicy, type CustomHostPolicy } from "../lib/custom-host";
import { checkConfigGuardrails } from "./guardrail-config-check";
import { findMaskedSecret } from "./redact";

/** A saved config is read on the request path and cached in every isolate: keep it config-sized. */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** The `param` of the 400: the same path the message starts with (an unknown key is reported at its own path). */
function issueParam(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return "config";
  return configIssuePath(issue.code === "unrecognized_keys" ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path);
}

/**
 * Every custom_host in the tree, strategy nodes included (theirs is inherited), against the policy every request
 * applies: a host that each request would refuse is refused when the config is saved, naming where it is.
 */
function checkCustomHosts(node: ConfigNode, path: string, policy: CustomHostPolicy): void {
  if (node.custom_host !== undefined) {
    try {
      checkCustomHost(node.custom_host, policy);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      throw new GatewayError(400, `${path}.custom_host: ${error.message}`, {
        param: `${path}.custom_host`,
        code: error.code,
      });
    }
  }
  node.targets?.forEach((child, i) => checkCustomHosts(child, `${path}.targets[${i}]`, policy));
}

/**
 * Check a config body against the routing schema (the same one inline x-portkey-config goes through) and return
 * the JSON text to store. What is stored is what the admin sent, not the parsed output, so defaults the schema
 * fills in stay the engine's business and a GET returns the admin's own config.
 */
export function serializeValidConfig(config: Record<string, unknown>, env: Env): string {
  const result = parseRoutingConfig(config);
  if (!result.success) throw badRequest(result.message, issueParam(result.issues[0]), "invalid_config");
  checkCustomHosts(result.data, "config", customHostPolicy(env));
  checkConfigGuardrails(config, "config", env);
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
