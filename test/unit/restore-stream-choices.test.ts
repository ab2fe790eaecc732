import { describe, expect, it } from "vitest";
import { restoreStream } from "../../src/pipeline/restore-stream";

/*
 * The stream restorer (src/pipeline/restore-stream.ts) puts an input redaction's originals back in every choice
 * of an `n > 1` stream and inside streamed tool-call arguments (JSON-escaped there), with placeholders split across
 * chunks and fragments, and the client's stream cut at every byte. A stream with nothing to restore goes out byte
 * for byte.
 */

const EMAIL = "ann@example.com";
/** A name with characters JSON must escape: restored in arguments, it must keep them valid JSON. */
const QUOTED = 'Ann "the boss" \\ Smith';
const restore = new Map([
  ["[EMAIL_ADDRESS_1]", EMAIL],
  ["[PERSON_1]", QUOTED],
]);

const base = { id: "chatcmpl-u", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
const frame = (index: number, delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index, delta, finish_reason: finish }] })}\n\n`;

const twoChoices =
  frame(0, { role: "assistant", content: "" }) +
  frame(1, { role: "assistant", content: "" }) +
  frame(0, { content: "The weather is " }) +
  frame(1, { content: "Write to [EMAIL_" }) +
  frame(0, { content: "fine [EMAIL" }) +
  frame(1, { content: "ADDRESS_1] for the details, " }) +
  frame(0, { content: "_ADDRESS_1]." }) +
  frame(1, { content: "thanks [PERS" }) +
  frame(0, {}, "stop") +
  frame(1, {}, "stop") +
  "data: [DONE]\n\n";

const toolStream = (args: string[], finish = true) =>
  frame(0, {
    role: "assistant",
    content: null,
    tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "send", arguments: "" } }],
  }) +
  args.map((piece) => frame(0, { tool_calls: [{ index: 0, function: { arguments: piece } }] })).join("") +
  (finish ? frame(0, {}, "tool_calls") : "") +
  "data: [DONE]\n\n";

interface Chunk {
  choices: {
    index: number;
    finish_reason: string | null;
    delta: { content?: string | null; tool_calls?: { index: number; function?: { arguments?: string } }[] };
  }[];
}
const chunks = (text: string) =>
  text
    .split("\n\n")
    .filter((f) => f.startsWith("data: ") && f !== "data: [DONE]")
    .map((f) => JSON.parse(f.slice(6)) as Chunk);
const choicesOf = (text: string, index: number) =>
  chunks(text)
    .flatMap((c) => c.choices)
    .filter((c) => c.index === index);
const contentOf = (text: string, index: number) =>
  choicesOf(text, index)
    .map((c) => c.delta.content ?? "")
    .join("");
const argumentsOf = (text: string) =>
  choicesOf(text, 0)
    .flatMap((c) => c.delta.tool_calls ?? [])
    .map((call) => call.function?.arguments ?? "")
    .join("");

function cutAt(bytes: Uint8Array, cut: number): ReadableStream<Uint8Array> {
  const bounds = [0, ...[cut, cut + 7, cut + 61].filter((n) => n < bytes.length), bytes.length];
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i >= bounds.length - 1) return controller.close();
      controller.enqueue(bytes.slice(bounds[i], bounds[i + 1]));
      i++;
    },
  });
}

async function eachCut(recorded: string, check: (text: string, cut: number) => void) {
  const bytes = new TextEncoder().encode(recorded);
  for (let cut = 1; cut < bytes.length; cut++)
    check(await new Response(restoreStream(cutAt(bytes, cut), restore)).text(), cut);
}

describe("restoring placeholders in a stream with n = 2, cut at every byte", () => {
  it("restores each choice on its own; a held tail goes out before its choice's finish", async () => {
    await eachCut(twoChoices, (text, cut) => {
      expect(contentOf(text, 0), `cut at ${cut}`).toBe(`The weather is fine ${EMAIL}.`);
      expect(contentOf(text, 1), `cut at ${cut}`).toBe(`Write to ${EMAIL} for the details, thanks [PERS`);
      expect(text, `cut at ${cut}`).not.toContain("_ADDRESS_1]");
      // Choice 1's held "[PERS" comes before choice 1's finish chunk, and the finish chunks are the provider's.
      const one = choicesOf(text, 1);
      expect(one.at(-1), `cut at ${cut}`).toEqual({ index: 1, delta: {}, finish_reason: "stop" });
      expect(one.at(-2)?.delta.content, `cut at ${cut}`).toBe("[PERS");
      expect(text.endsWith("data: [DONE]\n\n"), `cut at ${cut}`).toBe(true);
    });
  });
});

describe("restoring placeholders in streamed tool-call arguments, cut at every byte", () => {
  it("a placeholder split across two fragments: the joined arguments parse with the original", async () => {
    const recorded = toolStream(['{"to":"[EMAIL_ADD', 'RESS_1]","n":2}']);
    await eachCut(recorded, (text, cut) => {
      expect(JSON.parse(argumentsOf(text)), `cut at ${cut}`).toEqual({ to: EMAIL, n: 2 });
      expect(text, `cut at ${cut}`).not.toContain("[EMAIL_");
    });
  });

  it("an original with quotes and a backslash is JSON-escaped inside the arguments", async () => {
    const recorded = toolStream(['{"name":"[PER', 'SON_1]","cc":"[EMAIL_ADDRESS_1]"}']);
    await eachCut(recorded, (text, cut) => {
      expect(JSON.parse(argumentsOf(text)), `cut at ${cut}`).toEqual({ name: QUOTED, cc: EMAIL });
    });
  });

  it("arguments ending in a possible placeholder: the tail goes out before [DONE] when no finish comes", async () => {
    const recorded = toolStream(["not json [EMAIL_ADDRESS_1] and [EMAIL"], false);
    await eachCut(recorded, (text, cut) => {
      expect(argumentsOf(text), `cut at ${cut}`).toBe(`not json ${EMAIL} and [EMAIL`);
      expect(text.endsWith("data: [DONE]\n\n"), `cut at ${cut}`).toBe(true);
    });
  });
});

describe("a stream with nothing to restore", () => {
  it("goes out byte for byte, single choice, finish chunk included", async () => {
    const plain =
      frame(0, { role: "assistant", content: "" }) +
      frame(0, { content: "Nothing [here] to " }) +
      frame(0, { content: "restore [EMAIL] at all." }) +
      frame(0, {}, "stop") +
      "data: [DONE]\n\n";
    await eachCut(plain, (text, cut) => expect(text, `cut at ${cut}`).toBe(plain));
  });

  it("a tool call without placeholders goes out byte for byte", async () => {
    const plain = toolStream(['{"to":"desk', '","n":2}']);
    await eachCut(plain, (text, cut) => expect(text, `cut at ${cut}`).toBe(plain));
  });
});
