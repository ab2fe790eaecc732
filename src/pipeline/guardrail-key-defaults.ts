import type { Hook, HookPhase } from "../../guardrails/types";
import type { AppContext } from "../context";
import { callerOf } from "../governance/caller";
import { normaliseHookList } from "./guardrail-engine";

const PARAM = "default_guardrails";

/**
 * The gateway key's own default guardrails (admin field `default_guardrails: {input, output}`): added to every
 * request of the key whatever its config or headers say, so a caller cannot remove them. Checked when the admin
 * saved them; a failure here means a check or a saved guardrail changed since.
 */
export async function keyDefaultGuardrails(c: AppContext, phase: HookPhase): Promise<Hook[]> {
  const key = callerOf(c)?.key;
  const items = key?.defaultGuardrails?.[phase];
  if (!items || items.length === 0) return [];
  return normaliseHookList(c, items, phase, "shorthand", `${PARAM}.${phase}`, PARAM);
}
