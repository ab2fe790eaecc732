import { delay, http, HttpResponse } from "msw";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";
import { completion, fakeTarget } from "./routing-upstreams";

useFakeUpstreams();

const OPENAI = "https://api.openai.com/v1/chat/completions";
const auth = { "x-portkey-provider": "openai", authorization: "Bearer sk-test" };
const ask = (content: string, extra: object = {}) => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content }],
  ...extra,
});

/** A fake OpenAI that answers `content` and records every body it received. */
function fakeOpenAI(content: string) {
  const seen: Record<string, unknown>[] = [];
  upstream.use(
    http.post(OPENAI, async ({ request }) => {
      seen.push((await request.json()) as Record<string, unknown>);
      return HttpResponse.json(completion("gpt-4o-mini", content));
    }),
  );
  return seen;
}

const withConfig = (config: object, extra: Record<string, string> = {}) => ({
  ...auth,
  "x-portkey-config": JSON.stringify(config),
  ...extra,
});

interface HookResultsBody {
  error?: { type: string; message: string };
  choices?: { message: { content: string } }[];
  hook_results: {
    before_request_hooks: { verdict: boolean; checks: { id: string; verdict: boolean }[] }[];
    after_request_hooks: { verdict: boolean }[];
  };
}

const SSN = { "default.regexMatch": { rule: "\\d{3}-\\d{2}-\\d{4}", not: true } };

describe("input guardrails", () => {
  it("a denied input is a 446 with hook_results, and the provider receives nothing", async () => {
    const seen = fakeOpenAI("never");
    const r = await gateway({
      headers: withConfig({ input_guardrails: [{ ...SSN, deny: true }] }),
      body: ask("my ssn is 123-45-6789"),
    });
    expect(r.status).toBe(446);
    const body = (await r.json()) as HookResultsBody;
    expect(body.error?.type).toBe("hooks_failed");
    expect(body.hook_results.before_request_hooks[0]?.verdict).toBe(false);
    expect(body.hook_results.before_request_hooks[0]?.checks[0]?.id).toBe("default.regexMatch");
    expect(JSON.stringify(body)).not.toContain("123-45-6789");
    expect(seen).toHaveLength(0);
  });

  it("a failed hook without deny serves the answer with 246 and hook_results", async () => {
    fakeOpenAI("fine");
    const r = await gateway({ headers: withConfig({ input_guardrails: [SSN] }), body: ask("my ssn is 123-45-6789") });
    expect(r.status).toBe(246);
    const body = (await r.json()) as HookResultsBody;
    expect(body.choices?.[0]?.message.content).toBe("fine");
    expect(body.hook_results.before_request_hooks[0]?.verdict).toBe(false);
  });

  it("a passing hook: 200, and the JSON answer still carries hook_results", async () => {
    fakeOpenAI("fine");
    const r = await gateway({
      headers: withConfig({ input_guardrails: [{ ...SSN, deny: true }] }),
      body: ask("nothing here"),
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as HookResultsBody;
    expect(body.hook_results.before_request_hooks[0]?.verdict).toBe(true);
    expect(body.hook_results.after_request_hooks).toEqual([]);
  });

  it("a bad check is a 400 naming its path", async () => {
    const r = await gateway({
      headers: withConfig({ input_guardrails: [{ "default.wordCount": { maxWords: "ten" } }] }),
      body: ask("x"),
    });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/^config\.input_guardrails\[0\]/);
  });

  it("the x-portkey-default-input-guardrails header adds hooks", async () => {
    const seen = fakeOpenAI("never");
    const headers = { ...auth, "x-portkey-default-input-guardrails": JSON.stringify([{ ...SSN, deny: true }]) };
    const r = await gateway({ headers, body: ask("123-45-6789") });
    expect(r.status).toBe(446);
    expect(seen).toHaveLength(0);
  });

  it("a saved guardrail referenced by slug runs like an inline one", async () => {
    const id = crypto.randomUUID();
    const slug = `no-ssn-${id.slice(0, 8)}`;
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO guardrails (id, slug, name, created_at, updated_at, latest_version) VALUES (?, ?, ?, ?, ?, 1)",
      ).bind(id, slug, "no ssn", now, now),
      env.DB.prepare(
        "INSERT INTO guardrail_versions (guardrail_id, version, definition, created_at, created_by) VALUES (?, 1, ?, ?, 'test')",
      ).bind(id, JSON.stringify({ ...SSN, deny: true }), now),
    ]);
    const seen = fakeOpenAI("never");
    const r = await gateway({ headers: withConfig({ input_guardrails: [slug] }), body: ask("123-45-6789") });
    expect(r.status).toBe(446);
    expect(seen).toHaveLength(0);
    const missing = await gateway({ headers: withConfig({ input_guardrails: ["no-such-guardrail"] }), body: ask("x") });
    expect(missing.status).toBe(400);
  });
});

describe("output guardrails", () => {
  const noSecret = { "default.contains": { words: ["secret"], operator: "none" }, deny: true };

  it("a denied answer is a 446", async () => {
    fakeOpenAI("the secret is 42");
    const r = await gateway({ headers: withConfig({ output_guardrails: [noSecret] }), body: ask("tell me") });
    expect(r.status).toBe(446);
    const body = (await r.json()) as HookResultsBody;
    expect(body.error?.type).toBe("hooks_failed");
    expect(body.hook_results.after_request_hooks[0]?.verdict).toBe(false);
  });

  it("falls back to the next target on a 446", async () => {
    const a = fakeTarget("a", [{ status: 200 }]);
    const b = fakeTarget("b", [{ status: 200 }]);
    // fakeTarget answers "from <name>": deny the first target's answer.
    const deny = { "default.contains": { words: ["from a"], operator: "none" }, deny: true };
    const config = {
      strategy: { mode: "fallback", on_status_codes: [446] },
      output_guardrails: [deny],
      targets: [a.target(), b.target()],
    };
    const r = await gateway({ headers: { "x-portkey-config": JSON.stringify(config) }, body: ask("hi") });
    expect(r.status).toBe(200);
    const body = (await r.json()) as HookResultsBody;
    expect(body.choices?.[0]?.message.content).toBe("from b");
    expect(r.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it("one log row per request, with the verdicts and denied_by", async () => {
    fakeOpenAI("the secret is 42");
    const trace = uniqueTrace("guardrail");
    const r = await gateway({
      headers: withConfig({ output_guardrails: [noSecret] }, { "x-portkey-trace-id": trace }),
      body: ask("tell me"),
    });
    expect(r.status).toBe(446);
    const row = (await loggedRow(trace)) as unknown as { status: number; denied_by: string; hook_results: string };
    expect(row.status).toBe(446);
    expect(row.denied_by).toBe("guardrail");
    const logged = JSON.parse(row.hook_results) as HookResultsBody["hook_results"];
    expect(logged.after_request_hooks[0]?.verdict).toBe(false);
    expect(row.hook_results).not.toContain("secret is");
  });
});

describe("webhook checks", () => {
  const hook = (url: string, extra: object = {}) => ({
    input_guardrails: [{ "default.webhook": { webhookURL: url, ...extra }, deny: true }],
  });

  it("pass, fail, timeout and an SSRF refusal", async () => {
    const received: unknown[] = [];
    upstream.use(
      http.post("https://hooks.allowed.test/pass", async ({ request }) => {
        received.push(await request.json());
        return HttpResponse.json({ verdict: true });
      }),
      http.post("https://hooks.allowed.test/fail", () => HttpResponse.json({ verdict: false })),
      http.post("https://hooks.allowed.test/slow", async () => {
        await delay(2_000);
        return HttpResponse.json({ verdict: false });
      }),
    );
    const seen = fakeOpenAI("ok");
    const pass = await gateway({ headers: withConfig(hook("https://hooks.allowed.test/pass")), body: ask("hi") });
    expect(pass.status).toBe(200);
    expect(received).toHaveLength(1);
    const fail = await gateway({ headers: withConfig(hook("https://hooks.allowed.test/fail")), body: ask("hi") });
    expect(fail.status).toBe(446);
    // A check that errors (timeout) passes unless failOnError: the request goes on.
    const slow = await gateway({
      headers: withConfig(hook("https://hooks.allowed.test/slow", { timeout: 200 })),
      body: ask("hi"),
    });
    expect(slow.status).toBe(200);
    const slowBody = (await slow.json()) as {
      hook_results: { before_request_hooks: { checks: { error: unknown }[] }[] };
    };
    expect(slowBody.hook_results.before_request_hooks[0]?.checks[0]?.error).not.toBeNull();
    // A private address is refused before any fetch (msw would fail the test on an unexpected request).
    const ssrf = await gateway({
      headers: withConfig(hook("http://169.254.169.254/latest", { failOnError: true })),
      body: ask("hi"),
    });
    expect(ssrf.status).toBe(446);
    const ssrfBody = (await ssrf.json()) as {
      hook_results: { before_request_hooks: { checks: { error: { message: string } | null }[] }[] };
    };
    expect(ssrfBody.hook_results.before_request_hooks[0]?.checks[0]?.error?.message).toMatch(/refused/);
    expect(seen).toHaveLength(2);
  });
});

describe("streamed output", () => {
  const base = { id: "chatcmpl-s", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
  const frame = (content: string | null, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;
  const pieces = ["Here ", "is ", "the ", "forbid", "den ", "word ", "and more"];
  const recorded = pieces.map((p) => frame(p)).join("") + frame(null, "stop") + "data: [DONE]\n\n";
  const length = new TextEncoder().encode(recorded).length;
  const config = {
    output_guardrails: [{ "default.contains": { words: ["forbidden"], operator: "none" }, deny: true }],
  };

  it("a stream denied mid-way never delivers the offending word, at every byte boundary", async () => {
    for (let cut = 1; cut < length; cut += 1) {
      upstream.use(
        http.post(
          OPENAI,
          () =>
            new HttpResponse(chunkedBody(recorded, [cut, cut + 7]), {
              headers: { "content-type": "text/event-stream" },
            }),
        ),
      );
      const r = await gateway({ headers: withConfig(config), body: ask("hi", { stream: true }) });
      const data = await sseData(r);
      const text = data.join("");
      expect(text, `cut at ${cut}`).not.toContain("forbid");
      expect(data.at(-1), `cut at ${cut}`).toContain('"hooks_failed"');
      expect(data).not.toContain("[DONE]");
    }
  }, 180_000);

  it("a passing stream is delivered whole, ending with [DONE]", async () => {
    upstream.use(
      http.post(
        OPENAI,
        () =>
          new HttpResponse(chunkedBody(recorded.replace("forbid", "allow"), [5, 50]), {
            headers: { "content-type": "text/event-stream" },
          }),
      ),
    );
    const r = await gateway({ headers: withConfig(config), body: ask("hi", { stream: true }) });
    const data = await sseData(r);
    expect(data.at(-1)).toBe("[DONE]");
    expect(data.join("")).toContain('"content":"allow"');
  });
});
