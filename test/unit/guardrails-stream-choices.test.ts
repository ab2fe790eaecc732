import { describe, expect, it } from "vitest";
import { runHooks } from "../../guardrails/runner";
import type { Hook } from "../../guardrails/types";
import { emptyOutcome } from "../../src/context";
import { guardStream, type StreamJudge } from "../../src/pipeline/guarded-stream";
import { transformArguments } from "../../src/pipeline/guardrail-tool-arguments";
import { checkContext } from "./guardrails-helpers";
import { chatFrames, choiceText as contentOf, cutBody, toolArguments as argumentsOf } from "./chat-sse-fixtures";

/*
 * The stream judge with `n > 1` choices and streamed tool calls (src/pipeline/guarded-stream.ts,
 * guardrail-stream-state.ts), the provider's stream cut at every byte: each choice is redacted on its own, a deny
 * from one choice sends no offending text of any choice, tool-call arguments are judged whole at the end, and a
 * stream without findings goes out byte for byte.
 */

const piiHook = (parameters: Record<string, unknown>, deny: boolean): Hook => ({
  id: "output_guardrails[0]",
  type: "guardrail",
  phase: "output",
  checks: [{ id: "default.pii", parameters, isEnabled: true }],
  deny,
  async: false,
  sequential: false,
});
const DENIED = JSON.stringify({ error: { type: "hooks_failed" } });

/** The pipeline's judge, reduced to the real runner and the real pii check: each text on its own. */
const judgeWith =
  (hook: Hook): StreamJudge =>
  async (texts, final) => {
    const context = (text: string) => checkContext(text, { phase: "output", ...(final ? {} : { partial: true }) });
    const runs = await Promise.all(texts.map((t) => runHooks([hook], context(t.text))));
    if (runs.some((run) => run.results.some((r) => !r.verdict && r.deny))) return { deny: DENIED, texts: [] };
    const views = texts.map(async (t, i) => {
      const view = runs[i]?.text ?? t.text;
      if (t.tool === undefined || view === t.text) return view;
      return transformArguments(t.text, async (value) => (await runHooks([hook], context(value))).text);
    });
    return { deny: null, texts: await Promise.all(views) };
  };
const redact = judgeWith(piiHook({ redact: true }, false));
const deny = judgeWith(piiHook({}, true));

const frame = chatFrames("chatcmpl-u");

const twoChoices = (zero: string[], one: string[]) =>
  frame(0, { role: "assistant", content: "" }) +
  frame(1, { role: "assistant", content: "" }) +
  zero.map((content, i) => frame(0, { content }) + frame(1, { content: one[i] ?? "" })).join("") +
  frame(0, {}, "stop") +
  frame(1, {}, "stop") +
  "data: [DONE]\n\n";
const ZERO = ["The weather is ", "fine today, ", "enjoy it."];
const ONE = ["Write to ann@exa", "mple.com for the details, ", "thanks."];
const toolStream = (args: string[]) =>
  frame(0, {
    role: "assistant",
    content: null,
    tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "pay", arguments: "" } }],
  }) +
  args.map((piece) => frame(0, { tool_calls: [{ index: 0, function: { arguments: piece } }] })).join("") +
  frame(0, {}, "tool_calls") +
  "data: [DONE]\n\n";

/** Run `recorded` through the guard once per cut position, with the given window. */
async function eachCut(recorded: string, judge: StreamJudge, check: (text: string, cut: number) => void) {
  const bytes = new TextEncoder().encode(recorded);
  for (let cut = 1; cut < bytes.length; cut++) {
    const guarded = guardStream(cutBody(bytes, [cut, cut + 7, cut + 61]), { window: 40, judge }, emptyOutcome());
    check(await new Response(guarded).text(), cut);
  }
}

describe("a stream with n = 2, cut at every byte", () => {
  it("redacts choice 1's e-mail in choice 1 only, choice 0 untouched", async () => {
    await eachCut(twoChoices(ZERO, ONE), redact, (text, cut) => {
      expect(contentOf(text, 0), `cut at ${cut}`).toBe(ZERO.join(""));
      expect(contentOf(text, 1), `cut at ${cut}`).toBe("Write to [EMAIL_ADDRESS_1] for the details, thanks.");
      for (const leak of ["ann@", "mple.com"]) expect(text, `cut at ${cut}`).not.toContain(leak);
      expect(text.endsWith("data: [DONE]\n\n"), `cut at ${cut}`).toBe(true);
    });
  });

  it("a deny from choice 1 sends no offending text of either choice", async () => {
    await eachCut(twoChoices(ZERO, ONE), deny, (text, cut) => {
      expect(text.endsWith(`data: ${DENIED}\n\n`), `cut at ${cut}`).toBe(true);
      for (const leak of ["ann@", "mple.com", "details"]) expect(text, `cut at ${cut}`).not.toContain(leak);
    });
  });

  it("without findings, goes out byte for byte", async () => {
    const clean = twoChoices(ZERO, ["Write to the desk", " for the details, ", "thanks."]);
    await eachCut(clean, redact, (text, cut) => expect(text, `cut at ${cut}`).toBe(clean));
  });
});

describe("streamed tool-call arguments, cut at every byte", () => {
  it("a card number with a pii deny hook: the error event instead of [DONE], no digit sent", async () => {
    await eachCut(toolStream(['{"card":"4111 11', "11 1111 ", '1111","amount":3}']), deny, (text, cut) => {
      expect(text.endsWith(`data: ${DENIED}\n\n`), `cut at ${cut}`).toBe(true);
      expect(text, `cut at ${cut}`).not.toContain("4111");
      expect(text, `cut at ${cut}`).not.toContain("[DONE]");
    });
  });

  it("a pii redaction: valid JSON arguments with the placeholder, in the call's first fragment", async () => {
    await eachCut(toolStream(['{"to":"ann@ex', 'ample.com","n":2}']), redact, (text, cut) => {
      expect(JSON.parse(argumentsOf(text)), `cut at ${cut}`).toEqual({ to: "[EMAIL_ADDRESS_1]", n: 2 });
      expect(text, `cut at ${cut}`).not.toContain("ann@");
      expect(text.endsWith("data: [DONE]\n\n"), `cut at ${cut}`).toBe(true);
    });
  });
});

describe("a single-choice stream without findings", () => {
  it("goes out byte for byte wherever it is cut", async () => {
    const single =
      frame(0, { role: "assistant", content: "" }) +
      ["Nothing to ", "hide here, just ", "a plain answer."].map((content) => frame(0, { content })).join("") +
      frame(0, {}, "stop") +
      "data: [DONE]\n\n";
    await eachCut(single, redact, (text, cut) => expect(text, `cut at ${cut}`).toBe(single));
  });
});
