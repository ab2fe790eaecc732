import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { adminCall, expectError, uniqueSlug } from "./admin-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import { createKey } from "./governance-helpers";
import { completion } from "./routing-upstreams";

useFakeUpstreams();

const OPENAI = "https://api.openai.com/v1/chat/completions";
const ask = (content: string) => ({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });
const BAD = { "default.wordCount": { maxWords: "ten" } };

/** A fake OpenAI that records what it received and answers `reply(lastUserText)`. */
function fakeOpenAI(reply: (text: string) => string = () => "fine") {
  const seen: string[] = [];
  upstream.use(
    http.post(OPENAI, async ({ request }) => {
      const body = (await request.json()) as { messages: { content: string }[] };
      const text = body.messages.at(-1)?.content ?? "";
      seen.push(text);
      return HttpResponse.json(completion("gpt-4o-mini", reply(text)));
    }),
  );
  return seen;
}

describe("guardrails are checked when a config or key is saved", () => {
  it("a saved config with a bad check in a nested target is a 400 naming the path", async () => {
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        { provider: "openai", api_key: "sk-test-1" },
        { provider: "openai", api_key: "sk-test-2", output_guardrails: [BAD] },
      ],
    };
    const res = await adminCall({ method: "POST", path: "/configs", body: { slug: uniqueSlug("bad-gr"), config } });
    const error = await expectError(res, 400, {
      code: "invalid_guardrails",
      param: "config.targets[1].output_guardrails[0].default.wordCount.maxWords",
    });
    expect(error.message).toMatch(/^config\.targets\[1\]\.output_guardrails\[0\]\.default\.wordCount\.maxWords: /);
  });

  it("an unknown check and an input-only check on the output are refused; saved-guardrail refs are kept", async () => {
    const unknown = { provider: "openai", api_key: "sk-t", before_request_hooks: [{ checks: [{ id: "nope" }] }] };
    const r1 = await adminCall({ method: "POST", path: "/configs", body: { slug: uniqueSlug("u"), config: unknown } });
    expect(
      (await expectError(r1, 400, { param: "config.before_request_hooks[0].checks[0].parameters" })).message,
    ).toContain("unknown check");
    const wrongPhase = {
      provider: "openai",
      api_key: "sk-t",
      output_guardrails: [{ requiredMetadataKeys: { metadataKeys: ["a"] } }],
    };
    const r2 = await adminCall({ method: "PUT", path: "/configs/whatever", body: { config: wrongPhase } });
    await expectError(r2, 400, { param: "config.output_guardrails[0].default.requiredMetadataKeys" });
    const withRef = { provider: "openai", api_key: "sk-t", input_guardrails: ["created-later"] };
    const r3 = await adminCall({
      method: "POST",
      path: "/configs",
      body: { slug: uniqueSlug("ref"), config: withRef },
    });
    expect(r3.status).toBe(201);
  });

  it("a gateway key's inline default_config and default_guardrails with a bad check are 400s naming the path", async () => {
    const config = { provider: "openai", input_guardrails: [BAD] };
    const r1 = await adminCall({ method: "POST", path: "/keys", body: { name: "k", default_config: config } });
    await expectError(r1, 400, { param: "default_config.input_guardrails[0].default.wordCount.maxWords" });
    const r2 = await adminCall({
      method: "POST",
      path: "/keys",
      body: { name: "k", default_guardrails: { input: [BAD] } },
    });
    const error = await expectError(r2, 400, { code: "invalid_guardrails" });
    expect(error.message).toMatch(/^default_guardrails\.input\[0\]\.default\.wordCount\.maxWords: /);
  });
});

describe("a key's default guardrails and PII redaction end to end", () => {
  it("the key's default input guardrail still denies when the request brings its own config and header", async () => {
    const key = await createKey({
      default_guardrails: { input: [{ contains: { words: ["forbidden"], operator: "none" }, deny: true }], output: [] },
    });
    const seen = fakeOpenAI();
    const headers = {
      "x-portkey-api-key": key.key,
      authorization: "Bearer sk-own",
      "x-portkey-config": JSON.stringify({ provider: "openai", input_guardrails: [] }),
      "x-portkey-default-input-guardrails": "[]",
    };
    const denied = await gateway({ headers, body: ask("this is forbidden") });
    expect(denied.status).toBe(446);
    expect(seen).toHaveLength(0);
    const allowed = await gateway({ headers, body: ask("this is fine") });
    expect(allowed.status).toBe(200);
    expect(seen).toEqual(["this is fine"]);
  });

  it("the provider receives placeholders and the client gets its own values back", async () => {
    const seen = fakeOpenAI((text) => `You wrote: ${text}`);
    const pii = { pii: { categories: ["EMAIL_ADDRESS", "CREDIT_CARD"], redact: true, restore: true } };
    const headers = {
      "x-portkey-provider": "openai",
      authorization: "Bearer sk-test",
      "x-portkey-config": JSON.stringify({ input_guardrails: [pii] }),
    };
    const original = "mail ann@example.com, card 4111 1111 1111 1111, again ann@example.com";
    const res = await gateway({ headers, body: ask(original) });
    expect(res.status).toBe(200);
    expect(seen).toEqual(["mail [EMAIL_ADDRESS_1], card [CREDIT_CARD_1], again [EMAIL_ADDRESS_1]"]);
    const body = (await res.json()) as { choices: { message: { content: string } }[]; hook_results: unknown };
    expect(body.choices[0]?.message.content).toBe(`You wrote: ${original}`);
    expect(JSON.stringify(body.hook_results)).not.toContain("ann@example.com");
  });
});
