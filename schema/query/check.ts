import { compileSafeRegex } from "./regex/program";

/**
 * The grammar of conditional-routing queries, checked at config time (the zod schema calls this), so that the
 * evaluator (conditions.ts) only ever sees well-formed queries and vetted `$regex` patterns.
 */
export const MAX_QUERY_DEPTH = 8;

const COMPARISON_OPERATORS = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$regex"]);
const FIELD = /^(metadata|params)\.[^.]+(\.[^.]+)*$/;

export type Path = (string | number)[];
export type Report = (path: Path, message: string) => void;
const isScalar = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function checkOperand(op: string, operand: unknown, path: Path, report: Report): void {
  if (op === "$eq" || op === "$ne") {
    if (!isScalar(operand)) report(path, "expected a string, number, boolean or null");
  } else if (op === "$in" || op === "$nin") {
    if (!Array.isArray(operand) || !operand.every(isScalar))
      report(path, "expected an array of strings, numbers, booleans or null");
  } else if (op === "$regex") {
    if (typeof operand !== "string") return report(path, "expected a string (a regular expression)");
    const compiled = compileSafeRegex(operand);
    if (!compiled.ok) report(path, `unsafe or unsupported pattern: ${compiled.reason}`);
  } else if (typeof operand !== "number" && typeof operand !== "string") {
    report(path, "expected a number or a string");
  }
}

/** A query: `{ "metadata.plan": { "$eq": "paid" }, "$or": [ ... ] }`; a bare value means `$eq`. */
export function checkQuery(query: Record<string, unknown>, path: Path, report: Report, depth: number): void {
  if (depth > MAX_QUERY_DEPTH) return report(path, `nested deeper than ${MAX_QUERY_DEPTH} levels of $and/$or`);
  const entries = Object.entries(query);
  if (entries.length === 0) report(path, "expected at least one field (metadata.* or params.*) or $and/$or");
  for (const [key, value] of entries) {
    const at = [...path, key];
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value) || value.length === 0) {
        report(at, "expected a non-empty array of queries");
        continue;
      }
      value.forEach((sub, i) =>
        isPlainObject(sub)
          ? checkQuery(sub, [...at, i], report, depth + 1)
          : report([...at, i], "expected a query object"),
      );
    } else if (key.startsWith("$")) {
      report(at, `unknown operator (only $and and $or combine queries; fields start with metadata. or params.)`);
    } else if (!FIELD.test(key)) {
      report(at, "unknown field: conditions read metadata.<key> or params.<path>");
    } else if (isPlainObject(value)) {
      const ops = Object.entries(value);
      if (ops.length === 0)
        report(at, "expected at least one operator ($eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $regex)");
      for (const [op, operand] of ops) {
        if (COMPARISON_OPERATORS.has(op)) checkOperand(op, operand, [...at, op], report);
        else report([...at, op], "unknown operator; expected one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $regex");
      }
    } else if (!isScalar(value)) {
      report(at, "expected a value or an operator object (use $in for a list)");
    }
  }
}
