/**
 * The contract between guardrail checks, the registry and the runner. One check per file under guardrails/checks/,
 * each a `CheckDefinition` registered in guardrails/registry.ts. Checks are pure apart from the few that say
 * `needsNetwork` (webhook, moderation): they get everything through `CheckContext`, never from globals.
 */
import type { z } from "zod";
import type { HookPhase } from "../schema/guardrails";

// Hook, ConfiguredCheck and HookPhase are defined next to the config schemas that produce them (schema/ may not
// import guardrails/, and the normaliser there returns them); re-exported here so the contract stays one import.
export type { ConfiguredCheck, Hook, HookPhase } from "../schema/guardrails";

/** The text a check judges, already extracted from the request or the answer. */
export interface CheckContext {
  phase: HookPhase;
  /** input: the last user message's text (or the prompt / embedding input); output: the answer's text. */
  text: string;
  /** The whole request body as the client sent it (JSON), for checks on parameters or metadata. */
  requestJson: unknown;
  /** Output phase only: the answer's JSON body (non-streamed) or the assembled answer (streams, at the end). */
  responseJson?: unknown;
  /** x-portkey-metadata merged with the gateway key's metadata. */
  metadata: Readonly<Record<string, string>>;
  /** The operation: chat, completions, embeddings (and later messages, responses). */
  operation: string;
  /** The model sent to the provider, when known. */
  model?: string;
  provider?: string;
  /** Aborted when the hook's time is up or the request ends. */
  signal: AbortSignal;
  /** Network access for checks that need it (webhook, moderation): fetch under the custom-host policy. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * Output phase: the placeholders the request's input redaction put in (`[EMAIL_ADDRESS_1]` -> its original). A
   * redaction of the answer carries on their numbering and gives a value they hold the same placeholder, so the
   * restoration of the input's placeholders never puts another value in place of an answer's finding.
   */
  placeholders?: ReadonlyMap<string, string>;
  /**
   * True when `text` is a prefix of a streamed answer (checks marked `streamable` run on it as it flows): a check
   * then fails only when no continuation of the text could pass, and passes otherwise.
   */
  partial?: boolean;
  /**
   * The moderation classifier the operator configured (Llama Guard on Workers AI, a provider's moderation endpoint):
   * scores in [0, 1] per requested category. Absent when none is configured (`default.moderation` is then a 400).
   */
  classify?: (
    text: string,
    categories: readonly ModerationCategory[],
    options?: ClassifierOptions,
  ) => Promise<Partial<Record<ModerationCategory, number>>>;
}

/** Per-check choice of classifier (`default.moderation` parameters): a provider's endpoint through a virtual key. */
export interface ClassifierOptions {
  virtualKey?: string;
  model?: string;
}

/** Content categories `default.moderation` judges; classifier backends map their own labels onto these. */
export type ModerationCategory = "hate" | "harassment" | "violence" | "self-harm" | "sexual" | "prompt_injection";

/** What one check says. `data` carries explanations (counts, categories), never matched sensitive values. */
export interface CheckOutcome {
  verdict: boolean;
  data?: Record<string, unknown>;
  /** A mutator's or a redacting check's new text: later checks (sequential) and the provider see it. */
  transformedText?: string;
  /**
   * Output restoration: placeholders the input phase put in (e.g. `[EMAIL_ADDRESS_1]`) mapped back to the
   * originals, so the answer can be restored for the user. Never logged.
   */
  restore?: ReadonlyMap<string, string>;
}

export interface CheckDefinition<P extends z.ZodType = z.ZodType> {
  /** Full id, `default.regexMatch`. */
  id: string;
  /** zod schema of the parameters: an unknown field or a bad value is a 400 naming its path at config time. */
  parameters: P;
  /** Which phases the check makes sense in. */
  phases: readonly HookPhase[];
  /** True when the check can judge a prefix of a streamed answer (it may then deny before the text is sent). */
  streamable?: boolean;
  /** When present, narrows `streamable` for one configuration (e.g. regexMatch only when `not`: deny on a match). */
  streamableWhen?(parameters: z.infer<P>): boolean;
  /** Run the check. Throwing means "error": the check passes unless parameters set `failOnError: true`. */
  run(context: CheckContext, parameters: z.infer<P>): Promise<CheckOutcome> | CheckOutcome;
}

/** Portkey's hook_results entries (the wire format clients see). */
export interface CheckResult {
  id: string;
  verdict: boolean;
  data: Record<string, unknown> | null;
  error: { name: string; message: string } | null;
  execution_time: number;
  transformed: boolean;
}

export interface HookResult {
  id: string;
  type: "guardrail" | "mutator";
  verdict: boolean;
  deny: boolean;
  async: boolean;
  transformed: boolean;
  execution_time: number;
  checks: CheckResult[];
}

export interface HookResults {
  before_request_hooks: HookResult[];
  after_request_hooks: HookResult[];
}
