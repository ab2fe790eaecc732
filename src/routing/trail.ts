import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AttemptRecord } from "../context";
import { GatewayError } from "../errors";

/**
 * An error that ends routing at once: the config or the request is wrong (no condition matched, ...), so trying
 * other targets or summarising a trail would only hide the real message.
 */
export class RoutingStop extends GatewayError {}

/**
 * An error that ends one target but not routing: the gateway itself refused the target (a virtual key's rate
 * limit or budget), so retrying it cannot help and says nothing about the provider's health (no circuit breaker
 * report), while a fallback to another target still may serve the request.
 */
export class TargetRefused extends GatewayError {}

const MAX_MESSAGE_IN_SUMMARY = 160;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The last record of each target, in the order of those last records: a target passed over for an open circuit
 * and then tried as a last resort is listed where it was tried (a target's retries are consecutive anyway).
 */
function perTarget(trail: readonly AttemptRecord[]): AttemptRecord[] {
  const last = new Map<string, AttemptRecord>();
  for (const record of trail) {
    last.delete(record.target); // re-inserted at the end: Map keeps insertion order
    last.set(record.target, record);
  }
  return [...last.values()];
}

export function targetsTried(trail: readonly AttemptRecord[]): number {
  return new Set(trail.map((r) => r.target)).size;
}

function describe(record: AttemptRecord): string {
  const head = `${record.target} (${record.provider})`;
  if (record.skipped)
    return `${head} skipped: ${record.skipped === "circuit_open" ? "circuit open" : "deadline reached"}`;
  const tries = record.retry > 0 ? ` after ${record.retry + 1} attempts` : "";
  return `${head} ${record.status ?? "?"} ${JSON.stringify(clip(record.error ?? "", MAX_MESSAGE_IN_SUMMARY))}${tries}`;
}

/**
 * When several targets were tried and all failed: the last error's status, type and code, with a message that
 * walks the trail, e.g. `all 2 targets failed: config.targets[0] (anthropic) 500 "overloaded"; config.targets[1] ...`.
 */
export function summariseFailure(
  trail: readonly AttemptRecord[],
  last: GatewayError,
  headers: Record<string, string>,
): GatewayError {
  const targets = perTarget(trail);
  const message = `all ${targets.length} targets failed: ${targets.map(describe).join("; ")}`;
  return new GatewayError(last.status as ContentfulStatusCode, message, {
    type: last.type,
    code: last.code,
    headers: { ...last.extraHeaders, ...headers },
    cause: last,
  });
}

/** The same error with routing headers added (GatewayError's headers are fixed at construction). */
export function withHeaders(error: GatewayError, headers: Record<string, string>): GatewayError {
  return new GatewayError(error.status as ContentfulStatusCode, error.message, {
    type: error.type,
    code: error.code,
    param: error.param,
    headers: { ...error.extraHeaders, ...headers },
    cause: error,
  });
}
