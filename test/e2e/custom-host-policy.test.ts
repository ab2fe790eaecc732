/// <reference types="node" />
/**
 * The custom_host SSRF policy as deployed: wrangler dev with ALLOW_PRIVATE_CUSTOM_HOSTS=false and an allowlist, so
 * loopback hosts are refused before anything is fetched.
 */
import OpenAI, { BadRequestError, type APIError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeProviders, type FakeProviders } from "./fake-providers";
import { startGateway, type GatewayProcess } from "./gateway-process";

let fake: FakeProviders;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeProviders();
  gateway = await startGateway({ vars: { ALLOW_PRIVATE_CUSTOM_HOSTS: "false", CUSTOM_HOST_ALLOWLIST: "*.allowed.test" } });
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

beforeEach(() => fake.reset());

function client(host: string): OpenAI {
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "sk-fake",
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: { "x-portkey-provider": "openai", "x-portkey-custom-host": host },
  });
}

async function refusal(host: string): Promise<APIError> {
  try {
    await client(host).chat.completions.create({ model: "gpt-fake", messages: [{ role: "user", content: "Hi" }] });
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return error as APIError;
  }
  throw new Error(`expected ${host} to be refused`);
}

describe("custom_host policy with ALLOW_PRIVATE_CUSTOM_HOSTS=false", () => {
  it.each([
    ["127.0.0.1", () => fake.hosts.openai],
    ["localhost", () => fake.hosts.openai.replace("127.0.0.1", "localhost")],
    ["169.254.169.254", () => "http://169.254.169.254/latest"],
  ])("refuses the private or loopback host %s without contacting it", async (hostname, host) => {
    const error = await refusal(host());
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      message: `custom_host refused: ${hostname} is a private or loopback address`,
      type: "invalid_request_error",
      param: "custom_host",
      code: "custom_host_not_allowed",
    });
    expect(fake.requests).toEqual([]);
  });

  it("refuses a public host that is not on CUSTOM_HOST_ALLOWLIST", async () => {
    const error = await refusal("https://llm.example.com/v1");
    expect(error.error).toEqual({
      message: "custom_host refused: llm.example.com is not in CUSTOM_HOST_ALLOWLIST",
      type: "invalid_request_error",
      param: "custom_host",
      code: "custom_host_not_allowed",
    });
  });
});
