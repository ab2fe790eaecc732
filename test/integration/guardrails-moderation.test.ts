import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { adminCall, expectError, uniqueSlug } from "./admin-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import { createKey, createVirtualKey, withEnv } from "./governance-helpers";
import { completion } from "./routing-upstreams";

useFakeUpstreams();

const OPENAI = "https://api.openai.com/v1/chat/completions";
const MODERATIONS = "https://api.openai.com/v1/moderations";
const ask = (content: string) => ({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });
const auth = { "x-portkey-provider": "openai", authorization: "Bearer sk-test" };
const withGuardrail = (moderation: Record<string, unknown>) => ({
  ...auth,
  "x-portkey-config": JSON.stringify({ input_guardrails: [{ "default.moderation": moderation, deny: true }] }),
});

function fakeChat() {
  const seen: unknown[] = [];
  upstream.use(
    http.post(OPENAI, async ({ request }) => {
      seen.push(await request.json());
      return HttpResponse.json(completion("gpt-4o-mini", "fine"));
    }),
  );
  return seen;
}

/** A Workers AI binding as the runtime gives it: `run(model, inputs)`; Llama Guard answers text. */
function fakeAi(answer: (text: string) => string) {
  const calls: { model: string; inputs: { messages: { content: string }[] } }[] = [];
  const AI = {
    run: async (model: string, inputs: { messages: { content: string }[] }) => {
      calls.push({ model, inputs });
      return { response: answer(inputs.messages.at(-1)?.content ?? "") };
    },
  };
  return { calls, env: { AI } as unknown as Partial<Env> };
}

describe("default.moderation", () => {
  it("without the AI binding or a virtual_key it is a 400 at config time naming the path, before any call", async () => {
    const seen = fakeChat();
    const res = await gateway({ headers: withGuardrail({ categories: ["violence"] }), body: ask("hello") });
    const error = await expectError(res, 400, { code: "invalid_guardrails" });
    expect(error.message).toMatch(/^config\.input_guardrails\[0\]\.default\.moderation: no moderation classifier/);
    expect(seen).toHaveLength(0);
    const saved = await adminCall({
      method: "POST",
      path: "/guardrails",
      body: { slug: uniqueSlug("mod"), moderation: {} },
    });
    await expectError(saved, 400, { param: "default.moderation" });
    const config = { provider: "openai", api_key: "sk-t", output_guardrails: [{ moderation: {} }] };
    const r = await adminCall({ method: "POST", path: "/configs", body: { slug: uniqueSlug("mod"), config } });
    await expectError(r, 400, { param: "config.output_guardrails[0].default.moderation" });
  });

  it("with the AI binding: Llama Guard judges the text; unsafe S1 denies (446), safe passes", async () => {
    const ai = fakeAi((text) => (text.includes("attack") ? "unsafe\nS1" : "safe"));
    const seen = fakeChat();
    const denied = await withEnv(ai.env, {
      headers: withGuardrail({ categories: ["violence"] }),
      body: ask("plan an attack"),
    });
    expect(denied.status).toBe(446);
    const body = (await denied.json()) as { hook_results: { before_request_hooks: { checks: { data: unknown }[] }[] } };
    expect(body.hook_results.before_request_hooks[0]?.checks[0]?.data).toEqual({
      flagged: ["violence"],
      scores: { violence: 1 },
      threshold: 0.5,
    });
    expect(seen).toHaveLength(0);
    expect(ai.calls[0]).toEqual({
      model: "@cf/meta/llama-guard-3-8b",
      inputs: { messages: [{ role: "user", content: "plan an attack" }] },
    });
    const ok = await withEnv(ai.env, { headers: withGuardrail({}), body: ask("plan a picnic") });
    expect(ok.status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it("with a virtual_key: the provider's /v1/moderations is called with the stored key, its scores decide", async () => {
    const vk = await createVirtualKey();
    const key = await createKey();
    const moderationCalls: { auth: string | null; body: unknown }[] = [];
    upstream.use(
      http.post(MODERATIONS, async ({ request }) => {
        const body = (await request.json()) as { input: string };
        moderationCalls.push({ auth: request.headers.get("authorization"), body });
        const harassment = body.input.includes("idiot") ? 0.93 : 0.01;
        return HttpResponse.json({
          id: "modr-1",
          model: "omni-moderation-latest",
          results: [
            {
              flagged: harassment > 0.5,
              categories: { harassment: harassment > 0.5 },
              category_scores: { harassment, "harassment/threatening": 0.02, hate: 0.01, violence: 0.0 },
            },
          ],
        });
      }),
    );
    const seen = fakeChat();
    const headers = {
      ...withGuardrail({ virtual_key: vk.slug, categories: ["harassment"], threshold: 0.8 }),
      "x-portkey-api-key": key.key,
    };
    expect((await gateway({ headers, body: ask("you idiot") })).status).toBe(446);
    expect(seen).toHaveLength(0);
    expect(moderationCalls[0]).toEqual({
      auth: `Bearer ${vk.secret}`,
      body: { model: "omni-moderation-latest", input: "you idiot" },
    });
    expect((await gateway({ headers, body: ask("have a nice day") })).status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});
