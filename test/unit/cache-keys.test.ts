import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/cache/canonical";
import { parseEntryKey, partitionPrefix, segment } from "../../src/cache/keys";
import { describeRequest, exactHash } from "../../src/cache/request";
import type { OperationRequest } from "../../src/routing/request";
import type { ResolvedTarget } from "../../providers/types";

const chat = (body: Record<string, unknown>): OperationRequest => ({
  operation: "chat",
  body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], ...body },
});
const openai: ResolvedTarget = { provider: "openai", apiKey: "sk-a" };
const hash = (request: OperationRequest, target: ResolvedTarget = openai) =>
  exactHash(describeRequest(request, target));

describe("canonical JSON", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson([{ y: 1, x: 2 }])).toBe('[{"x":2,"y":1}]');
  });
});

describe("exact key", () => {
  it("does not depend on JSON key order", async () => {
    const a = chat({ temperature: 0, max_tokens: 5 });
    const b: OperationRequest = {
      operation: "chat",
      body: { max_tokens: 5, temperature: 0, messages: [{ content: "Hi", role: "user" }], model: "gpt-4o-mini" },
    };
    expect(await hash(a)).toBe(await hash(b));
  });

  it("ignores stream, stream_options, user and other delivery-only fields", async () => {
    const plain = await hash(chat({}));
    expect(await hash(chat({ stream: true, stream_options: { include_usage: true } }))).toBe(plain);
    expect(await hash(chat({ user: "u1", metadata: { a: "b" }, store: true, service_tier: "auto" }))).toBe(plain);
  });

  it("changes with anything that changes the answer", async () => {
    const plain = await hash(chat({}));
    const variants = [
      hash(chat({ model: "gpt-4o" })),
      hash(chat({ temperature: 0.5 })),
      hash(
        chat({
          messages: [
            { role: "system", content: "Be rude." },
            { role: "user", content: "Hi" },
          ],
        }),
      ),
      hash(chat({ tools: [{ type: "function", function: { name: "f" } }] })),
      hash(chat({}), { provider: "groq", apiKey: "sk-a" }),
      hash(chat({}), { provider: "openai", apiKey: "sk-a", customHost: "https://proxy.allowed.test/v1" }),
      hash({ operation: "completions", body: { model: "gpt-4o-mini", prompt: "Hi" } }),
    ];
    const all = new Set([plain, ...(await Promise.all(variants))]);
    expect(all.size).toBe(variants.length + 1);
  });

  it("does not depend on the credential (the tenant scope carries it)", async () => {
    expect(await hash(chat({}), { provider: "openai", apiKey: "sk-b" })).toBe(await hash(chat({})));
  });
});

describe("key layout", () => {
  it("percent-encodes segments so a ':' cannot shift fields, and hashes long ones", async () => {
    expect(await segment("a:b c")).toBe("a%3Ab%20c");
    const long = await segment("m".repeat(200));
    expect(long).toMatch(/^%FF[0-9a-f]{32}$/);
  });

  it("round-trips an entry key", async () => {
    const prefix = await partitionPrefix("rc1:", { namespace: "team:a", model: "org/model:v1", scope: "0".repeat(32) });
    const key = `${prefix}${"f".repeat(64)}`;
    expect(parseEntryKey(key)).toEqual({ namespace: "team:a", model: "org/model:v1", hash: "f".repeat(64) });
    expect(parseEntryKey("sx1:a:b:c:d")).toBeNull();
    expect(parseEntryKey(`${key}:extra`)).toBeNull();
  });
});
