/// <reference types="node" />
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startFakeProviders, type FakeProviders } from "./fake-providers";
import { startGateway, type GatewayProcess, type StartOptions } from "./gateway-process";

export interface E2eServers {
  fake: FakeProviders;
  gateway: GatewayProcess;
}

/**
 * The SDK test files' one setup: the fake providers and a `wrangler dev` gateway start once for the file and stop
 * after it; the fakes' recorded requests are cleared before each test. `onStarted` gets both once they are up, so
 * the file keeps them in its own variables and its tests read as before.
 */
export function useFakesAndGateway(onStarted: (servers: E2eServers) => void, options: StartOptions = {}): void {
  let fake: FakeProviders | undefined;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    fake = await startFakeProviders();
    gateway = await startGateway(options);
    onStarted({ fake, gateway });
  });

  afterAll(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  beforeEach(() => fake?.reset());
}
