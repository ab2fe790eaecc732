import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { textMessage } from "../fixtures/anthropic/messages";
import { status, uniq, waitForEntries } from "./cache-fixtures";
import { bearer, chat, createKey, createVirtualKey, errorOf, fakeOpenAI, withEnv } from "./governance-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const openaiHeaders = { "x-portkey-provider": "openai", authorization: "Bearer sk-client-openai" };
const anthropicHeaders = { "x-portkey-provider": "anthropic", authorization: "Bearer sk-ant-client" };

/** A fake Anthropic Messages endpoint recording the headers of every request. */
function fakeAnthropic(): Record<string, string>[] {
  const seen: Record<string, string>[] = [];
  upstream.use(
    http.post(ANTHROPIC, ({ request }) => {
      seen.push(Object.fromEntries(request.headers));
      return HttpResponse.json(textMessage);
    }),
  );
  return seen;
}

async function ok(res: Response): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
}

describe("provider headers", () => {
  it("passes OpenAI organization and project, from the native or the x-portkey-* names (the latter wins)", async () => {
    const seen = fakeOpenAI();
    await ok(
      await gateway({
        headers: { ...openaiHeaders, "openai-organization": "org-native", "openai-project": "proj-native" },
        body: chat(),
      }),
    );
    await ok(
      await gateway({
        headers: {
          ...openaiHeaders,
          "openai-organization": "org-native",
          "x-portkey-openai-organization": "org-portkey",
          "x-portkey-openai-project": "proj-portkey",
        },
        body: chat(),
      }),
    );
    expect(seen[0]?.headers).toMatchObject({ "openai-organization": "org-native", "openai-project": "proj-native" });
    expect(seen[1]?.headers).toMatchObject({ "openai-organization": "org-portkey", "openai-project": "proj-portkey" });
    // The x-portkey-* spelling itself never travels.
    expect(seen[1]?.headers["x-portkey-openai-organization"]).toBeUndefined();
  });

  it("passes anthropic-beta as given and lets anthropic-version replace the default", async () => {
    const seen = fakeAnthropic();
    const beta = "prompt-caching-2024-07-31, output-128k-2025-02-19";
    await ok(
      await gateway({
        headers: { ...anthropicHeaders, "anthropic-beta": beta, "anthropic-version": "2023-01-01" },
        body: chat("claude-sonnet-4-5"),
      }),
    );
    await ok(
      await gateway({
        headers: {
          ...anthropicHeaders,
          "x-portkey-anthropic-beta": "files-api-2025-04-14",
          "x-portkey-anthropic-version": "2024-02-02",
        },
        body: chat("claude-sonnet-4-5"),
      }),
    );
    await ok(await gateway({ headers: anthropicHeaders, body: chat("claude-sonnet-4-5") }));
    expect(seen[0]).toMatchObject({
      "anthropic-beta": beta,
      "anthropic-version": "2023-01-01",
      "x-api-key": "sk-ant-client",
    });
    expect(seen[1]).toMatchObject({ "anthropic-beta": "files-api-2025-04-14", "anthropic-version": "2024-02-02" });
    expect(seen[2]?.["anthropic-version"]).toBe("2023-06-01");
    expect(seen[2]?.["anthropic-beta"]).toBeUndefined();
  });

  it("keeps one provider's headers away from another provider", async () => {
    const seen = fakeOpenAI();
    await ok(
      await gateway({
        headers: { ...openaiHeaders, "anthropic-beta": "x", "anthropic-version": "2023-01-01" },
        body: chat(),
      }),
    );
    expect(seen[0]?.headers["anthropic-beta"]).toBeUndefined();
    expect(seen[0]?.headers["anthropic-version"]).toBeUndefined();
  });
});

describe("x-portkey-forward-headers", () => {
  it("forwards the listed headers (any case, comma-separated or a JSON array) and nothing else", async () => {
    const seen = fakeOpenAI();
    const client = { "x-custom-trace": "trace-1", "X-Tenant-Id": "tenant-7", "x-unlisted": "nope" };
    await ok(
      await gateway({
        headers: { ...openaiHeaders, ...client, "x-portkey-forward-headers": " X-Custom-Trace ,x-tenant-id,x-absent" },
        body: chat(),
      }),
    );
    await ok(
      await gateway({
        headers: { ...openaiHeaders, ...client, "x-portkey-forward-headers": '["x-custom-trace"]' },
        body: chat(),
      }),
    );
    expect(seen[0]?.headers).toMatchObject({ "x-custom-trace": "trace-1", "x-tenant-id": "tenant-7" });
    expect(seen[0]?.headers["x-unlisted"]).toBeUndefined();
    expect(seen[0]?.headers["x-absent"]).toBeUndefined();
    expect(seen[0]?.headers["x-portkey-forward-headers"]).toBeUndefined();
    expect(seen[1]?.headers["x-custom-trace"]).toBe("trace-1");
    expect(seen[1]?.headers["x-tenant-id"]).toBeUndefined();
  });

  it("answers 400 for a malformed list", async () => {
    for (const list of ["x-ok, bad name", "[1]", '["x-a"', "x-a,,x-b:"]) {
      const error = await errorOf(
        await gateway({ headers: { ...openaiHeaders, "x-portkey-forward-headers": list }, body: chat() }),
        400,
      );
      expect(error.param, list).toBe("x-portkey-forward-headers");
      expect(error.message, list).toMatch(/^x-portkey-forward-headers: /);
    }
  });

  it("never forwards gateway credentials or hop-by-hop headers, even when listed (gateway key in Authorization)", async () => {
    const key = await createKey();
    const vk = await createVirtualKey();
    const seen = fakeOpenAI();
    const denied = {
      "x-portkey-virtual-key": vk.slug,
      "x-portkey-metadata": '{"a":"b"}',
      cookie: "session=secret",
      "proxy-authorization": "Basic c2VjcmV0",
      "keep-alive": "timeout=5",
      te: "trailers",
      trailer: "x-after",
      upgrade: "websocket",
      "accept-encoding": "br",
      "content-encoding": "gzip",
      "cf-access-client-secret": "cf-secret",
      "x-carries-key": `Bearer ${key.key}`,
    };
    const listed = [
      "authorization",
      "content-type",
      "content-length",
      "host",
      "connection",
      "transfer-encoding",
      ...Object.keys(denied),
      "x-custom-trace",
    ];
    const res = await withEnv(
      { PASSTHROUGH_MODE: "false" },
      {
        headers: {
          ...bearer(key.key),
          ...denied,
          "x-custom-trace": "t-1",
          "x-portkey-forward-headers": listed.join(","),
        },
        body: chat(),
      },
    );
    await ok(res);
    const headers = seen[0]?.headers ?? {};
    expect(headers["x-custom-trace"]).toBe("t-1");
    expect(headers.authorization).toBe(`Bearer ${vk.secret}`);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers.host ?? "api.openai.com").toBe("api.openai.com");
    for (const name of Object.keys(denied)) expect(headers[name], name).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(key.key);
  });

  it("never forwards x-portkey-api-key or x-portkey-config, even when listed", async () => {
    const key = await createKey();
    const vk = await createVirtualKey();
    const seen = fakeOpenAI();
    const config = JSON.stringify({
      virtual_key: vk.slug,
      forward_headers: ["x-portkey-api-key", "x-portkey-config", "X-Custom-Trace"],
    });
    const res = await withEnv(
      { PASSTHROUGH_MODE: "false" },
      { headers: { "x-portkey-api-key": key.key, "x-portkey-config": config, "x-custom-trace": "t-2" }, body: chat() },
    );
    await ok(res);
    const headers = seen[0]?.headers ?? {};
    expect(headers["x-custom-trace"]).toBe("t-2");
    expect(headers["x-portkey-api-key"]).toBeUndefined();
    expect(headers["x-portkey-config"]).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(key.key);
  });

  it("never lets a forwarded header replace the credential the adapter set", async () => {
    const openai = fakeOpenAI();
    const anthropic = fakeAnthropic();
    const config = JSON.stringify({ provider: "openai", api_key: "sk-config-key" });
    await ok(
      await gateway({
        headers: {
          "x-portkey-config": config,
          authorization: "Bearer sk-client-other",
          "x-portkey-forward-headers": "authorization",
        },
        body: chat(),
      }),
    );
    await ok(
      await gateway({
        headers: { ...anthropicHeaders, "x-api-key": "sk-ant-other", "x-portkey-forward-headers": "x-api-key" },
        body: chat("claude-sonnet-4-5"),
      }),
    );
    expect(openai[0]?.headers.authorization).toBe("Bearer sk-config-key");
    expect(anthropic[0]?.["x-api-key"]).toBe("sk-ant-client");
  });
});

describe("forward_headers in a config", () => {
  it("forwards the config's names, inherited by nested targets, together with the header's", async () => {
    const seen = fakeOpenAI();
    const config = {
      strategy: { mode: "fallback" },
      forward_headers: ["x-tenant-id"],
      targets: [{ provider: "openai", api_key: "sk-a" }],
    };
    const client = {
      "x-tenant-id": "tenant-9",
      "x-custom-trace": "t-3",
      "x-portkey-forward-headers": "x-custom-trace",
    };
    await ok(await gateway({ headers: { "x-portkey-config": JSON.stringify(config), ...client }, body: chat() }));
    expect(seen[0]?.headers).toMatchObject({ "x-tenant-id": "tenant-9", "x-custom-trace": "t-3" });
  });

  it("answers 400 naming the field for a name that is not a header name", async () => {
    const config = { provider: "openai", api_key: "sk-a", forward_headers: ["x-ok", "not a header"] };
    const error = await errorOf(
      await gateway({ headers: { "x-portkey-config": JSON.stringify(config) }, body: chat() }),
      400,
    );
    expect(error.message).toMatch(/^config\.forward_headers\[1\]: /);
  });
});

describe("forwarded headers and the cache", () => {
  it("keys on anthropic-beta and anthropic-version, not on a trace header", async () => {
    const seen = fakeAnthropic();
    const ns = uniq("fwd");
    const config = JSON.stringify({
      provider: "anthropic",
      api_key: "sk-ant-cache",
      cache: { mode: "simple", max_age: 600 },
    });
    const call = (extra: Record<string, string>) =>
      gateway({
        headers: {
          "x-portkey-config": config,
          "x-portkey-cache-namespace": ns,
          "x-portkey-forward-headers": "x-custom-trace",
          ...extra,
        },
        body: chat("claude-sonnet-4-5"),
      });
    const first = await call({ "anthropic-beta": "beta-one", "x-custom-trace": "a" });
    expect(status(first)).toBe("MISS");
    await first.text();
    await waitForEntries(1, `rc1:${ns}:`);
    const again = await call({ "anthropic-beta": "beta-one", "x-custom-trace": "b" });
    expect(status(again)).toBe("HIT");
    await again.text();
    const otherBeta = await call({ "anthropic-beta": "beta-two", "x-custom-trace": "a" });
    expect(status(otherBeta)).toBe("MISS");
    await otherBeta.text();
    const otherVersion = await call({ "anthropic-beta": "beta-one", "anthropic-version": "2024-01-01" });
    expect(status(otherVersion)).toBe("MISS");
    await otherVersion.text();
    expect(seen.map((headers) => headers["anthropic-beta"])).toEqual(["beta-one", "beta-two", "beta-one"]);
  });
});
