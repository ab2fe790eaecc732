/// <reference types="node" />
/**
 * A fake Bedrock runtime for the e2e suite: a real `node:http` server on 127.0.0.1 that speaks Converse
 * (`POST /model/{modelId}/converse`, JSON) and ConverseStream (`/converse-stream`, the binary
 * application/vnd.amazon.eventstream), reached through x-portkey-custom-host. Like AWS, it recomputes the SigV4
 * signature (test/fixtures/bedrock/sigv4-reference.ts) and answers 403 InvalidSignatureException when it differs.
 * Event-stream bytes are written in awkward pieces (inside the prelude, inside a header, inside the payload) with
 * pauses between writes. The model id picks the behaviour: `throttle` answers 429 ThrottlingException, `cut`
 * streams some text and then an exception frame; `tools` answers with a tool call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  bedrockEvent,
  bedrockException,
  bedrockTextStream,
  concatBytes,
} from "../fixtures/bedrock/event-stream-encoder";
import { referenceAuthorization } from "../fixtures/bedrock/sigv4-reference";

export const AWS_CREDENTIALS = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "eu-central-1",
} as const;
export const BEDROCK_PIECES = ["Hé", "llo wörld", " — 你好", " 👋!"] as const;
export const BEDROCK_USAGE = { inputTokens: 21, outputTokens: 9, totalTokens: 40, cacheReadInputTokens: 10 } as const;

export interface RecordedBedrockRequest {
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeBedrock {
  origin: string;
  requests: RecordedBedrockRequest[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** The signature AWS would compute for this request, from the SignedHeaders the client declared. */
async function signatureMatches(request: IncomingMessage, body: string, origin: string): Promise<boolean> {
  const authorization = request.headers.authorization ?? "";
  const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  const datetime = String(request.headers["x-amz-date"] ?? "");
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  const expected = await referenceAuthorization({
    method: "POST",
    url: `${origin}${request.url ?? ""}`,
    headers,
    signedNames,
    body,
    accessKeyId: AWS_CREDENTIALS.accessKeyId,
    secret: AWS_CREDENTIALS.secretAccessKey,
    region: AWS_CREDENTIALS.region,
    service: "bedrock",
    datetime,
  });
  return expected === authorization;
}

function awsError(response: ServerResponse, status: number, type: string, message: string): void {
  response.writeHead(status, {
    "content-type": "application/json",
    "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
  response.end(JSON.stringify({ message }));
}

/** Write `bytes` in pieces of 3, 7 and 13 bytes with a pause between, so frames arrive split. */
async function writeAwkwardly(response: ServerResponse, bytes: Uint8Array): Promise<void> {
  const sizes = [3, 7, 13];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 5;
    response.write(bytes.slice(at, at + size));
    at += size;
    await sleep(2);
  }
}

function toolStream(): Uint8Array {
  return concatBytes([
    bedrockEvent("messageStart", { role: "assistant" }),
    bedrockEvent("contentBlockStart", {
      contentBlockIndex: 0,
      start: { toolUse: { toolUseId: "tooluse_e2e", name: "get_weather" } },
    }),
    bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":"Pa' } } }),
    bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: 'ris"}' } } }),
    bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
    bedrockEvent("messageStop", { stopReason: "tool_use" }),
    bedrockEvent("metadata", { usage: BEDROCK_USAGE, metrics: { latencyMs: 1 } }),
  ]);
}

function streamFor(model: string): Uint8Array {
  if (model === "tools") return toolStream();
  if (model === "cut") {
    return concatBytes([
      bedrockEvent("messageStart", { role: "assistant" }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hé" } }),
      bedrockException("modelStreamErrorException", "The model stream failed midway."),
    ]);
  }
  return bedrockTextStream(BEDROCK_PIECES, BEDROCK_USAGE);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  requests: RecordedBedrockRequest[],
): Promise<void> {
  const body = await readBody(request);
  const match = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(request.url ?? "");
  requests.push({
    path: request.url ?? "",
    authorization: request.headers.authorization,
    body: body ? JSON.parse(body) : undefined,
  });
  if (!match) return awsError(response, 404, "UnknownOperationException", "unknown operation");
  if (!(await signatureMatches(request, body, origin))) {
    return awsError(
      response,
      403,
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided.",
    );
  }
  const model = decodeURIComponent(match[1] ?? "");
  if (model === "throttle")
    return awsError(response, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
  if (match[2] === "converse") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        output: { message: { role: "assistant", content: [{ text: BEDROCK_PIECES.join("") }] } },
        stopReason: "end_turn",
        usage: BEDROCK_USAGE,
        metrics: { latencyMs: 3 },
      }),
    );
    return;
  }
  response.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
  await writeAwkwardly(response, streamFor(model));
  response.end();
}

export async function startFakeBedrock(): Promise<FakeBedrock> {
  const requests: RecordedBedrockRequest[] = [];
  let origin = "";
  const server: Server = createServer((request, response) => {
    handle(request, response, origin, requests).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
