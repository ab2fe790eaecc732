import { CheckError } from "../check-error";
import { SafePattern } from "../../schema/query/regex/search";

/**
 * Compiled patterns by source. Configs are cached per isolate and the same few patterns run on every request, so
 * compiling once per isolate is enough; the map is bounded so that many distinct configs cannot grow it forever.
 */
const MAX_CACHED_PATTERNS = 256;
const cache = new Map<string, SafePattern>();

/** The compiled pattern, or an Error saying why it is refused (config validation reports the same reason). */
export function compilePattern(source: string): SafePattern {
  const cached = cache.get(source);
  if (cached) return cached;
  const compiled = SafePattern.compile(source);
  if (!compiled.ok) throw new CheckError(`invalid pattern: ${compiled.reason}`);
  if (cache.size >= MAX_CACHED_PATTERNS) cache.clear();
  cache.set(source, compiled.pattern);
  return compiled.pattern;
}

/** A zod refinement: the pattern compiles on the linear-time engine (no backreferences, lookaround, ...). */
export function checkPattern(
  source: string,
  ctx: { addIssue(issue: { code: "custom"; message: string }): void },
): void {
  const compiled = SafePattern.compile(source);
  if (!compiled.ok) ctx.addIssue({ code: "custom", message: compiled.reason });
}
