import type { JsonObject } from "./wire-request";

/**
 * Turn an OpenAI tool's JSON Schema into the OpenAPI-3 subset Gemini accepts in `functionDeclarations[].parameters`.
 * Gemini answers 400 ("Unknown name ...") for any key outside its `Schema` message, so this keeps an allowlist:
 *
 * - kept: type, format (only date-time, enum, int32, int64, float, double), title, description, nullable, enum,
 *   items, properties, required, anyOf, minItems, maxItems, minProperties, maxProperties, minLength, maxLength,
 *   pattern, minimum, maximum, default, example, propertyOrdering;
 * - translated: `type: ["string", "null"]` -> `type: "string", nullable: true` (several non-null types -> anyOf),
 *   `null` in an enum -> `nullable: true`, `oneOf` -> `anyOf`, `const: "x"` -> `enum: ["x"]`, a one-element
 *   `allOf` is merged, and local `$ref`s into `$defs` / `definitions` are inlined (cut after a few levels);
 * - dropped: everything else, notably `$schema`, `$id`, `$defs`, `definitions`, `additionalProperties`, `strict`,
 *   `examples`, `exclusiveMinimum` / `exclusiveMaximum`, `multipleOf`, `uniqueItems`, `not`, `if` / `then` / `else`,
 *   `patternProperties`, a several-element `allOf`, and formats Gemini rejects (email, uri, uuid, ...).
 */

const COPIED_KEYS = [
  "title",
  "description",
  "nullable",
  "enum",
  "required",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "default",
  "example",
  "propertyOrdering",
] as const;

const GEMINI_FORMATS = new Set(["date-time", "enum", "int32", "int64", "float", "double"]);
const MAX_REF_DEPTH = 8;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Scope {
  defs: JsonObject;
  depth: number;
}

function resolveRef(ref: string, scope: Scope): JsonObject | null {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const name = match?.[2];
  if (!name) return null;
  const target = scope.defs[decodeURIComponent(name).replace(/~1/g, "/").replace(/~0/g, "~")];
  return isObject(target) ? target : null;
}

function applyType(type: unknown, out: JsonObject): void {
  if (typeof type === "string") {
    if (type === "null") out.nullable = true;
    else out.type = type;
    return;
  }
  if (!Array.isArray(type)) return;
  const types = type.filter((t): t is string => typeof t === "string" && t !== "null");
  if (types.length !== type.length) out.nullable = true;
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.anyOf = types.map((t) => ({ type: t }));
}

function clean(node: unknown, scope: Scope): JsonObject {
  if (!isObject(node)) return {};
  if (typeof node.$ref === "string") {
    const target = scope.depth < MAX_REF_DEPTH ? resolveRef(node.$ref, scope) : null;
    const { $ref: _ref, ...siblings } = node;
    const base = target ? clean(target, { ...scope, depth: scope.depth + 1 }) : {};
    return { ...base, ...clean(siblings, scope) };
  }
  const out: JsonObject = {};
  applyType(node.type, out);
  for (const key of COPIED_KEYS) if (node[key] !== undefined) out[key] = node[key];
  if (Array.isArray(node.enum) && node.enum.includes(null)) {
    out.enum = node.enum.filter((value) => value !== null);
    out.nullable = true;
  }
  if (typeof node.format === "string" && GEMINI_FORMATS.has(node.format)) out.format = node.format;
  if (typeof node.const === "string" && out.enum === undefined) out.enum = [node.const];
  if (isObject(node.properties)) {
    const properties: JsonObject = {};
    for (const [name, value] of Object.entries(node.properties)) properties[name] = clean(value, scope);
    out.properties = properties;
  }
  if (isObject(node.items)) out.items = clean(node.items, scope);
  const variants = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : null;
  if (variants) out.anyOf = variants.map((variant) => clean(variant, scope));
  if (Array.isArray(node.allOf) && node.allOf.length === 1) Object.assign(out, clean(node.allOf[0], scope));
  return out;
}

export function toGeminiSchema(schema: JsonObject): JsonObject {
  const defs = {
    ...(isObject(schema.definitions) ? schema.definitions : {}),
    ...(isObject(schema.$defs) ? schema.$defs : {}),
  };
  return clean(schema, { defs, depth: 0 });
}
