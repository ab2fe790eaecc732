import { urlFieldProblem, type UrlFieldKind } from "../../schema/url-fields";
import { UnsupportedParameterError } from "../types";

/**
 * The URL builders' own check of every caller value they put in a URL (schema/url-fields.ts has the patterns).
 * Values from headers, configs and virtual keys were checked where they came in, with their own names; this is
 * the last line, and the first for the body's `model`. Returns the value, unchanged, for use in a template.
 */
export function urlField(kind: UrlFieldKind, value: string, param: string): string {
  const problem = urlFieldProblem(kind, value);
  if (problem) throw new UnsupportedParameterError(param, `${param}: ${problem}`, "invalid_parameter");
  return value;
}
