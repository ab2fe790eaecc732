import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import { adminCall, json as readJson } from "./admin-helpers";
import {
  chatBody,
  completion,
  contentOf,
  json,
  keysWith,
  serveChat,
  serveEmbeddings,
  status,
  uniq,
  waitForEntries,
} from "./cache-fixtures";
import { gateway, useFakeUpstreams } from "./harness";

useFakeUpstreams();

// Semantic buckets are written at once rather than gathered for a second.
const saved = { ...cacheRuntime };
beforeAll(() => Object.assign(cacheRuntime, { bucketCoalesceMs: 0 }));
afterAll(() => Object.assign(cacheRuntime, saved));

async function gatewayKey(team: string | null): Promise<string> {
  const body: Record<string, unknown> = { name: uniq("cache-key") };
  if (team) body.team = team;
  return (await readJson<{ key: string }>(await adminCall({ method: "POST", path: "/keys", body }), 201)).key;
}

/** Every caller uses the same provider credential: only the gateway key (or its team) tells tenants apart. */
function ask(key: string, ns: string, question: string, mode = "simple"): Promise<Response> {
  const config = { provider: "openai", api_key: "sk-shared-provider-key", cache: { mode, max_age: 600 } };
  return gateway({
    headers: { "x-portkey-api-key": key, "x-portkey-config": JSON.stringify(config), "x-portkey-cache-namespace": ns },
    body: chatBody(question),
  });
}

describe("cache scope with gateway keys", () => {
  it("never lets one gateway key read another's entry, even over the same provider credential", async () => {
    const ns = uniq("ns");
    const [a, b] = [await gatewayKey(null), await gatewayKey(null)];
    const served = serveChat((call) => json(completion(`for ${call}`)));
    await (await ask(a, ns, "Private question")).text();
    await waitForEntries(1, `rc1:${ns}:`);
    const other = await ask(b, ns, "Private question");
    expect(status(other)).toBe("MISS");
    expect(((await other.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      "for 1",
    );
    expect(status(await ask(a, ns, "Private question"))).toBe("HIT");
    expect(served.calls).toBe(2);
  });

  it("shares entries between the keys of one team, and only them", async () => {
    const ns = uniq("ns");
    const team = uniq("team");
    const [first, second, outsider] = [await gatewayKey(team), await gatewayKey(team), await gatewayKey(uniq("team"))];
    serveChat(() => json(completion("team answer")));
    await (await ask(first, ns, "Team question")).text();
    await waitForEntries(1, `rc1:${ns}:`);
    expect(status(await ask(second, ns, "Team question"))).toBe("HIT");
    expect(status(await ask(outsider, ns, "Team question"))).toBe("MISS");
  });

  it("never lets one tenant's semantic entries answer another's near-duplicate (or identical) question", async () => {
    const ns = uniq("ns");
    const [a, b] = [await gatewayKey(null), await gatewayKey(null)];
    serveEmbeddings();
    const served = serveChat((call) => json(completion(`for ${call}`)));
    const question = "Summarise the plot of Hamlet in two sentences";
    const near = "Summarise the plot of Hamlet in two sentence";
    await (await ask(a, ns, question, "semantic")).text();
    await waitForEntries(1, `sx1:${ns}:`);
    expect(status(await ask(a, ns, near, "semantic"))).toBe("SEMANTIC HIT");

    // The other tenant's near-duplicate goes to the provider...
    const other = await ask(b, ns, near, "semantic");
    expect(status(other)).toBe("MISS");
    expect(await contentOf(other)).toBe("for 1");
    // ...and, once its own entry exists, even the first tenant's exact words are answered from that one only.
    const buckets = await waitForEntries(2, `sx1:${ns}:`);
    expect(new Set(buckets.map((bucket) => bucket.split(":")[3])).size).toBe(2); // same context, different scopes
    const same = await ask(b, ns, question, "semantic");
    expect(status(same)).toBe("SEMANTIC HIT");
    expect(await contentOf(same)).toBe("for 1");
    expect(served.calls).toBe(2);
    expect((await keysWith(`sx1:${ns}:`)).length).toBe(2);
  });
});
