import { describe, expect, it } from "vitest";
import { restoreStream } from "../../src/pipeline/restore-stream";
import { chatFrames, choiceText as contentOf, cutBody, streamChoices, toolArguments } from "./chat-sse-fixtures";

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

const frame = chatFrames("chatcmpl-u");

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

async function eachCut(recorded: string, check: (text: string, cut: number) => void) {
  const bytes = new TextEncoder().encode(recorded);
  for (let cut = 1; cut < bytes.length; cut++)
    check(await new Response(restoreStream(cutBody(bytes, [cut, cut + 7, cut + 61]), restore)).text(), cut);
}

describe("restoring placeholders in a stream with n = 2, cut at every byte", () => {
  it("restores each choice on its own; a held tail goes out before its choice's finish", async () => {
    await eachCut(twoChoices, (text, cut) => {
      expect(contentOf(text, 0), `cut at ${cut}`).toBe(`The weather is fine ${EMAIL}.`);
      expect(contentOf(text, 1), `cut at ${cut}`).toBe(`Write to ${EMAIL} for the details, thanks [PERS`);
      expect(text, `cut at ${cut}`).not.toContain("_ADDRESS_1]");
      // Choice 1's held "[PERS" comes before choice 1's finish chunk, and the finish chunks are the provider's.
      const one = streamChoices(text, 1);
      expect(one.at(-1), `cut at ${cut}`).toEqual({ index: 1, delta: {}, finish_reason: "stop" });
      expect(one.at(-2)?.delta?.content, `cut at ${cut}`).toBe("[PERS");
      expect(text.endsWith("data: [DONE]\n\n"), `cut at ${cut}`).toBe(true);
    });
  });
});

describe("restoring placeholders in streamed tool-call arguments, cut at every byte", () => {
  it("a placeholder split across two fragments: the joined arguments parse with the original", async () => {
    const recorded = toolStream(['{"to":"[EMAIL_ADD', 'RESS_1]","n":2}']);
    await eachCut(recorded, (text, cut) => {
      expect(JSON.parse(toolArguments(text, 0)), `cut at ${cut}`).toEqual({ to: EMAIL, n: 2 });
      expect(text, `cut at ${cut}`).not.toContain("[EMAIL_");
    });
  });

  it("an original with quotes and a backslash is JSON-escaped inside the arguments", async () => {
    const recorded = toolStream(['{"name":"[PER', 'SON_1]","cc":"[EMAIL_ADDRESS_1]"}']);
    await eachCut(recorded, (text, cut) => {
      expect(JSON.parse(toolArguments(text, 0)), `cut at ${cut}`).toEqual({ name: QUOTED, cc: EMAIL });
    });
  });

  it("arguments ending in a possible placeholder: the tail goes out before [DONE] when no finish comes", async () => {
    const recorded = toolStream(["not json [EMAIL_ADDRESS_1] and [EMAIL"], false);
    await eachCut(recorded, (text, cut) => {
      expect(toolArguments(text, 0), `cut at ${cut}`).toBe(`not json ${EMAIL} and [EMAIL`);
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
