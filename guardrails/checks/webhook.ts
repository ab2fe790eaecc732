import { CheckError } from "../check-error";
import * as z from "zod";
import type { CheckContext, CheckDefinition, CheckOutcome } from "../types";
import { failOnError } from "./common";

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 3000;
const MAX_WEBHOOK_TIMEOUT_MS = 30_000;
/** A webhook answer is a verdict and maybe a text: anything bigger is refused rather than read. */
const MAX_ANSWER_BYTES = 256 * 1024;

/** Portkey accepts headers as an object or as its JSON text. */
const headersParameter = z.union([
  z.record(z.string(), z.string()),
  z.string().transform((text, ctx) => {
    try {
      return z.record(z.string(), z.string()).parse(JSON.parse(text));
    } catch {
      ctx.addIssue({ code: "custom", message: "expected an object of header names to values (or its JSON text)" });
      return z.NEVER;
    }
  }),
]);

const parameters = z.strictObject({
  webhookURL: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }),
  headers: headersParameter.optional(),
  timeout: z.number().int().min(1).max(MAX_WEBHOOK_TIMEOUT_MS).default(DEFAULT_WEBHOOK_TIMEOUT_MS),
  failOnError,
});

const webhookAnswer = z.object({
  verdict: z.boolean(),
  /** Our form: the new text. Portkey's `{request: {json}}` / `{response: {json}}` form is not applied (data says so). */
  transformedData: z.unknown().optional(),
});

/** What the webhook receives: the request (or answer) context, never the client's headers or credentials. */
function webhookBody(context: CheckContext): unknown {
  const text = { text: context.text };
  return {
    eventType: context.phase === "input" ? "beforeRequestHook" : "afterRequestHook",
    requestType: context.operation,
    provider: context.provider ?? null,
    model: context.model ?? null,
    metadata: context.metadata,
    request: context.phase === "input" ? { json: context.requestJson, ...text } : { json: context.requestJson },
    ...(context.phase === "output" ? { response: { json: context.responseJson ?? null, ...text } } : {}),
  };
}

function outcomeOf(answer: z.infer<typeof webhookAnswer>): CheckOutcome {
  const data = answer.transformedData;
  const text =
    typeof data === "string"
      ? data
      : typeof data === "object" && data !== null && "text" in data && typeof data.text === "string"
        ? data.text
        : undefined;
  const ignored = data !== undefined && text === undefined;
  return {
    verdict: answer.verdict,
    data: { webhookVerdict: answer.verdict, ...(ignored ? { transformedDataIgnored: true } : {}) },
    ...(text === undefined ? {} : { transformedText: text }),
  };
}

async function post(context: CheckContext, p: z.infer<typeof parameters>, signal: AbortSignal): Promise<Response> {
  if (!context.fetch) throw new CheckError("webhooks are not available here");
  const headers = { ...p.headers, "content-type": "application/json" };
  return context.fetch(p.webhookURL, { method: "POST", headers, body: JSON.stringify(webhookBody(context)), signal });
}

/**
 * POSTs the context to `webhookURL` (through the caller's fetch, which applies the custom-host SSRF policy) and takes
 * its `{verdict, transformedData?}`. A timeout, a non-2xx status or a malformed answer is an error: the check then
 * passes unless `failOnError`.
 */
export const webhook: CheckDefinition<typeof parameters> = {
  id: "default.webhook",
  parameters,
  phases: ["input", "output"],
  async run(context, p) {
    const timeout = AbortSignal.timeout(p.timeout);
    const signal = AbortSignal.any([context.signal, timeout]);
    let response: Response;
    try {
      response = await post(context, p, signal);
    } catch (error) {
      if (timeout.aborted) throw new CheckError(`the webhook did not answer within ${p.timeout} ms`);
      // The caller's fetch refuses hosts the custom-host policy forbids; its message names the rule, not the text.
      throw new CheckError(
        `the webhook could not be called: ${error instanceof Error ? error.message : "network error"}`,
      );
    }
    if (!response.ok) throw new CheckError(`the webhook answered with status ${response.status}`);
    const body = await response.text();
    if (body.length > MAX_ANSWER_BYTES) throw new CheckError("the webhook's answer is too large");
    const parsed = webhookAnswer.safeParse(safeJson(body));
    if (!parsed.success) throw new CheckError('the webhook\'s answer is not {"verdict": true|false, ...}');
    return outcomeOf(parsed.data);
  },
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
