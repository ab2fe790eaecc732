import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { chatFrames, choiceText as contentOf, toolArguments } from "../unit/chat-sse-fixtures";
import { chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

/*
 * An input redaction with `restore` on a streamed answer with several choices (`n = 2`) and with a streamed tool
 * call (src/pipeline/restore-stream.ts): the provider receives only the placeholder, the client gets its e-mail
 * back in every choice and inside the tool call's arguments, with the placeholder split across chunks and the
 * provider's SSE cut at awkward byte offsets.
 */

const OPENAI = "https://api.openai.com/v1/chat/completions";
const EMAIL = "ann@example.com";
const frame = chatFrames("chatcmpl-rc");

/** Choice 0 without a placeholder, choice 1 with one split over two chunks. */
const twoChoices =
  frame(0, { role: "assistant", content: "" }) +
  frame(1, { role: "assistant", content: "" }) +
  frame(0, { content: "Noted, " }) +
  frame(1, { content: "I will write to [EMAIL_ADD" }) +
  frame(0, { content: "thanks." }) +
  frame(1, { content: "RESS_1] today." }) +
  frame(0, {}, "stop") +
  frame(1, {}, "stop") +
  "data: [DONE]\n\n";

const toolCall =
  frame(0, {
    role: "assistant",
    content: null,
    tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "send_mail", arguments: "" } }],
  }) +
  frame(0, { tool_calls: [{ index: 0, function: { arguments: '{"to":"[EMAIL_' } }] }) +
  frame(0, { tool_calls: [{ index: 0, function: { arguments: 'ADDRESS_1]","subject":"hi"}' } }] }) +
  frame(0, {}, "tool_calls") +
  "data: [DONE]\n\n";

const headers = {
  "x-portkey-provider": "openai",
  authorization: "Bearer sk-test",
  "x-portkey-config": JSON.stringify({
    input_guardrails: [{ pii: { categories: ["EMAIL_ADDRESS"], redact: true, restore: true } }],
  }),
};

/** One request through the gateway; returns the client's SSE text and what the provider received. */
async function ask(recorded: string, cuts: number[], body: object) {
  const received: string[] = [];
  upstream.use(
    http.post(OPENAI, async ({ request }) => {
      received.push(await request.text());
      return new HttpResponse(chunkedBody(recorded, cuts), { headers: { "content-type": "text/event-stream" } });
    }),
  );
  const res = await gateway({ headers, body: { model: "gpt-4o-mini", stream: true, ...body } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  return { text: await res.text(), received };
}

const FIXED_CUTS = [[3], [151, 152], [250, 290, 297], [333, 334, 335, 336], [480, 520, 611]];
/** Fixed offsets, and cuts inside both halves of the split placeholder (the text is ASCII: characters are bytes). */
function cutsFor(recorded: string, halves: [string, string]): number[][] {
  const [first, second] = halves.map((half) => recorded.indexOf(half));
  if (first === undefined || second === undefined || first < 0 || second < 0) throw new Error("half not found");
  return [...FIXED_CUTS, [first + 3, second + 4], [first + 1, second + 5, second + 6]];
}

describe("input placeholders restored in every choice and in streamed tool-call arguments", () => {
  it("n = 2: choice 1's placeholder becomes the e-mail, choice 0 is untouched", async () => {
    for (const cuts of cutsFor(twoChoices, ["[EMAIL_ADD", "RESS_1] today"])) {
      const { text, received } = await ask(twoChoices, cuts, {
        n: 2,
        messages: [{ role: "user", content: `Reply to ${EMAIL} please` }],
      });
      expect(contentOf(text, 0), `cuts ${cuts.join()}`).toBe("Noted, thanks.");
      expect(contentOf(text, 1), `cuts ${cuts.join()}`).toBe(`I will write to ${EMAIL} today.`);
      expect(text, `cuts ${cuts.join()}`).not.toContain("[EMAIL_");
      expect(text.endsWith("data: [DONE]\n\n"), `cuts ${cuts.join()}`).toBe(true);
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("Reply to [EMAIL_ADDRESS_1] please");
      expect(received[0]).not.toContain(EMAIL);
    }
  });

  it("a tool call's arguments split inside the placeholder parse as JSON with the original e-mail", async () => {
    for (const cuts of cutsFor(toolCall, ["[EMAIL_", "ADDRESS_1]"])) {
      const { text, received } = await ask(toolCall, cuts, {
        messages: [{ role: "user", content: `Mail ${EMAIL} to say hi` }],
        tools: [{ type: "function", function: { name: "send_mail", parameters: { type: "object" } } }],
      });
      expect(JSON.parse(toolArguments(text, 0)), `cuts ${cuts.join()}`).toEqual({ to: EMAIL, subject: "hi" });
      expect(text, `cuts ${cuts.join()}`).not.toContain("[EMAIL_");
      expect(received[0]).toContain("Mail [EMAIL_ADDRESS_1] to say hi");
      expect(received[0]).not.toContain(EMAIL);
    }
  });

  it("a single-choice answer with nothing to restore goes out as the provider sent it, byte for byte", async () => {
    const plain =
      frame(0, { role: "assistant", content: "" }) +
      frame(0, { content: "Sure, [done]." }) +
      frame(0, {}, "stop") +
      "data: [DONE]\n\n";
    const { text, received } = await ask(plain, [5, 77, 78], {
      messages: [{ role: "user", content: `Reply to ${EMAIL}` }],
    });
    expect(text).toBe(plain);
    expect(received[0]).toContain("[EMAIL_ADDRESS_1]");
  });
});
