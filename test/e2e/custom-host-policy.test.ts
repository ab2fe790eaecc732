/// <reference types="node" />
/**
 * The custom_host SSRF policy as deployed: wrangler dev with ALLOW_PRIVATE_CUSTOM_HOSTS=false and an allowlist, so
 * loopback hosts are refused before anything is fetched.
 */
import { createServer, type AddressInfo, type Server } from "node:net";
import OpenAI, { BadRequestError, type APIError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeProviders, type FakeProviders } from "./fake-providers";
import { startGateway, type GatewayProcess } from "./gateway-process";

let fake: FakeProviders;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeProviders();
  gateway = await startGateway({
    vars: { ALLOW_PRIVATE_CUSTOM_HOSTS: "false", CUSTOM_HOST_ALLOWLIST: "*.allowed.test" },
  });
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

/**
 * A plain TCP listener on loopback that records every connection: the Azure resource name used to become the
 * host (`https://${name}.openai.azure.com`), so "127.0.0.1:<port>/#" made the Worker open a TLS connection here
 * although the same host as x-portkey-custom-host is refused.
 */
describe("Azure fields cannot point the Worker at another host", () => {
  let listener: Server;
  let port = 0;
  const connections: string[] = [];

  beforeAll(async () => {
    listener = createServer((socket) => {
      connections.push(`${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`);
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    port = (listener.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  beforeEach(() => {
    connections.length = 0;
  });

  async function send(headers: Record<string, string>): Promise<{ status: number; error: Record<string, unknown> }> {
    const res = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-fake", ...headers },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await res.json()) as { error: Record<string, unknown> };
    return { status: res.status, error: body.error };
  }

  it("x-portkey-azure-resource-name: 127.0.0.1:<port>/# is a 400 and nothing connects", async () => {
    const { status, error } = await send({
      "x-portkey-provider": "azure-openai",
      "x-portkey-azure-resource-name": `127.0.0.1:${port}/#`,
    });
    expect(status).toBe(400);
    expect(error).toMatchObject({
      type: "invalid_request_error",
      param: "x-portkey-azure-resource-name",
      code: "invalid_parameter",
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a late connection would still be recorded
    expect(connections).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it("the same from an inline config is a 400 naming the config path, and nothing connects", async () => {
    const config = { provider: "azure-openai", api_key: "k", azure_resource_name: `127.0.0.1:${port}/#` };
    const { status, error } = await send({ "x-portkey-config": JSON.stringify(config) });
    expect(status).toBe(400);
    expect(error).toMatchObject({ param: "x-portkey-config", code: "invalid_config" });
    expect(String(error.message)).toMatch(/^config\.azure_resource_name: must be an Azure resource name/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connections).toEqual([]);
  });
});
