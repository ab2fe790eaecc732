import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { adminCall, json } from "./admin-helpers";
import { useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";
import { completion, createPrompt, fakeOpenAi, PASSTHROUGH } from "./prompts-helpers";
import { unique } from "./governance-helpers";

useFakeUpstreams();

/** A key-shaped value (masked by pattern) and the caller's own provider key (masked because it was presented). */
const PASTED_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";
const CALLER_KEY = "caller-provider-key-0000";

const template = () => ({
  slug: unique("vars"),
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "Hello {{name}}, about {{topic}}" }],
});

async function runLogged(vars: Partial<Env>, variables: Record<string, unknown>) {
  const prompt = await createPrompt(template());
  fakeOpenAi(() => HttpResponse.json(completion("ok")));
  const trace = uniqueTrace("prompt-vars");
  const headers = { ...PASSTHROUGH, authorization: `Bearer ${CALLER_KEY}`, "x-portkey-trace-id": trace };
  const res = await callWith(vars, { path: `/v1/prompts/${prompt.slug}/completions`, headers, body: { variables } });
  expect(res.status, res.text).toBe(200);
  const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
  return { prompt, trace, row };
}

interface LogDetail {
  prompt?: { id: string; version: number; label: string | null };
  bodies: { request: string | null; response: string | null; prompt_variables?: string; truncated: boolean } | null;
}

const detailOf = async (trace: string) =>
  (await json<{ data: LogDetail[] }>(await adminCall({ path: `/logs/${trace}` }))).data[0];

describe("a prompt run's variables in the log", { timeout: 30_000 }, () => {
  it("with body logging on: stored as their own field, scrubbed like the bodies, shown beside the bodies", async () => {
    const variables = { name: `Ada (${CALLER_KEY})`, topic: `my key ${PASTED_KEY}`, formal: true };
    const { prompt, trace, row } = await runLogged({ LOG_BODIES: "true" }, variables);
    const stored = row.prompt_variables;
    expect(stored).toBe(JSON.stringify({ name: "Ada ([REDACTED])", topic: "my key [REDACTED]", formal: true }));
    expect(row).toMatchObject({ prompt_id: prompt.id, prompt_version: 1, bodies_truncated: 0 });
    for (const column of ["prompt_variables", "request_body"]) {
      expect(String(row[column])).not.toContain(PASTED_KEY);
      expect(String(row[column])).not.toContain(CALLER_KEY);
    }

    const detail = await detailOf(trace);
    expect(detail?.prompt).toEqual({ id: prompt.id, version: 1, label: null });
    expect(detail?.bodies?.prompt_variables).toBe(stored);
    expect(detail?.bodies?.request).toBe(row.request_body);
  });

  it("are cut to LOG_BODY_MAX_BYTES like a body, and say so in bodies_truncated", async () => {
    const { row } = await runLogged(
      { LOG_BODIES: "true", LOG_BODY_MAX_BYTES: "20000" },
      { name: "é".repeat(15_000), topic: "t" },
    );
    const stored = String(row.prompt_variables);
    expect(new TextEncoder().encode(stored).byteLength).toBeLessThanOrEqual(20_000);
    expect(stored.startsWith('{"name":"éé')).toBe(true);
    expect(row.bodies_truncated).toBe(1);
  });

  it("with body logging off: the prompt fields are logged, the variables are not", async () => {
    const { prompt, trace, row } = await runLogged({}, { name: "Ada", topic: `my key ${PASTED_KEY}` });
    expect(row).toMatchObject({ prompt_id: prompt.id, prompt_version: 1, prompt_variables: null, request_body: null });
    const detail = await detailOf(trace);
    expect(detail?.prompt).toEqual({ id: prompt.id, version: 1, label: null });
    expect(detail?.bodies).toBeNull();
  });
});
