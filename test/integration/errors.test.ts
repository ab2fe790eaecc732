import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { delay, http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { PROVIDER_IDS } from "../../schema/provider-ids";
import { app } from "../../src/app";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const URL = "https://api.openai.com/v1/chat/completions";
const headers = { "x-portkey-provider": "openai", authorization: "Bearer sk-secret-key" };
const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] };

async function expectEnvelope(res: Response, status: number, error: Record<string, unknown>) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  expect(body.error).toMatchObject(error);
  return body.error;
}

describe("request validation", () => {
  it("400 for malformed JSON", async () => {
    await expectEnvelope(await gateway({ headers, body: "{not json" }), 400, {
      type: "invalid_request_error",
      code: "invalid_json",
    });
  });

  it("400 naming the missing field", async () => {
    const error = await expectEnvelope(await gateway({ headers, body: { model: "gpt-4o-mini" } }), 400, {
      param: "messages",
    });
    expect(error.message).toMatch(/^messages: /);
  });

  it("400 naming a nested bad field and the reason", async () => {
    const body = { ...chat, temperature: 7 };
    const error = await expectEnvelope(await gateway({ headers, body }), 400, { param: "temperature" });
    expect(error.message).toMatch(/^temperature: .*2/);
    const badRole = {
      model: "m",
      messages: [
        { role: "user", content: "a" },
        { role: "robot", content: "b" },
      ],
    };
    expect((await expectEnvelope(await gateway({ headers, body: badRole }), 400, {})).param).toBe("messages[1].role");
  });

  it("413 for a body over the configured limit", async () => {
    const huge = { ...chat, messages: [{ role: "user", content: "x".repeat(4 * 1024 * 1024 + 1) }] };
    await expectEnvelope(await gateway({ headers, body: huge }), 413, { type: "request_too_large" });
  });

  it("400 naming every valid provider for an unknown one", async () => {
    const error = await expectEnvelope(await gateway({ headers: { "x-portkey-provider": "acme" }, body: chat }), 400, {
      param: "x-portkey-provider",
      code: "unknown_provider",
    });
    for (const id of PROVIDER_IDS) expect(error.message).toContain(id);
  });

  it("400 when no provider is selected", async () => {
    await expectEnvelope(await gateway({ body: chat }), 400, { param: "x-portkey-provider" });
  });

  it("400 for an operation the provider lacks", async () => {
    const res = await gateway({
      path: "/v1/embeddings",
      headers: { "x-portkey-provider": "groq", authorization: "Bearer k" },
      body: { model: "m", input: "hi" },
    });
    await expectEnvelope(res, 400, { code: "unsupported_operation" });
  });

  it("400 for n beyond what the provider supports", async () => {
    const res = await gateway({
      headers: { "x-portkey-provider": "groq", authorization: "Bearer k" },
      body: { ...chat, n: 2 },
    });
    await expectEnvelope(res, 400, { param: "n", code: "unsupported_parameter" });
  });

  it("404 in the envelope for an unknown route", async () => {
    await expectEnvelope(await gateway({ path: "/v1/nope", headers, body: chat }), 404, { code: "route_not_found" });
  });
});

describe("upstream failures", () => {
  it("keeps the provider's status and message for a 500", async () => {
    upstream.use(
      http.post(URL, () =>
        HttpResponse.json(
          { error: { message: "The server had an error", type: "server_error", param: null, code: null } },
          { status: 500 },
        ),
      ),
    );
    await expectEnvelope(await gateway({ headers, body: chat }), 500, {
      message: "The server had an error",
      type: "server_error",
    });
  });

  it("keeps 429 with its Retry-After", async () => {
    upstream.use(
      http.post(URL, () =>
        HttpResponse.json(
          {
            error: {
              message: "Rate limit reached for gpt-4o-mini",
              type: "requests",
              param: null,
              code: "rate_limit_exceeded",
            },
          },
          { status: 429, headers: { "retry-after": "7" } },
        ),
      ),
    );
    const res = await gateway({ headers, body: chat });
    expect(res.headers.get("retry-after")).toBe("7");
    await expectEnvelope(res, 429, { code: "rate_limit_exceeded", message: "Rate limit reached for gpt-4o-mini" });
  });

  it("normalises a plain-text upstream error", async () => {
    upstream.use(http.post(URL, () => new HttpResponse("Bad Gateway from the load balancer", { status: 503 })));
    await expectEnvelope(await gateway({ headers, body: chat }), 503, {
      message: "Bad Gateway from the load balancer",
      type: "upstream_error",
    });
  });

  it("502 for malformed JSON in a 2xx answer", async () => {
    upstream.use(
      http.post(
        URL,
        () => new HttpResponse('{"id": "x", "choices": [', { headers: { "content-type": "application/json" } }),
      ),
    );
    await expectEnvelope(await gateway({ headers, body: chat }), 502, { code: "upstream_malformed_response" });
  });

  it("502 for a 2xx answer of the wrong shape", async () => {
    upstream.use(http.post(URL, () => HttpResponse.json({ hello: "world" })));
    await expectEnvelope(await gateway({ headers, body: chat }), 502, { code: "upstream_malformed_response" });
  });

  it("502 when the upstream is unreachable", async () => {
    upstream.use(http.post(URL, () => HttpResponse.error()));
    await expectEnvelope(await gateway({ headers, body: chat }), 502, { code: "upstream_unreachable" });
  });

  it("408 when the upstream does not answer within x-portkey-request-timeout", async () => {
    upstream.use(
      http.post(URL, async () => {
        await delay(2_000);
        return HttpResponse.json({});
      }),
    );
    const res = await gateway({ headers: { ...headers, "x-portkey-request-timeout": "100" }, body: chat });
    await expectEnvelope(res, 408, { type: "timeout_error", code: "upstream_timeout" });
  });

  it("400 for a timeout header that is not a positive integer", async () => {
    await expectEnvelope(
      await gateway({ headers: { ...headers, "x-portkey-request-timeout": "soon" }, body: chat }),
      400,
      {
        param: "x-portkey-request-timeout",
      },
    );
  });

  it("never echoes the provider key in an error", async () => {
    upstream.use(http.post(URL, () => HttpResponse.json({ error: { message: "nope" } }, { status: 401 })));
    const res = await gateway({ headers, body: chat });
    expect(await res.text()).not.toContain("sk-secret-key");
  });
});

describe("health", () => {
  it("answers /health and /ready", async () => {
    const live = await gateway({ path: "/health", method: "GET" });
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    const ready = await gateway({ path: "/ready", method: "GET" });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: { max_body_bytes: true, d1: true, kv: true, durable_objects: true, log_queue: true },
    });
  });

  it("/ready says 503 and which binding fails when D1 is not migrated or KV is down", async () => {
    const brokenKv = { get: () => Promise.reject(new Error("KV unavailable")) } as unknown as KVNamespace;
    const emptyDb = {
      prepare: () => ({ all: () => Promise.reject(new Error("no such table: gateway_keys")) }),
    } as unknown as D1Database;
    const res = await app.fetch(
      new Request("http://gateway.test/ready"),
      { ...env, CACHE: brokenKv, DB: emptyDb },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: "not_ready",
      checks: { d1: false, kv: false, durable_objects: true },
    });
  });
});
