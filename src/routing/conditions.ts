import type { ConditionQuery, StrategyConfig } from "../../schema/config";
import { compileSafeRegex, type SafeRegex } from "../../schema/query/regex/program";

/**
 * Conditional routing: evaluate `strategy.conditions[].query` against the request's metadata (x-portkey-metadata)
 * and params (the request body as the client sent it, before any override_params). Pure; the schema has already
 * checked the shape of every query, so anything unexpected here simply does not match.
 *
 * Semantics (MongoDB-like): a bare value means `$eq`; several fields or operators in one object must all hold;
 * a missing field equals null, so `$ne`/`$nin` hold for it and every other operator fails.
 */
export interface ConditionInput {
  metadata: Readonly<Record<string, string>>;
  params: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `metadata.plan` reads one metadata key (the rest of the name, dots included); `params.a.b.0` walks the body. */
export function fieldValue(field: string, input: ConditionInput): unknown {
  const dot = field.indexOf(".");
  const root = field.slice(0, dot);
  const rest = field.slice(dot + 1);
  if (root === "metadata") return Object.hasOwn(input.metadata, rest) ? input.metadata[rest] : undefined;
  let value: unknown = input.params;
  for (const segment of rest.split(".")) {
    if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)];
    else if (isRecord(value) && Object.hasOwn(value, segment)) value = value[segment];
    else return undefined;
  }
  return value;
}

/** Metadata values are always strings, so `{"$eq": 3}` also matches "3" (and true matches "true"). */
function equals(actual: unknown, expected: unknown): boolean {
  const value = actual === undefined ? null : actual;
  if (value === expected) return true;
  return (
    typeof value === "string" &&
    (typeof expected === "number" || typeof expected === "boolean") &&
    value === String(expected)
  );
}

/** Numbers compare as numbers (numeric strings included); strings compare as strings; anything else fails. */
function compare(actual: unknown, expected: unknown): number | null {
  if (typeof expected === "number") {
    const n =
      typeof actual === "number" ? actual : typeof actual === "string" && actual.trim() !== "" ? Number(actual) : NaN;
    return Number.isNaN(n) ? null : n - expected;
  }
  if (typeof expected === "string" && typeof actual === "string")
    return actual < expected ? -1 : actual > expected ? 1 : 0;
  return null;
}

const REGEX_CACHE_LIMIT = 256;
const regexCache = new Map<string, SafeRegex | null>();

/** Compiled once per isolate; the schema refused unsafe patterns already, so a failure here means "no match". */
function regexFor(pattern: string): SafeRegex | null {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    const compiled = compileSafeRegex(pattern);
    regex = compiled.ok ? compiled.regex : null;
    if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.clear();
    regexCache.set(pattern, regex);
  }
  return regex;
}

function holds(op: string, operand: unknown, actual: unknown): boolean {
  switch (op) {
    case "$eq":
      return equals(actual, operand);
    case "$ne":
      return !equals(actual, operand);
    case "$in":
      return Array.isArray(operand) && operand.some((item) => equals(actual, item));
    case "$nin":
      return Array.isArray(operand) && !operand.some((item) => equals(actual, item));
    case "$regex": {
      const regex = typeof operand === "string" ? regexFor(operand) : null;
      return regex !== null && typeof actual === "string" && regex.test(actual);
    }
    default: {
      const diff = compare(actual, operand);
      if (diff === null) return false;
      if (op === "$gt") return diff > 0;
      if (op === "$gte") return diff >= 0;
      if (op === "$lt") return diff < 0;
      if (op === "$lte") return diff <= 0;
      return false;
    }
  }
}

export function matchesQuery(query: ConditionQuery, input: ConditionInput): boolean {
  return Object.entries(query).every(([key, value]) => {
    if (key === "$and") return Array.isArray(value) && value.every((sub) => isRecord(sub) && matchesQuery(sub, input));
    if (key === "$or") return Array.isArray(value) && value.some((sub) => isRecord(sub) && matchesQuery(sub, input));
    const actual = fieldValue(key, input);
    if (!isRecord(value)) return equals(actual, value);
    return Object.entries(value).every(([op, operand]) => holds(op, operand, actual));
  });
}

/** The name of the target to use: the first matching condition's `then`, else `default`, else null. */
export function chooseConditionalTarget(strategy: StrategyConfig, input: ConditionInput): string | null {
  for (const condition of strategy.conditions ?? []) {
    if (matchesQuery(condition.query, input)) return condition.then;
  }
  return strategy.default ?? null;
}
