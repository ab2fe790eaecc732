import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";
import { completion, fakeTarget } from "./routing-upstreams";

useFakeUpstreams();

/*
 * Input hooks set on a nested target run when the engine tries that target, after the root's hooks (issue 13).
 * Providers are faked at the network edge; each fake records the bodies it received.
 */

const ask = (content: string, extra: object = {}) => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content }],
  ...extra,
});
const SSN = { "default.regexMatch": { rule: "\\d{3}-\\d{2}-\\d{4}", not: true } };
const DENY_SSN = { ...SSN, deny: true };
const REDACT_EMAIL = { pii: { categories: ["EMAIL_ADDRESS"], redact: true, restore: true } };

interface Body {
  error?: { type: string };
  choices?: { message: { content: string } }[];
  hook_results: {
    before_request_hooks: { id: string; verdict: boolean; transformed: boolean }[];
    after_request_hooks: { id: string; verdict: boolean }[];
  };
}

const send = (config: object, body: object, extra: Record<string, string> = {}) =>
  gateway({ headers: { "x-portkey-config": JSON.stringify(config), ...extra }, body });

let echoCounter = 0;

/** A target that answers the last user message it received, as JSON or as an SSE stream cut at awkward places. */
function echoTarget(name: string) {
  echoCounter += 1;
  const host = `${name}-echo-${echoCounter}.allowed.test`;
  const received: string[] = [];
  upstream.use(
    http.post(`https://${host}/v1/chat/completions`, async ({ request }) => {
      const json = (await request.json()) as { stream?: boolean; messages: { content: string }[] };
      const text = json.messages.at(-1)?.content ?? "";
      received.push(text);
      if (!json.stream) return HttpResponse.json(completion("gpt-4o-mini", `echo: ${text}`));
      const base = { id: "chatcmpl-e", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
      const frame = (delta: object, finish: string | null = null) =>
        `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      const sse = frame({ content: "echo: " }) + frame({ content: text }) + frame({}, "stop") + "data: [DONE]\n\n";
      return new HttpResponse(chunkedBody(sse, [3, 41, 97]), { headers: { "content-type": "text/event-stream" } });
    }),
  );
  return {
    received,
    target: (extra: object = {}) => ({
      provider: "openai",
      api_key: `sk-${name}`,
      custom_host: `https://${host}/v1`,
      ...extra,
    }),
  };
}

const contentOf = (data: string[]) =>
  data
    .filter((d) => d !== "[DONE]")
    .map((d) => (JSON.parse(d) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? "")
    .join("");

describe("input hooks on nested targets", () => {
  it("a target denying its input is a 446 the fallback moves past; that target receives nothing", async () => {
    const a = fakeTarget("a");
    const b = fakeTarget("b");
    const trace = uniqueTrace("nested-deny");
    const config = {
      strategy: { mode: "fallback", on_status_codes: [446] },
      targets: [a.target({ input_guardrails: [DENY_SSN] }), b.target()],
    };
    const r = await send(config, ask("my ssn is 123-45-6789"), { "x-portkey-trace-id": trace });
    expect(r.status).toBe(200);
    const body = (await r.json()) as Body;
    expect(body.choices?.[0]?.message.content).toBe("from b");
    expect([a.calls, b.calls]).toEqual([0, 1]);
    expect(body.hook_results.before_request_hooks).toMatchObject([
      { id: "targets[0].input_guardrails[0]", verdict: false },
    ]);
    const row = (await loggedRow(trace)) as unknown as {
      status: number;
      denied_by: string | null;
      hook_results: string;
    };
    expect(row.status).toBe(200);
    expect(row.denied_by).toBeNull();
    expect(row.hook_results).toContain('"targets[0].input_guardrails[0]"');
    expect(row.hook_results).not.toContain("123-45-6789");
  });

  it("without 446 in on_status_codes the client gets the 446, and no target is called", async () => {
    const a = fakeTarget("a");
    const b = fakeTarget("b");
    const trace = uniqueTrace("nested-446");
    const config = {
      strategy: { mode: "fallback", on_status_codes: [500] },
      targets: [a.target({ input_guardrails: [DENY_SSN] }), b.target()],
    };
    const r = await send(config, ask("my ssn is 123-45-6789"), { "x-portkey-trace-id": trace });
    expect(r.status).toBe(446);
    const body = (await r.json()) as Body;
    expect(body.error?.type).toBe("hooks_failed");
    expect(body.hook_results.before_request_hooks[0]?.verdict).toBe(false);
    expect([a.calls, b.calls]).toEqual([0, 0]);
    const row = (await loggedRow(trace)) as unknown as { status: number; denied_by: string | null };
    expect(row.status).toBe(446);
    expect(row.denied_by).toBe("guardrail");
  });

  it("the root's hooks run once before routing, a target's own after them, on any depth", async () => {
    const a = fakeTarget("a");
    const b = fakeTarget("b");
    const config = {
      input_guardrails: [{ "default.wordCount": { maxWords: 50 }, deny: true }],
      strategy: { mode: "fallback" },
      targets: [
        {
          strategy: { mode: "single" },
          // A group's own hooks apply to the targets under it, when one of them is tried.
          before_request_hooks: [
            {
              id: "group-ssn",
              checks: [{ id: "default.regexMatch", parameters: SSN["default.regexMatch"] }],
              deny: true,
            },
          ],
          targets: [a.target()],
        },
        b.target(),
      ],
    };
    const r = await send(config, ask("ssn 123-45-6789"));
    expect(r.status).toBe(200);
    const body = (await r.json()) as Body;
    expect(body.choices?.[0]?.message.content).toBe("from b");
    expect(body.hook_results.before_request_hooks.map((h) => [h.id, h.verdict])).toEqual([
      ["input_guardrails[0]", true],
      ["group-ssn", false],
    ]);
    expect([a.calls, b.calls]).toEqual([0, 1]);
  });

  it("a target's redaction is seen by that target only, and its placeholders are restored in its answer", async () => {
    const a = fakeTarget("a", [{ status: 500 }]);
    const b = echoTarget("b");
    const config = {
      strategy: { mode: "fallback" },
      targets: [a.target({ input_guardrails: [REDACT_EMAIL] }), b.target()],
    };
    const r = await send(config, ask("write to ann@example.com"));
    expect(r.status).toBe(200);
    expect((a.bodies[0]?.messages as { content: string }[])[0]?.content).toBe("write to [EMAIL_ADDRESS_1]");
    expect(b.received).toEqual(["write to ann@example.com"]);

    const c = echoTarget("c");
    const served = await send(
      { strategy: { mode: "fallback" }, targets: [c.target({ input_guardrails: [REDACT_EMAIL] })] },
      ask("write to ann@example.com"),
    );
    const body = (await served.json()) as Body;
    expect(c.received).toEqual(["write to [EMAIL_ADDRESS_1]"]);
    expect(body.choices?.[0]?.message.content).toBe("echo: write to ann@example.com");
    expect(body.hook_results.before_request_hooks[0]?.transformed).toBe(true);
    expect(JSON.stringify(body.hook_results)).not.toContain("ann@example.com");
  });

  it("output hooks of a nested target judge that target's answer only (already per target)", async () => {
    const a = fakeTarget("a");
    const b = fakeTarget("b");
    const denyA = { "default.contains": { words: ["from a"], operator: "none" }, deny: true };
    const config = {
      strategy: { mode: "fallback", on_status_codes: [446] },
      targets: [a.target({ output_guardrails: [denyA] }), b.target()],
    };
    const r = await send(config, ask("hi"));
    expect(r.status).toBe(200);
    const body = (await r.json()) as Body;
    expect(body.choices?.[0]?.message.content).toBe("from b");
    expect([a.calls, b.calls]).toEqual([1, 1]);
    // b has no output hooks: the results show the hook that denied a's answer.
    expect(body.hook_results.after_request_hooks).toMatchObject([{ id: "output_guardrails[0]", verdict: false }]);
  });

  it("a bad check on a nested target is a 400 naming its path, before any call", async () => {
    const a = fakeTarget("a");
    const config = {
      strategy: { mode: "fallback" },
      targets: [a.target({ input_guardrails: [{ "default.wordCount": { maxWords: "ten" } }] })],
    };
    const r = await send(config, ask("hi"));
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^config\.targets\[0\]\.input_guardrails\[0\]\.default\.wordCount\.maxWords/);
    expect(a.calls).toBe(0);
  });

  it("streams: a denied target is skipped, a nested redaction reaches only its target", async () => {
    const a = echoTarget("a");
    const b = echoTarget("b");
    const config = {
      strategy: { mode: "fallback", on_status_codes: [446] },
      targets: [a.target({ input_guardrails: [DENY_SSN] }), b.target({ input_guardrails: [REDACT_EMAIL] })],
    };
    const r = await send(config, ask("ssn 123-45-6789 for ann@example.com", { stream: true }));
    expect(r.status).toBe(200);
    const data = await sseData(r);
    expect(data.at(-1)).toBe("[DONE]");
    expect(a.received).toEqual([]);
    expect(b.received).toEqual(["ssn 123-45-6789 for [EMAIL_ADDRESS_1]"]);
    // The client gets its own address back from the placeholder the target echoed.
    expect(contentOf(data)).toBe("echo: ssn 123-45-6789 for ann@example.com");
  });
});
