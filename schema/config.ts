import * as z from "zod";
import { checkQuery, isPlainObject, type Report } from "./query/check";
import { PROVIDER_IDS } from "./provider-ids";
import { urlFieldSchema } from "./url-fields";

/**
 * The Portkey-compatible routing config (x-portkey-config, saved configs). A config is a node; a node either is a
 * target (provider, credential, ...) or has `strategy` + `targets`, whose entries are nodes again (any depth).
 * Cross-field rules live in `checkNode` so that every message names the exact path; `formatConfigIssue` turns zod
 * issues into `config.targets[1].weight: expected a number >= 0`.
 */
export const providerIdSchema = z.enum(PROVIDER_IDS, {
  error: (issue) => `unknown provider ${JSON.stringify(issue.input)}; valid providers: ${PROVIDER_IDS.join(", ")}`,
});

export const STRATEGY_MODES = ["single", "fallback", "loadbalance", "conditional"] as const;
export type StrategyMode = (typeof STRATEGY_MODES)[number];

/** More `$regex` operators than this in one config are refused: each costs a bounded but non-zero scan. */
export const MAX_REGEX_PER_CONFIG = 16;

const statusCode = z.number().int().min(100).max(599);

export const retrySchema = z.strictObject({
  attempts: z.number().int().min(0).max(5),
  on_status_codes: z.array(statusCode).optional(),
  use_retry_after_header: z.boolean().optional(),
});

/** Accepted and inherited now; the cache issue gives it meaning. `max_age` is in seconds. */
export const cacheSchema = z.strictObject({
  mode: z.enum(["simple", "semantic"]),
  max_age: z.number().int().positive().optional(),
});

const DAY_MS = 86_400_000;

/** Longest per-attempt wait for response headers a config or x-portkey-request-timeout may ask for (10 minutes). */
export const MAX_REQUEST_TIMEOUT_MS = 600_000;

/** Circuit breaker of this node's targets; unset fields default to 5 failures / 60 s window / 30 s cooldown. */
export const cbConfigSchema = z.strictObject({
  failure_threshold: z.number().int().min(1).max(1000).optional(),
  window_ms: z.number().int().positive().max(DAY_MS).optional(),
  cooldown_ms: z.number().int().positive().max(DAY_MS).optional(),
});

/** The query grammar is checked (and compiled `$regex` patterns vetted) next to its evaluator, src/routing. */
const querySchema = z
  .record(z.string(), z.unknown())
  .superRefine((query, ctx) =>
    checkQuery(query, [], (path, message) => ctx.addIssue({ code: "custom", path, message }), 1),
  );

export const conditionSchema = z.strictObject({ query: querySchema, then: z.string().min(1) });

export const strategySchema = z.strictObject({
  mode: z.enum(STRATEGY_MODES),
  /** fallback only: statuses that move on to the next target (default: any failure). */
  on_status_codes: z.array(statusCode).min(1).optional(),
  conditions: z.array(conditionSchema).min(1).optional(),
  default: z.string().min(1).optional(),
  cb_config: cbConfigSchema.optional(),
});

/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A forwarding list longer than this is refused: it is an allowlist, not a way to copy every header. */
export const MAX_FORWARD_HEADERS = 32;

/** Names of client request headers to pass upstream (src/pipeline/forward-headers.ts says which never go). */
export const forwardHeadersSchema = z
  .array(z.string().regex(HEADER_NAME, { error: "expected a header name (letters, digits and !#$%&'*+-.^_`|~)" }))
  .max(MAX_FORWARD_HEADERS);

/** Guardrails and hooks are accepted (and inherited) now; a later issue defines their items. */
const hooks = z.array(z.unknown()).optional();

const TARGET_ONLY_FIELDS = [
  "provider",
  "api_key",
  "virtual_key",
  "azure_resource_name",
  "azure_deployment_id",
  "azure_api_version",
  "aws_access_key_id",
  "aws_secret_access_key",
  "aws_session_token",
  "aws_region",
  "vertex_project_id",
  "vertex_region",
  "vertex_service_account_json",
] as const;

const nodeSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    strategy: strategySchema.optional(),
    get targets() {
      return z.array(nodeSchema).min(1).optional();
    },
    provider: providerIdSchema.optional(),
    api_key: z.string().min(1).optional(),
    virtual_key: z.string().min(1).optional(),
    custom_host: z.string().min(1).optional(),
    override_params: z.record(z.string(), z.unknown()).optional(),
    weight: z.number().min(0).optional(),
    retry: retrySchema.optional(),
    cache: cacheSchema.optional(),
    request_timeout: z.number().int().positive().max(MAX_REQUEST_TIMEOUT_MS).optional(),
    forward_headers: forwardHeadersSchema.optional(),
    azure_resource_name: urlFieldSchema("azureResourceName").optional(),
    azure_deployment_id: urlFieldSchema("azureDeploymentId").optional(),
    azure_api_version: urlFieldSchema("azureApiVersion").optional(),
    // Bedrock (Portkey's names): IAM credentials that sign the target's requests, and its region.
    aws_access_key_id: z.string().min(1).max(128).optional(),
    aws_secret_access_key: z.string().min(1).max(1_024).optional(),
    aws_session_token: z.string().min(1).max(8_192).optional(),
    aws_region: urlFieldSchema("awsRegion").optional(),
    vertex_project_id: urlFieldSchema("vertexProjectId").optional(),
    vertex_region: urlFieldSchema("vertexRegion").optional(),
    // The key file's JSON as text, or as an object (Portkey's form); checked when the target is resolved.
    vertex_service_account_json: z.union([z.string().min(2).max(16_384), z.record(z.string(), z.unknown())]).optional(),
    input_guardrails: hooks,
    output_guardrails: hooks,
    before_request_hooks: hooks,
    after_request_hooks: hooks,
  })
  .superRefine((node, ctx) => checkNode(node, (path, message) => ctx.addIssue({ code: "custom", path, message })));

export type ConfigNode = z.infer<typeof nodeSchema>;

function checkNode(node: ConfigNode, report: Report): void {
  const { strategy, targets } = node;
  if (strategy && !targets) report(["targets"], "required when strategy is set");
  if (targets && !strategy)
    report(["strategy"], "required when targets are set (mode: single, fallback, loadbalance or conditional)");
  if (!strategy || !targets) return;
  for (const field of TARGET_ONLY_FIELDS) {
    if (node[field] !== undefined) report([field], "not allowed next to targets: set it on each target");
  }
  const { mode } = strategy;
  if (mode !== "fallback" && strategy.on_status_codes)
    report(["strategy", "on_status_codes"], "only allowed when strategy.mode is fallback");
  if (mode !== "conditional") {
    if (strategy.conditions) report(["strategy", "conditions"], "only allowed when strategy.mode is conditional");
    if (strategy.default) report(["strategy", "default"], "only allowed when strategy.mode is conditional");
  }
  if (mode === "loadbalance" && targets.every((t) => t.weight === 0)) {
    report(["targets"], "loadbalance needs at least one target with weight > 0");
  }
  if (mode === "conditional") checkConditional(strategy, targets, report);
}

function checkConditional(strategy: z.infer<typeof strategySchema>, targets: ConfigNode[], report: Report): void {
  if (!strategy.conditions) report(["strategy", "conditions"], "required when strategy.mode is conditional");
  const names = new Set<string>();
  targets.forEach((target, i) => {
    if (target.name === undefined) return;
    if (names.has(target.name)) report(["targets", i, "name"], `duplicate target name ${JSON.stringify(target.name)}`);
    names.add(target.name);
  });
  const known = (name: string) => names.has(name);
  strategy.conditions?.forEach((condition, i) => {
    if (!known(condition.then))
      report(["strategy", "conditions", i, "then"], `no target named ${JSON.stringify(condition.then)} in targets`);
  });
  if (strategy.default !== undefined && !known(strategy.default)) {
    report(["strategy", "default"], `no target named ${JSON.stringify(strategy.default)} in targets`);
  }
}

function countRegexes(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + countRegexes(item), 0);
  if (!isPlainObject(value)) return 0;
  return Object.entries(value).reduce((sum, [key, item]) => sum + (key === "$regex" ? 1 : countRegexes(item)), 0);
}

/** The whole config: a node, plus limits that only make sense for the config as a whole. */
export const configSchema = nodeSchema.superRefine((config, ctx) => {
  if (countRegexes(config) > MAX_REGEX_PER_CONFIG) {
    ctx.addIssue({ code: "custom", path: [], message: `more than ${MAX_REGEX_PER_CONFIG} $regex operators` });
  }
});

export type RoutingConfig = z.infer<typeof configSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type CacheConfig = z.infer<typeof cacheSchema>;
export type CircuitBreakerConfig = z.infer<typeof cbConfigSchema>;
export type StrategyConfig = z.infer<typeof strategySchema>;
export type ConditionQuery = z.infer<typeof querySchema>;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `config.targets[1]`, `config.strategy.conditions[0].query["metadata.plan"].$eq`. */
export function configIssuePath(path: readonly PropertyKey[], root = "config"): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

const PROVIDER_SET: ReadonlySet<unknown> = new Set(PROVIDER_IDS);
const ARTICLES: Record<string, string> = {
  int: "an integer",
  object: "an object",
  array: "an array",
  record: "an object",
};
const withArticle = (type: string) => ARTICLES[type] ?? `a ${type}`;

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isInteger(value)) return "a fraction";
  return withArticle(typeof value);
}

/** What zod saw, from `input` (parse with reportInput) or, failing that, from its default message. */
function received(issue: z.core.$ZodIssue): string | undefined {
  if ("input" in issue) return issue.input === undefined ? "undefined" : typeOf(issue.input);
  const match = /received (\w+)/.exec(issue.message);
  return match?.[1] === "undefined" ? "undefined" : match?.[1] && withArticle(match[1]);
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      const got = received(issue);
      if (got === "undefined") return "is required";
      return `expected ${withArticle(issue.expected)}${got ? `, got ${got}` : ""}`;
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const bound = small ? issue.minimum : issue.maximum;
      if (issue.origin === "array")
        return `expected ${small ? "at least" : "at most"} ${bound} item${bound === 1 ? "" : "s"}`;
      if (issue.origin === "string")
        return small && bound === 1
          ? "must not be empty"
          : `expected ${small ? "at least" : "at most"} ${bound} characters`;
      const op = small ? (issue.inclusive ? ">=" : ">") : issue.inclusive ? "<=" : "<";
      return `expected a number ${op} ${bound}`;
    }
    case "invalid_value": {
      const input = "input" in issue ? issue.input : undefined;
      if (issue.values.every((v) => PROVIDER_SET.has(v))) {
        return `unknown provider ${JSON.stringify(input)}; valid providers: ${PROVIDER_IDS.join(", ")}`;
      }
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    default:
      return issue.message;
  }
}

/**
 * One zod issue as a sentence that names the path: `config.targets[1].weight: expected a number >= 0`.
 * Unknown keys are reported at their own path: `config.targets[0].wieght: unknown field`.
 */
export function formatConfigIssue(issue: z.core.$ZodIssue, root = "config"): string {
  if (issue.code === "unrecognized_keys") {
    const [first = "?"] = issue.keys;
    return `${configIssuePath([...issue.path, first], root)}: unknown field`;
  }
  return `${configIssuePath(issue.path, root)}: ${describe(issue)}`;
}

export type ConfigParseResult =
  { success: true; data: RoutingConfig } | { success: false; message: string; issues: z.core.$ZodIssue[] };

/** Validate a config (inline or saved) and describe the first problem the way the 400 answer does. */
export function parseRoutingConfig(json: unknown, root = "config"): ConfigParseResult {
  const result = configSchema.safeParse(json, { reportInput: true });
  if (result.success) return { success: true, data: result.data };
  const [first] = result.error.issues;
  const message = first ? formatConfigIssue(first, root) : `${root}: invalid`;
  return { success: false, message, issues: result.error.issues };
}
