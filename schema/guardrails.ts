import * as z from "zod";

/**
 * Guardrail hooks in every config form Portkey accepts, normalised into one `Hook[]`:
 *
 * - shorthand `input_guardrails` / `output_guardrails` (and the x-portkey-default-*-guardrails headers): items are
 *   a string (a saved guardrail's id or slug) or an object whose keys other than HOOK_CONTROL_KEYS are checks,
 *   `{"default.regexMatch": {"rule": "..."}, "deny": true}`;
 * - full form `before_request_hooks` / `after_request_hooks`: `{type, id, checks: [{id, parameters, is_enabled}],
 *   deny, async, sequential, on_fail, on_success}`; an item with an id and no checks refers to a saved guardrail.
 *
 * This file knows the shapes only. Whether a check id exists and its parameters are valid is the registry's business
 * (guardrails/), passed in as a CheckValidator, because schema/ may not import guardrails/.
 */

/** Where a hook runs: before the provider call (input) or on the answer (output). */
export type HookPhase = "input" | "output";

/** A check as configured in a hook (after config normalisation). */
export interface ConfiguredCheck {
  id: string;
  parameters: Record<string, unknown>;
  isEnabled: boolean;
}

/** A hook after normalisation of every config form (shorthand, full form, headers, saved guardrails, key defaults). */
export interface Hook {
  id: string;
  type: "guardrail" | "mutator";
  phase: HookPhase;
  checks: ConfiguredCheck[];
  deny: boolean;
  async: boolean;
  sequential: boolean;
  /** Portkey's on_fail / on_success feedback objects, kept as given. */
  onFail?: unknown;
  onSuccess?: unknown;
}

/** A saved guardrail named by id or slug: the integration resolves it (hookFromSavedGuardrail) into a Hook. */
export interface SavedGuardrailRef {
  ref: string;
  phase: HookPhase;
  /** Where it was written, for the 400 when it does not exist: `config.input_guardrails[1]`. */
  path: string;
}

export type HookEntry = Hook | SavedGuardrailRef;

export const isGuardrailRef = (entry: HookEntry): entry is SavedGuardrailRef => "ref" in entry;

export interface GuardrailIssue {
  path: string;
  message: string;
}

/** Validates one check's id and parameters; `path` names the check (`config.input_guardrails[0].default.wordCount`). */
export type CheckValidator = (
  checkId: string,
  parameters: unknown,
  path: string,
  phase?: HookPhase,
) => { ok: true; parameters: Record<string, unknown> } | { ok: false; issues: GuardrailIssue[] };

export type NormaliseResult = { ok: true; hooks: HookEntry[] } | { ok: false; issues: GuardrailIssue[] };

/** Keys of a shorthand item that configure the hook itself; every other key is a check. */
export const HOOK_CONTROL_KEYS = ["deny", "on_fail", "on_success", "async", "id", "type", "sequential"] as const;
const CONTROL_KEY_SET: ReadonlySet<string> = new Set(HOOK_CONTROL_KEYS);

/** More hooks than this in one list, or checks in one hook, are refused: each costs time on every request. */
export const MAX_HOOKS_PER_LIST = 16;
export const MAX_CHECKS_PER_HOOK = 16;

/** `wordCount` -> `default.wordCount`; ids with a dot (`default.pii`, `partner.check`) are kept. */
export const qualifyCheckId = (id: string): string => (id.includes(".") ? id : `default.${id}`);

const hookFlags = {
  id: z.string().min(1).max(128).optional(),
  type: z.enum(["guardrail", "mutator"]).optional(),
  deny: z.boolean().optional(),
  async: z.boolean().optional(),
  sequential: z.boolean().optional(),
  on_fail: z.unknown().optional(),
  on_success: z.unknown().optional(),
};

/** The hook-level fields of a shorthand item (its check keys are read separately). */
export const shorthandFlagsSchema = z.looseObject(hookFlags);

export const fullFormCheckSchema = z.strictObject({
  id: z.string().min(1).max(128),
  parameters: z.record(z.string(), z.unknown()).optional(),
  is_enabled: z.boolean().optional(),
});

export const fullFormHookSchema = z.strictObject({
  ...hookFlags,
  checks: z.array(fullFormCheckSchema).max(MAX_CHECKS_PER_HOOK).optional(),
  // Portkey's saved-guardrail references may carry these; they mean nothing here and are ignored.
  name: z.string().optional(),
  guardrail_version_id: z.string().optional(),
});

/** What a saved guardrail stores: a shorthand object or a full-form hook (without id: the saved guardrail's own). */
export const savedGuardrailBodySchema = z.record(z.string(), z.unknown());

/** Config fields (and their phase) that hold hooks, in the order they are read. */
export const HOOK_FIELDS = [
  { field: "input_guardrails", phase: "input", form: "shorthand" },
  { field: "output_guardrails", phase: "output", form: "shorthand" },
  { field: "before_request_hooks", phase: "input", form: "full" },
  { field: "after_request_hooks", phase: "output", form: "full" },
] as const;

export interface NormaliseOptions {
  form: "shorthand" | "full";
  phase: HookPhase;
  /** Where the list is: `config.input_guardrails`, `header x-portkey-default-input-guardrails`. */
  path: string;
  /** Prefix of generated hook ids (`input_guardrails` gives `input_guardrails[0]`); default: path's last segment. */
  idPrefix?: string;
  validate?: CheckValidator;
}

type ItemResult = { ok: true; entry: HookEntry } | { ok: false; issues: GuardrailIssue[] };

const fail = (path: string, message: string): { ok: false; issues: GuardrailIssue[] } => ({
  ok: false,
  issues: [{ path, message }],
});

/** zod issues as `{path, message}` under `path` (`.field`, `[index]`); an unknown key is reported at its own path. */
export function zodIssues(error: z.ZodError, path: string): GuardrailIssue[] {
  const byPath = new Map<string, string>();
  for (const issue of error.issues) {
    const keys = issue.code === "unrecognized_keys" ? [...issue.path, ...issue.keys.slice(0, 1)] : issue.path;
    const where = path + keys.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("");
    // One message per path: the first says what is wrong; later ones (cross-field rules) repeat it in other words.
    if (!byPath.has(where)) byPath.set(where, issue.code === "unrecognized_keys" ? "unknown field" : issue.message);
  }
  return [...byPath].map(([where, message]) => ({ path: where, message }));
}

function hookFrom(
  flags: z.infer<typeof shorthandFlagsSchema>,
  checks: ConfiguredCheck[],
  phase: HookPhase,
  id: string,
): Hook {
  return {
    id: flags.id ?? id,
    type: flags.type ?? "guardrail",
    phase,
    checks,
    deny: flags.deny ?? false,
    async: flags.async ?? false,
    sequential: flags.sequential ?? false,
    ...(flags.on_fail === undefined ? {} : { onFail: flags.on_fail }),
    ...(flags.on_success === undefined ? {} : { onSuccess: flags.on_success }),
  };
}

/** One check: its id qualified, its parameters validated when a validator is given. */
function configureCheck(
  rawId: string,
  parameters: unknown,
  isEnabled: boolean,
  path: string,
  validate: CheckValidator | undefined,
): { ok: true; check: ConfiguredCheck } | { ok: false; issues: GuardrailIssue[] } {
  const id = qualifyCheckId(rawId);
  if (!validate) {
    if (!isPlainRecord(parameters)) return fail(path, "expected an object of parameters");
    return { ok: true, check: { id, parameters, isEnabled } };
  }
  const result = validate(id, parameters, path);
  return result.ok ? { ok: true, check: { id, parameters: result.parameters, isEnabled } } : result;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The validator told which phase the hook runs in, so a check that cannot run there is refused. */
const inPhase =
  (validate: CheckValidator, phase: HookPhase): CheckValidator =>
  (id, parameters, path) =>
    validate(id, parameters, path, phase);

/** Configure every check of a hook, collecting every problem rather than stopping at the first. */
function configureChecks(
  items: { id: string; parameters: unknown; isEnabled: boolean; path: string }[],
  validate: CheckValidator | undefined,
): { ok: true; checks: ConfiguredCheck[] } | { ok: false; issues: GuardrailIssue[] } {
  const checks: ConfiguredCheck[] = [];
  const issues: GuardrailIssue[] = [];
  for (const item of items) {
    const result = configureCheck(item.id, item.parameters, item.isEnabled, item.path, validate);
    if (result.ok) checks.push(result.check);
    else issues.push(...result.issues);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, checks };
}

/** A shorthand item: a saved guardrail's id or slug, or `{<check id>: parameters, ...flags}`. */
export function normaliseShorthandItem(
  item: unknown,
  phase: HookPhase,
  path: string,
  id: string,
  validate?: CheckValidator,
): ItemResult {
  if (typeof item === "string") {
    return item.trim() === ""
      ? fail(path, "expected a saved guardrail id or slug")
      : { ok: true, entry: { ref: item, phase, path } };
  }
  if (!isPlainRecord(item)) return fail(path, "expected a saved guardrail id or an object of checks");
  const flags = shorthandFlagsSchema.safeParse(item);
  if (!flags.success) return { ok: false, issues: zodIssues(flags.error, path) };
  const checkKeys = Object.keys(item).filter((key) => !CONTROL_KEY_SET.has(key));
  if (checkKeys.length === 0) return fail(path, 'expected at least one check (e.g. "default.regexMatch": {...})');
  if (checkKeys.length > MAX_CHECKS_PER_HOOK) return fail(path, `at most ${MAX_CHECKS_PER_HOOK} checks per hook`);
  const items = checkKeys.map((key) => ({
    id: key,
    parameters: item[key],
    isEnabled: true,
    path: `${path}.${qualifyCheckId(key)}`,
  }));
  const checks = configureChecks(items, validate && inPhase(validate, phase));
  return checks.ok ? { ok: true, entry: hookFrom(flags.data, checks.checks, phase, id) } : checks;
}

/** A full-form hook; one with an id and no `checks` refers to a saved guardrail, as in Portkey's configs. */
export function normaliseFullFormItem(
  item: unknown,
  phase: HookPhase,
  path: string,
  id: string,
  validate?: CheckValidator,
): ItemResult {
  const parsed = fullFormHookSchema.safeParse(item);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, path) };
  const hook = parsed.data;
  if (hook.checks === undefined) {
    return hook.id
      ? { ok: true, entry: { ref: hook.id, phase, path } }
      : fail(`${path}.checks`, "expected an array of checks");
  }
  const items = hook.checks.map((check, i) => ({
    id: check.id,
    parameters: check.parameters ?? {},
    isEnabled: check.is_enabled ?? true,
    path: `${path}.checks[${i}].parameters`,
  }));
  const checks = configureChecks(items, validate && inPhase(validate, phase));
  return checks.ok ? { ok: true, entry: hookFrom(hook, checks.checks, phase, id) } : checks;
}

/** A whole list (one config field or header): entries in order, or every problem found with its path. */
export function normaliseHookList(value: unknown, options: NormaliseOptions): NormaliseResult {
  if (value === undefined || value === null) return { ok: true, hooks: [] };
  if (!Array.isArray(value)) return fail(options.path, "expected an array");
  if (value.length > MAX_HOOKS_PER_LIST) return fail(options.path, `at most ${MAX_HOOKS_PER_LIST} hooks`);
  const idPrefix = options.idPrefix ?? options.path.slice(options.path.lastIndexOf(".") + 1);
  const normaliseItem = options.form === "shorthand" ? normaliseShorthandItem : normaliseFullFormItem;
  const hooks: HookEntry[] = [];
  const issues: GuardrailIssue[] = [];
  value.forEach((item: unknown, i) => {
    const result = normaliseItem(item, options.phase, `${options.path}[${i}]`, `${idPrefix}[${i}]`, options.validate);
    if (result.ok) hooks.push(result.entry);
    else issues.push(...result.issues);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, hooks };
}

/** Every hook field of one config object (the four of HOOK_FIELDS), input hooks first. */
export function normaliseConfigHooks(config: unknown, root = "config", validate?: CheckValidator): NormaliseResult {
  if (!isPlainRecord(config)) return { ok: true, hooks: [] };
  const hooks: HookEntry[] = [];
  const issues: GuardrailIssue[] = [];
  for (const { field, phase, form } of HOOK_FIELDS) {
    const result = normaliseHookList(config[field], {
      form,
      phase,
      path: `${root}.${field}`,
      idPrefix: field,
      validate,
    });
    if (result.ok) hooks.push(...result.hooks);
    else issues.push(...result.issues);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, hooks };
}

/**
 * A saved guardrail's stored body as a hook: either form is accepted; its id is the saved guardrail's id unless the
 * body names one. `path` is where the body is reported from (`guardrail` for the admin API).
 */
export function hookFromSavedGuardrail(
  body: unknown,
  phase: HookPhase,
  id: string,
  path: string,
  validate?: CheckValidator,
): { ok: true; hook: Hook } | { ok: false; issues: GuardrailIssue[] } {
  const result =
    isPlainRecord(body) && "checks" in body
      ? normaliseFullFormItem(body, phase, path, id, validate)
      : normaliseShorthandItem(body, phase, path, id, validate);
  if (!result.ok) return result;
  if (isGuardrailRef(result.entry)) return fail(path, "a saved guardrail cannot refer to another saved guardrail");
  return { ok: true, hook: result.entry };
}
