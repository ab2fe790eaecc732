import { describe, expect, it } from "vitest";
import { http, HttpResponse } from "msw";
import { brokenBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { chat, fakeTarget, route } from "./routing-upstreams";

useFakeUpstreams();

describe("retries", () => {
  it("a flaky target succeeds on its third attempt: two retries reported", async () => {
    const a = fakeTarget("flaky", [{ status: 503 }, { status: 500 }, { status: 200 }]);
    const r = await route(a.target({ retry: { attempts: 3 } }));
    expect(r.status).toBe(200);
    expect(r.retries).toBe("2");
    expect(r.index).toBe("config");
    expect(a.calls).toBe(3);
  });

  it("retries network errors even when on_status_codes does not list them", async () => {
    const a = fakeTarget("net", ["network", { status: 200 }]);
    const r = await route(a.target({ retry: { attempts: 2, on_status_codes: [429] } }));
    expect(r.status).toBe(200);
    expect(r.retries).toBe("1");
  });

  it("stops after `attempts` retries and keeps the target's error", async () => {
    const a = fakeTarget("down", [{ status: 502, message: "bad gateway" }]);
    const r = await route(a.target({ retry: { attempts: 2 } }));
    expect(r.status).toBe(502);
    expect(r.answer).toBe("bad gateway");
    expect(r.retries).toBe("2");
    expect(a.calls).toBe(3);
  });

  it("does not retry statuses outside on_status_codes, nor without a retry config", async () => {
    const a = fakeTarget("a", [{ status: 500 }, { status: 200 }]);
    expect((await route(a.target({ retry: { attempts: 3, on_status_codes: [429] } }))).status).toBe(500);
    const b = fakeTarget("b", [{ status: 500 }, { status: 200 }]);
    expect((await route(b.target())).status).toBe(500);
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it("honours Retry-After (seconds) on a 429, then succeeds", async () => {
    const a = fakeTarget("limited", [{ status: 429, headers: { "retry-after": "1" } }, { status: 200 }]);
    const r = await route(a.target({ retry: { attempts: 2, use_retry_after_header: true } }));
    expect(r.status).toBe(200);
    expect(r.retries).toBe("1");
    expect(r.ms).toBeGreaterThanOrEqual(950);
  });

  it("honours retry-after-ms over retry-after", async () => {
    const a = fakeTarget("limited", [
      { status: 429, headers: { "retry-after-ms": "600", "retry-after": "30" } },
      { status: 200 },
    ]);
    const r = await route(a.target({ retry: { attempts: 1, use_retry_after_header: true } }));
    expect(r.status).toBe(200);
    expect(r.ms).toBeGreaterThanOrEqual(550);
    expect(r.ms).toBeLessThan(10_000);
  });

  it("ignores Retry-After unless use_retry_after_header is set (jittered backoff instead)", async () => {
    const a = fakeTarget("limited", [{ status: 429, headers: { "retry-after": "20" } }, { status: 200 }]);
    const r = await route(a.target({ retry: { attempts: 1 } }));
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(10_000);
  });

  it("moves on to the fallback instead of sleeping past the deadline", async () => {
    const a = fakeTarget("limited", [{ status: 429, headers: { "retry-after": "86400" } }]);
    const b = fakeTarget("b");
    const r = await route({
      strategy: { mode: "fallback" },
      retry: { attempts: 5, use_retry_after_header: true },
      targets: [a.target(), b.target()],
    });
    expect(r.answer).toBe("from b");
    expect(r.ms).toBeLessThan(10_000);
    expect(a.calls).toBe(1);
  });

  it("counts retries of the target that answered, not of earlier ones", async () => {
    const a = fakeTarget("a", [{ status: 500 }]);
    const b = fakeTarget("b", [{ status: 503 }, { status: 200 }]);
    const r = await route({
      strategy: { mode: "fallback" },
      retry: { attempts: 1 },
      targets: [a.target(), b.target()],
    });
    expect(r.answer).toBe("from b");
    expect(r.retries).toBe("1");
    expect([a.calls, b.calls]).toEqual([2, 2]);
  });

  it("never retries or falls back once a stream has started: a mid-stream failure reaches the client", async () => {
    const host = "streaming.allowed.test";
    let calls = 0;
    const chunk = {
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }],
    };
    upstream.use(
      http.post(`https://${host}/v1/chat/completions`, () => {
        calls += 1;
        return new HttpResponse(brokenBody(`data: ${JSON.stringify(chunk)}\n\n`), {
          headers: { "content-type": "text/event-stream" },
        });
      }),
    );
    const backup = fakeTarget("backup");
    const config = {
      strategy: { mode: "fallback" },
      retry: { attempts: 3 },
      targets: [{ provider: "openai", api_key: "sk-s", custom_host: `https://${host}/v1` }, backup.target()],
    };
    const res = await gateway({
      headers: { "x-portkey-config": JSON.stringify(config) },
      body: { ...chat, stream: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[0]");
    const events = await sseData(res);
    expect(events[0]).toContain('"Hel"');
    expect(events.at(-1)).toContain("upstream_stream_error");
    expect(calls).toBe(1);
    expect(backup.calls).toBe(0);
  });

  it("sends x-portkey-retry-attempt-count without a config too (header-only requests)", async () => {
    const a = fakeTarget("plain");
    const res = await gateway({
      headers: {
        "x-portkey-provider": "openai",
        authorization: "Bearer sk-plain",
        "x-portkey-custom-host": `https://${a.host}/v1`,
      },
      body: chat,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-retry-attempt-count")).toBe("0");
    expect(res.headers.get("x-portkey-last-used-option-index")).toBeNull();
  });
});
