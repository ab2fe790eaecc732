import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { adminCall } from "./admin-helpers";
import { dash, signIn } from "./dashboard-helpers";
import { createKey, createVirtualKey, withEnv } from "./governance-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace, type LogRowRaw } from "./observability-helpers";

/**
 * Guardrail denials, flags and moderation classifier cost, from real requests through the log queue to
 * /admin/analytics (rollups) and the request's log row.
 */

useFakeUpstreams();

/** Each test waits for its requests' log rows to come through the queue. */
const LOGGED = { timeout: 30_000 };

const OPENAI = "https://api.openai.com/v1/chat/completions";
const GROQ = "https://api.groq.com/openai/v1/chat/completions";

interface Block {
  requests: number;
  cost_usd: number;
  guardrail_denied: number;
  guardrail_flagged: number;
  guardrail_cost_usd: number;
}
interface Report {
  totals: Block;
  series: Array<Block & { start: string }>;
  groups: Array<{ value: string; totals: Block; series: Block[] }> | null;
}

async function analytics(query = ""): Promise<Report> {
  const res = await adminCall({ path: `/analytics?interval=hour${query}` });
  expect(res.status).toBe(200);
  return (await res.json()) as Report;
}

/** The overview's guardrails card: label, value, and the line under it. */
const CARD =
  /data-stat="guardrails">\s*<div class="label">([^<]*)<\/div>\s*<div class="value">([^<]*)<\/div>\s*<div class="sub">([^<]*)</;

const groupOf = (report: Report, value: string) => report.groups?.find((g) => g.value === value);

/** An OpenAI chat answer with the given model and usage, as the provider sends it. */
function fakeOpenAi(usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }) {
  const seen: string[] = [];
  upstream.use(
    http.post(OPENAI, async ({ request }) => {
      const body = (await request.json()) as { model: string };
      seen.push(body.model);
      return HttpResponse.json({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop", logprobs: null }],
        usage,
      });
    }),
  );
  return seen;
}

type Row = LogRowRaw & { denied_by: string | null; guardrail_flagged: number; guardrail_cost_usd: number | null };

/** One chat request whose log row has arrived; returns the row. */
async function send(headers: Record<string, string>, model: string, content: string, status: number) {
  const trace = uniqueTrace("guard-analytics");
  const res = await gateway({
    headers: { ...headers, "x-portkey-trace-id": trace },
    body: { model, messages: [{ role: "user", content }] },
  });
  expect(res.status).toBe(status);
  await res.arrayBuffer();
  return (await loggedRow(trace)) as Row;
}

/** The same with bindings overridden (the AI binding), answered 200. */
async function sendWith(overrides: Partial<Env>, headers: Record<string, string>, content: string) {
  const trace = uniqueTrace("guard-analytics-ai");
  const res = await withEnv(overrides, {
    headers: { ...headers, "x-portkey-trace-id": trace },
    body: { model: "gpt-4o-mini", messages: [{ role: "user", content }] },
  });
  expect(res.status).toBe(200);
  return (await loggedRow(trace)) as Row;
}

describe("analytics: guardrail denials and flags", () => {
  it(
    "N denied + M flagged + K clean requests count exactly so in totals, the series and group_by=model",
    LOGGED,
    async () => {
      const model = `guard-count-${crypto.randomUUID().slice(0, 8)}`;
      const seen = fakeOpenAi();
      const config = {
        input_guardrails: [
          { "default.contains": { words: ["forbidden"], operator: "none" }, deny: true },
          { "default.contains": { words: ["dubious"], operator: "none" } },
        ],
      };
      const headers = {
        "x-portkey-provider": "openai",
        authorization: "Bearer sk-test",
        "x-portkey-config": JSON.stringify(config),
      };
      const before = await analytics();
      const rows = [
        ...(await Promise.all([1, 2].map(() => send(headers, model, "a forbidden question", 446)))),
        ...(await Promise.all([1, 2, 3].map(() => send(headers, model, "a dubious question", 246)))),
        ...(await Promise.all([1, 2, 3, 4].map(() => send(headers, model, "a fine question", 200)))),
      ];
      expect(seen).toHaveLength(7); // the two denied requests never reached the provider
      expect(rows.map((r) => [r.status, r.denied_by, r.guardrail_flagged])).toEqual([
        [446, "guardrail", 0],
        [446, "guardrail", 0],
        [246, null, 1],
        [246, null, 1],
        [246, null, 1],
        [200, null, 0],
        [200, null, 0],
        [200, null, 0],
        [200, null, 0],
      ]);

      const after = await analytics("&group_by=model");
      expect(after.totals.requests - before.totals.requests).toBe(9);
      expect(after.totals.guardrail_denied - before.totals.guardrail_denied).toBe(2);
      expect(after.totals.guardrail_flagged - before.totals.guardrail_flagged).toBe(3);
      const group = groupOf(after, model);
      expect(group?.totals).toMatchObject({ requests: 9, guardrail_denied: 2, guardrail_flagged: 3 });
      expect(group?.series).toHaveLength(1);
      expect(group?.series[0]).toMatchObject({ requests: 9, guardrail_denied: 2, guardrail_flagged: 3 });
      const bucket = after.series.at(-1);
      const earlier = before.series.find((p) => p.start === bucket?.start);
      expect((bucket?.guardrail_denied ?? 0) - (earlier?.guardrail_denied ?? 0)).toBe(2);
      expect((bucket?.guardrail_flagged ?? 0) - (earlier?.guardrail_flagged ?? 0)).toBe(3);

      // The dashboard overview reads the same analytics(): its guardrails card shows the denials, the flags under them.
      const page = await (await dash("/dashboard", { cookie: await signIn() })).text();
      const card = page.match(CARD);
      expect(card?.slice(1)).toEqual([
        "Guardrail denials",
        String(after.totals.guardrail_denied),
        `${after.totals.guardrail_flagged} flagged`,
      ]);
    },
  );
});

describe("the moderation classifier's cost", () => {
  /** Groq serves Llama Guard as a chat model: `safe`, or `unsafe` and the hazard codes; usage as for any chat. */
  function fakeGroqLlamaGuard() {
    const calls: Array<{ auth: string | null; body: unknown }> = [];
    upstream.use(
      http.post(GROQ, async ({ request }) => {
        const body = (await request.json()) as { model: string; messages: Array<{ content: string }> };
        calls.push({ auth: request.headers.get("authorization"), body });
        const unsafe = body.messages.at(-1)?.content.includes("attack") === true;
        return HttpResponse.json({
          id: "chatcmpl-guard",
          object: "chat.completion",
          created: 1,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: unsafe ? "unsafe\nS1" : "safe" },
              finish_reason: "stop",
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 120, completion_tokens: unsafe ? 5 : 2, total_tokens: unsafe ? 125 : 122 },
          x_groq: { id: "req_1" },
        });
      }),
    );
    return calls;
  }

  it(
    "is priced from the price table into the row's guardrail_cost_usd, its cost_usd and analytics",
    LOGGED,
    async () => {
      const vk = await createVirtualKey({ provider: "groq" });
      const key = await createKey();
      const calls = fakeGroqLlamaGuard();
      fakeOpenAi({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
      const moderation = { virtual_key: vk.slug, model: "llama-guard-3-8b", categories: ["violence"] };
      const headers = {
        "x-portkey-provider": "openai",
        authorization: "Bearer sk-test",
        "x-portkey-api-key": key.key,
        "x-portkey-config": JSON.stringify({ input_guardrails: [{ "default.moderation": moderation, deny: true }] }),
      };
      const model = "gpt-4o-mini-2024-07-18"; // $0.15 / $0.60 per million tokens
      const before = await analytics("&group_by=model");

      const served = await send(headers, model, "plan a picnic", 200);
      const denied = await send(headers, model, "plan an attack", 446);

      expect(calls[0]).toEqual({
        auth: `Bearer ${vk.secret}`,
        body: { model: "llama-guard-3-8b", messages: [{ role: "user", content: "plan a picnic" }], max_tokens: 32 },
      });
      // groq llama-guard-3-8b: $0.20 per million tokens in and out.
      const safeCall = 122 * 0.2e-6;
      const unsafeCall = 125 * 0.2e-6;
      const chat = 10 * 0.15e-6 + 5 * 0.6e-6;
      expect(served.guardrail_cost_usd).toBeCloseTo(safeCall, 12);
      expect(served.cost_usd).toBeCloseTo(chat + safeCall, 12);
      expect(served.priced_as).toBe("openai/gpt-4o-mini-2024-07-18");
      // Denied before any provider call: the classifier is all it cost.
      expect(denied.guardrail_cost_usd).toBeCloseTo(unsafeCall, 12);
      expect(denied.cost_usd).toBeCloseTo(unsafeCall, 12);

      const after = await analytics("&group_by=model");
      const delta = (pick: (r: Report) => number) => pick(after) - pick(before);
      expect(delta((r) => r.totals.guardrail_cost_usd)).toBeCloseTo(safeCall + unsafeCall, 12);
      expect(delta((r) => r.totals.cost_usd)).toBeCloseTo(chat + safeCall + unsafeCall, 12);
      const groupDelta = (field: keyof Block) => delta((r) => groupOf(r, model)?.totals[field] ?? 0);
      expect(groupDelta("guardrail_cost_usd")).toBeCloseTo(safeCall + unsafeCall, 12);
      expect(groupDelta("cost_usd")).toBeCloseTo(chat + safeCall + unsafeCall, 12);
      expect(groupDelta("guardrail_denied")).toBe(1);

      const logs = await adminCall({ path: `/logs/${served.trace_id}` });
      const log = ((await logs.json()) as { data: Array<{ guardrail_cost_usd: number }> }).data[0];
      expect(log?.guardrail_cost_usd).toBeCloseTo(safeCall, 12);
    },
  );

  it(
    "on the AI binding: Workers AI's usage priced as workers-ai, or the tokens estimated when it reports none",
    LOGGED,
    async () => {
      const answers: unknown[] = [
        { response: "safe", usage: { prompt_tokens: 1000, completion_tokens: 10, total_tokens: 1010 } },
        { response: "safe" },
      ];
      const AI = { run: async () => answers.shift() };
      fakeOpenAi();
      const config = { input_guardrails: [{ "default.moderation": { categories: ["violence"] }, deny: true }] };
      const headers = {
        "x-portkey-provider": "openai",
        authorization: "Bearer sk-test",
        "x-portkey-config": JSON.stringify(config),
      };
      const reported = await sendWith({ AI } as unknown as Partial<Env>, headers, "plan a picnic");
      // workers-ai @cf/meta/llama-guard-3-8b: $0.484 per million tokens in, $0.03 out.
      expect(reported.guardrail_cost_usd).toBeCloseTo(1000 * 0.484e-6 + 10 * 0.03e-6, 12);
      const estimated = await sendWith({ AI } as unknown as Partial<Env>, headers, "plan a picnic ".repeat(40));
      expect(estimated.guardrail_cost_usd).toBeGreaterThan(0);
      expect(answers).toHaveLength(0);
    },
  );
});
