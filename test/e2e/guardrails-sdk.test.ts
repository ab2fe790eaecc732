/// <reference types="node" />
/**
 * Guardrails as the official `openai` SDK sees them through `wrangler dev`: a denied request is an APIError with
 * status 446 whose body carries Portkey's `hook_results`, and no provider call was made.
 */
import OpenAI, { APIError } from "openai";
import { describe, expect, it } from "vitest";
import type { FakeProviders } from "./fake-providers";
import type { GatewayProcess } from "./gateway-process";
import { useFakesAndGateway } from "./servers";

let fake: FakeProviders;
let gateway: GatewayProcess;

useFakesAndGateway((servers) => ({ fake, gateway } = servers));

const config = {
  input_guardrails: [{ "default.regexMatch": { rule: "\\d{3}-\\d{2}-\\d{4}", not: true }, deny: true }],
};

function client(): OpenAI {
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "sk-fake",
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: {
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": fake.hosts.openai,
      "x-portkey-config": JSON.stringify(config),
    },
  });
}

describe("guardrails through the openai SDK", () => {
  it("a denied request is an APIError 446 with hook_results in its body", async () => {
    let caught: unknown;
    try {
      await client().chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "ssn 123-45-6789" }],
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(APIError);
    const error = caught as APIError;
    expect(error.status).toBe(446);
    expect(error.type).toBe("hooks_failed");
    const body = error.error as { hook_results?: { before_request_hooks: { verdict: boolean }[] } } | undefined;
    expect(body?.hook_results?.before_request_hooks[0]?.verdict).toBe(false);
    expect(fake.requests).toHaveLength(0);
  });

  it("a passing request is answered as usual", async () => {
    const answer = await client().chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(answer.choices[0]?.message.content).toBeTruthy();
  });
});
