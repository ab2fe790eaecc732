import { exports } from "cloudflare:workers";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { cutBody } from "../unit/chat-sse-fixtures";

/** Upstream providers are faked at the network edge; any request nobody expected fails the test. */
export const upstream = setupServer();

export function useFakeUpstreams(): void {
  beforeAll(() => upstream.listen({ onUnhandledRequest: "error" }));
  afterEach(() => upstream.resetHandlers());
  afterAll(() => upstream.close());
}

export interface GatewayCall {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Call the gateway Worker's fetch handler exactly as a client would. */
export function gateway({
  path = "/v1/chat/completions",
  method = "POST",
  headers = {},
  body,
}: GatewayCall): Promise<Response> {
  const init: RequestInit = { method, headers: { "content-type": "application/json", ...headers } };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  return exports.default.fetch(new Request(`http://gateway.test${path}`, init));
}

const encoder = new TextEncoder();

/** An SSE body that delivers `text` in the given pieces (byte offsets), each as its own network chunk. */
export function chunkedBody(text: string, cuts: number[] = []): ReadableStream<Uint8Array> {
  return cutBody(encoder.encode(text), cuts);
}

/** A body that sends `text` then fails, like a connection reset mid-stream. */
export function brokenBody(text: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(encoder.encode(text));
        return;
      }
      controller.error(new Error("connection reset"));
    },
  });
}

/** Read an SSE response into its `data:` payloads. */
export async function sseData(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((frame) => frame.startsWith("data: "))
    .map((frame) => frame.slice("data: ".length));
}
