/**
 * What a JSON schema given to `default.jsonSchema` may contain, checked when the config is read. The validator
 * (@cfworker/json-schema) trusts its schema, so a typo such as `"type": "strnig"` would otherwise make every answer
 * fail at run time. `pattern` and `patternProperties` are refused: the validator runs them on the backtracking
 * RegExp engine over model output (a ReDoS risk); a regexMatch check runs patterns safely instead.
 */
const TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const SCHEMA_MAPS = ["properties", "$defs", "definitions", "dependentSchemas"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SINGLE_SCHEMAS = [
  "not",
  "if",
  "then",
  "else",
  "items",
  "additionalProperties",
  "contains",
  "propertyNames",
  "unevaluatedProperties",
  "unevaluatedItems",
];
const NUMBERS = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
];
const MAX_DEPTH = 32;

type Report = (path: string, message: string) => void;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function checkKeywords(schema: Record<string, unknown>, path: string, report: Report): void {
  for (const keyword of ["pattern", "patternProperties"]) {
    if (keyword in schema) report(`${path}.${keyword}`, "not supported (use a default.regexMatch check for patterns)");
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (!types.every((type) => typeof type === "string" && TYPES.has(type)))
    report(`${path}.type`, `expected one of ${[...TYPES].join(", ")}`);
  if (
    schema.required !== undefined &&
    !(Array.isArray(schema.required) && schema.required.every((key) => typeof key === "string"))
  ) {
    report(`${path}.required`, "expected an array of property names");
  }
  if (schema.enum !== undefined && !Array.isArray(schema.enum)) report(`${path}.enum`, "expected an array");
  for (const keyword of NUMBERS) {
    if (schema[keyword] !== undefined && typeof schema[keyword] !== "number")
      report(`${path}.${keyword}`, "expected a number");
  }
}

/** Report every problem of a schema (and its sub-schemas) with its path under `path`. */
export function checkJsonSchema(schema: unknown, path: string, report: Report, depth = 0): void {
  if (typeof schema === "boolean") return;
  if (!isObject(schema)) return report(path, "expected a JSON schema object");
  if (depth > MAX_DEPTH) return report(path, `nested deeper than ${MAX_DEPTH} levels`);
  checkKeywords(schema, path, report);
  for (const keyword of SINGLE_SCHEMAS) {
    if (schema[keyword] !== undefined) checkJsonSchema(schema[keyword], `${path}.${keyword}`, report, depth + 1);
  }
  for (const keyword of SCHEMA_LISTS) {
    const list = schema[keyword];
    if (list === undefined) continue;
    if (!Array.isArray(list)) report(`${path}.${keyword}`, "expected an array of schemas");
    else list.forEach((item, i) => checkJsonSchema(item, `${path}.${keyword}[${i}]`, report, depth + 1));
  }
  for (const keyword of SCHEMA_MAPS) {
    const map = schema[keyword];
    if (map === undefined) continue;
    if (!isObject(map)) report(`${path}.${keyword}`, "expected an object of schemas");
    else
      for (const [key, item] of Object.entries(map))
        checkJsonSchema(item, `${path}.${keyword}.${key}`, report, depth + 1);
  }
}
