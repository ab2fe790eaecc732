import { describe, expect, it } from "vitest";
import { piiCheck } from "../../guardrails/checks/pii";
import { runHooks } from "../../guardrails/runner";
import type { Hook } from "../../guardrails/types";
import { emptyOutcome } from "../../src/context";
import { guardStream, type StreamJudge } from "../../src/pipeline/guarded-stream";
import { chatFrames, cutBody } from "./chat-sse-fixtures";
import { checkContext } from "./guardrails-helpers";

/*
 * Output `default.pii` with `redact` on a stream (src/pipeline/guarded-stream.ts): the client gets numbered
 * placeholders instead of the findings, wherever the provider's stream is cut, and never a piece of a value.
 */

const redactHook: Hook = {
  id: "output_guardrails[0]",
  type: "guardrail",
  phase: "output",
  checks: [{ id: "default.pii", parameters: { redact: true }, isEnabled: true }],
  deny: false,
  async: false,
  sequential: false,
};

/** The pipeline's judge, reduced to the real runner and the real pii check (each judged text on its own). */
const judge: StreamJudge = async (texts, final) => {
  const runs = texts.map((t) =>
    runHooks([redactHook], checkContext(t.text, { phase: "output", ...(final ? {} : { partial: true }) })),
  );
  return { deny: null, texts: (await Promise.all(runs)).map((run) => run.text) };
};

const choiceFrame = chatFrames("chatcmpl-p");
const frame = (delta: object, finish: string | null = null) => choiceFrame(0, delta, finish);

const pieces = [
  "Sure. Write to ann@exa",
  "mple.com or call +1 415 5",
  "55 2671 before noon; the card on file is 4111 1111 1111 1111 and nothing else. ",
  "Thanks, and see you soon at the office near the station, ann@example.com",
];
const recorded =
  frame({ role: "assistant", content: "" }) +
  pieces.map((content) => frame({ content })).join("") +
  frame({}, "stop") +
  "data: [DONE]\n\n";
const bytes = new TextEncoder().encode(recorded);
const expected =
  "Sure. Write to [EMAIL_ADDRESS_1] or call [PHONE_NUMBER_1] before noon; the card on file is [CREDIT_CARD_1] and " +
  "nothing else. Thanks, and see you soon at the office near the station, [EMAIL_ADDRESS_1]";

const cutAt = (cuts: number[]) => cutBody(bytes, cuts);

async function guarded(source: ReadableStream<Uint8Array>, window: number) {
  const outcome = emptyOutcome();
  const text = await new Response(guardStream(source, { window, judge }, outcome)).text();
  const data = text
    .split("\n\n")
    .filter((f) => f.startsWith("data: "))
    .map((f) => f.slice(6));
  const content = data
    .filter((d) => d !== "[DONE]")
    .map((d) => (JSON.parse(d) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? "")
    .join("");
  return { text, data, content, outcome };
}

describe("output PII redaction on a stream", () => {
  it("replaces every finding with its placeholder, the stream cut at every byte boundary", async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const { text, data, content, outcome } = await guarded(
        cutAt([cut, cut + 9, cut + 31, cut + 77].filter((n) => n < bytes.length)),
        40,
      );
      expect(content, `cut at ${cut}`).toBe(expected);
      for (const leak of ["ann@", "exa", "415", "2671", "4111"]) expect(text, `cut at ${cut}`).not.toContain(leak);
      expect(data.at(-1)).toBe("[DONE]");
      expect(outcome.stream.streamedText).toBe(expected);
    }
  });

  it("holds back only the window: redacted text goes out while the provider still streams", async () => {
    let push: (text: string) => void = () => {};
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(new TextEncoder().encode(text));
      },
    });
    const reader = guardStream(source, { window: 40, judge }, emptyOutcome()).getReader();
    push(
      frame({ role: "assistant", content: "" }) +
        pieces
          .slice(0, 3)
          .map((content) => frame({ content }))
          .join(""),
    );
    const first = await reader.read();
    const sent = new TextDecoder().decode(first.value);
    // The source is still open: what came out was released by the window, already redacted.
    expect(sent).toContain("[EMAIL_ADDRESS_1] or call [PHONE_NUMBER_1]");
    expect(sent).not.toContain("ann@");
    // Frames keep their shape (role, index); only the text they carry changes.
    expect(sent).toContain('"role":"assistant"');
    await reader.cancel();
  });

  it("a stream without findings goes out byte for byte", async () => {
    const clean = recorded.replace(/ann@example\.com|ann@exa|mple\.com|\+1 415 5|55 2671|4111 1111 1111 1111/g, "x");
    const source = new Response(clean).body;
    if (!source) throw new Error("no body");
    const outcome = emptyOutcome();
    const text = await new Response(guardStream(source, { window: 40, judge }, outcome)).text();
    expect(text).toBe(clean);
  });
});

describe("output redaction after an input redaction", () => {
  it("numbers after the input's placeholders and reuses one for the same value", async () => {
    const placeholders = new Map([["[EMAIL_ADDRESS_1]", "ann@example.com"]]);
    const text = "Mail ann@example.com and carol@corp-mail.com";
    const outcome = await piiCheck.run(checkContext(text, { phase: "output", placeholders }), { redact: true });
    expect(outcome.transformedText).toBe("Mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2]");
    expect(JSON.stringify(outcome.data)).not.toContain("@");
  });
});
