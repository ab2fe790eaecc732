import {
  hookFromSavedGuardrail,
  isGuardrailRef,
  normaliseHookList as normaliseList,
  type CheckValidator,
  type GuardrailIssue,
} from "../../schema/guardrails";
import { checkDefinition, isStreamable } from "../../guardrails/registry";
import { runHooks as runWithRunner } from "../../guardrails/runner";
import type { CheckContext, Hook, HookPhase, HookResult } from "../../guardrails/types";
import { loadSavedGuardrail } from "../configs/guardrail-store";
import { gatewayCheckValidator } from "../configs/guardrail-validator";
import type { AppContext } from "../context";
import { badRequest } from "../errors";

/*
 * The pipeline's one door into guardrails/ and the config normaliser (schema/guardrails.ts): everything else in
 * src/pipeline speaks Hook, HookResult and this file's three functions.
 */

/** What one phase's hooks said, and the text after their transformations (the input the provider gets). */
export interface HooksRun {
  results: HookResult[];
  text: string;
  transformed: boolean;
  /** Placeholders a redaction put in, mapped to their originals (restored in the answer; never logged). */
  restore: Map<string, string>;
}

function issuesError(issues: readonly GuardrailIssue[], param: string) {
  const [first] = issues;
  return badRequest(
    first ? `${first.path}: ${first.message}` : `${param}: invalid guardrails`,
    param,
    "invalid_guardrails",
  );
}

const PARAM = "x-portkey-config";

/** One list of hooks (a config field, a header, a key default), saved guardrails resolved; a 400 names the path. */
export async function normaliseHookList(
  c: AppContext,
  items: unknown,
  phase: HookPhase,
  form: "shorthand" | "full",
  path: string,
  param = path.startsWith("config") ? PARAM : path,
): Promise<Hook[]> {
  const validate: CheckValidator = gatewayCheckValidator(c.env, phase);
  const result = normaliseList(items, { form, phase, path, validate });
  if (!result.ok) throw issuesError(result.issues, param);
  return Promise.all(
    result.hooks.map(async (entry) => {
      if (!isGuardrailRef(entry)) return entry;
      const saved = await loadSavedGuardrail(c.env, entry.ref);
      if (!saved)
        throw badRequest(
          `${entry.path}: saved guardrail ${JSON.stringify(entry.ref)} not found`,
          param,
          "guardrail_not_found",
        );
      const hook = hookFromSavedGuardrail(
        saved.definition,
        phase,
        saved.id,
        `saved guardrail ${JSON.stringify(entry.ref)}`,
        validate,
      );
      if (!hook.ok) throw issuesError(hook.issues, param);
      return hook.hook;
    }),
  );
}

/** Run hooks on a context; see guardrails/runner.ts for the verdict rules. */
export async function runHooks(hooks: readonly Hook[], context: CheckContext): Promise<HooksRun> {
  if (hooks.length === 0) return { results: [], text: context.text, transformed: false, restore: new Map() };
  return runWithRunner(hooks, context);
}

/** The same hooks with only the checks that can judge a prefix of a streamed answer (hooks left empty dropped). */
export function streamableOnly(hooks: readonly Hook[]): Hook[] {
  return hooks.flatMap((hook) => {
    const checks = hook.checks.filter((check) => {
      const definition = checkDefinition(check.id);
      return check.isEnabled && definition !== undefined && isStreamable(definition, check.parameters);
    });
    return checks.length > 0 ? [{ ...hook, checks }] : [];
  });
}
