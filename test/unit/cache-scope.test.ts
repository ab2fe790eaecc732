import { describe, expect, it } from "vitest";
import { scopeId, tenantOf } from "../../src/cache/scope";
import type { AppContext, RequestOutcome } from "../../src/context";
import { setCaller } from "../../src/governance/caller";
import type { GatewayKeyRecord } from "../../src/governance/records";

/** Just the part of a Hono context tenantOf reads: the request (governance's caller) and the outcome. */
function context(outcome: Partial<RequestOutcome> = {}, key?: Pick<GatewayKeyRecord, "id" | "team">): AppContext {
  const c = { req: { raw: new Request("http://gateway.test/v1/chat/completions") }, var: { outcome: { stream: false, ...outcome } } } as unknown as AppContext;
  if (key) setCaller(c, { key: key as GatewayKeyRecord, fromAuthorization: false });
  return c;
}

describe("cache tenant", () => {
  const target = { provider: "openai" as const, apiKey: "sk-1" };

  it("prefers the gateway key's team, then the gateway key, then the provider credential", () => {
    expect(tenantOf(context({ gatewayKeyId: "gk_1" }, { id: "gk_1", team: "research" }), target)).toBe("team:research");
    expect(tenantOf(context({ gatewayKeyId: "gk_1" }, { id: "gk_1", team: null }), target)).toBe("key:gk_1");
    expect(tenantOf(context({ gatewayKeyId: "gk_2" }), target)).toBe("key:gk_2");
    expect(tenantOf(context(), target)).toBe("credential:openai:sk-1");
    expect(tenantOf(context(), { provider: "ollama" })).toBe("anonymous");
  });

  it("names scopes by a hash that never shows the credential", async () => {
    const a = await scopeId("credential:openai:sk-1");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(await scopeId("credential:openai:sk-2"));
    expect(await scopeId("key:gk_1")).not.toBe(await scopeId("team:gk_1"));
  });
});
