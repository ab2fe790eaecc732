/// <reference types="node" />
/**
 * A fake Vertex AI for the e2e suite: a real `node:http` server on 127.0.0.1, reached through x-portkey-custom-host.
 * Under a custom_host the gateway exchanges its service-account assertion at `{custom_host}/token`, so this one
 * server is both Google's OAuth token endpoint and the regional aiplatform host:
 *
 * - `POST /token`: the JWT bearer grant. Like Google, it verifies the RS256 assertion's signature, with the public
 *   half of the key pair the test generated, and its claims (issuer, audience, scope, a lifetime of at most an
 *   hour); a bad one is `400 invalid_grant`. A good one gets a fresh `ya29.` access token.
 * - `POST /v1/projects/{p}/locations/{r}/publishers/google/models/{m}:generateContent | :streamGenerateContent?alt=sse`
 *   Gemini's format; `.../publishers/anthropic/models/{m}:rawPredict | :streamRawPredict` Anthropic's, which
 *   insists on `anthropic_version: vertex-2023-10-16` and no `model` in the body, as Vertex does.
 *
 * Every model call needs a token this server issued (else Google's 401 envelope). Streams are written in pieces cut
 * at awkward byte offsets (inside multibyte characters, inside JSON, between CR and LF) with pauses between writes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyJwt } from "../fixtures/vertex/service-account";

export const VERTEX_PROJECT = "acme-prod";
export const VERTEX_REGION = "us-east5";
export const GEMINI_PIECES = ["Rayleigh", " scattering — ", "le ciel est bleu", " 🌤️."] as const;
export const CLAUDE_PIECES = ["Hé", "llo from Claude", " on Vertex", " 👋"] as const;

export interface RecordedVertexCall {
  publisher: string;
  model: string;
  method: string;
  query: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface FakeVertex {
  origin: string;
  /** Claims of every assertion that verified, in order. */
  assertions: Array<Record<string, unknown>>;
  /** Token requests refused (bad signature or claims). */
  refused: number;
  calls: RecordedVertexCall[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  response.end(JSON.stringify(body));
}

const googleError = (response: ServerResponse, status: number, grpc: string, message: string) =>
  sendJson(response, status, { error: { code: status, message, status: grpc } });

/** Write `text` as UTF-8 in pieces of 1, 5, 2 and 11 bytes (cutting characters and lines), pausing between. */
async function writeAwkwardly(response: ServerResponse, text: string): Promise<void> {
  const bytes = Buffer.from(text, "utf8");
  const sizes = [1, 5, 2, 11];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 3;
    response.write(bytes.subarray(at, at + size));
    at += size;
    await sleep(1);
  }
}

/** Google checks the claims as well as the signature: issuer, audience, scope and a lifetime of at most an hour. */
function claimsValid(claims: Record<string, unknown>, email: string): boolean {
  const { iss, aud, scope, iat, exp } = claims;
  return (
    iss === email &&
    aud === "https://oauth2.googleapis.com/token" &&
    scope === "https://www.googleapis.com/auth/cloud-platform" &&
    typeof iat === "number" &&
    typeof exp === "number" &&
    exp > iat &&
    exp - iat <= 3600
  );
}

const geminiChunk = (text: string, last: boolean) =>
  JSON.stringify({
    candidates: [
      { content: { role: "model", parts: [{ text }] }, index: 0, ...(last ? { finishReason: "STOP" } : {}) },
    ],
    usageMetadata: last
      ? { promptTokenCount: 7, candidatesTokenCount: 12, totalTokenCount: 19 }
      : { promptTokenCount: 7, totalTokenCount: 7 },
    modelVersion: "gemini-2.5-flash",
    responseId: "vtx-e2e-gemini",
  });

/** Gemini's alt=sse framing: data-only events, CRLF CRLF between them, no terminal sentinel. */
const geminiStream = () =>
  GEMINI_PIECES.map((piece, i) => `data: ${geminiChunk(piece, i === GEMINI_PIECES.length - 1)}\r\n\r\n`).join("");

const claudeMessage = () => ({
  id: "msg_vtx_e2e",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [{ type: "text", text: CLAUDE_PIECES.join("") }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 14, output_tokens: 8, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
});

const claudeEvent = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/** Anthropic's named SSE events, in their real order, as Vertex's streamRawPredict relays them. */
function claudeStream(): string {
  const start = { ...claudeMessage(), content: [], stop_reason: null, usage: { input_tokens: 14, output_tokens: 1 } };
  return [
    claudeEvent("message_start", { message: start }),
    claudeEvent("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    claudeEvent("ping", {}),
    ...CLAUDE_PIECES.map((text) =>
      claudeEvent("content_block_delta", { index: 0, delta: { type: "text_delta", text } }),
    ),
    claudeEvent("content_block_stop", { index: 0 }),
    claudeEvent("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 8 },
    }),
    claudeEvent("message_stop", {}),
  ].join("");
}

interface ServerState {
  publicKey: CryptoKey;
  clientEmail: string;
  issued: Set<string>;
  fake: FakeVertex;
}

async function handleToken(body: string, response: ServerResponse, state: ServerState): Promise<void> {
  const form = new URLSearchParams(body);
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer")
    return sendJson(response, 400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
  const verified = await verifyJwt(form.get("assertion") ?? "", state.publicKey);
  if (!verified || verified.header.alg !== "RS256" || !claimsValid(verified.claims, state.clientEmail)) {
    state.fake.refused++;
    return sendJson(response, 400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
  }
  state.fake.assertions.push(verified.claims);
  const token = `ya29.e2e-${state.fake.assertions.length}-${crypto.randomUUID()}`;
  state.issued.add(token);
  sendJson(response, 200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
}

const MODEL_PATH =
  /^\/v1\/projects\/([a-z0-9-]+)\/locations\/([a-z0-9-]+)\/publishers\/(google|anthropic)\/models\/([^/:]+):([A-Za-z]+)$/;

async function handleModel(call: RecordedVertexCall, response: ServerResponse): Promise<void> {
  const { publisher, method, body } = call;
  if (publisher === "anthropic") {
    if (body.anthropic_version !== "vertex-2023-10-16" || "model" in body)
      return googleError(response, 400, "INVALID_ARGUMENT", "anthropic_version must be vertex-2023-10-16; no model");
    if (method === "rawPredict") return sendJson(response, 200, claudeMessage());
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
    await writeAwkwardly(response, claudeStream());
    response.end();
    return;
  }
  if (method === "generateContent") {
    return sendJson(response, 200, JSON.parse(geminiChunk(GEMINI_PIECES.join(""), true)) as unknown);
  }
  if (call.query !== "?alt=sse") return googleError(response, 400, "INVALID_ARGUMENT", "expected alt=sse");
  response.writeHead(200, { "content-type": "text/event-stream" });
  await writeAwkwardly(response, geminiStream());
  response.end();
}

async function handle(request: IncomingMessage, response: ServerResponse, state: ServerState): Promise<void> {
  const body = await readBody(request);
  const [path = "", rawQuery] = (request.url ?? "").split("?");
  if (request.method === "POST" && path === "/token") return handleToken(body, response, state);
  const match = MODEL_PATH.exec(path);
  if (request.method !== "POST" || !match) return googleError(response, 404, "NOT_FOUND", "unknown path");
  const [, project, region, publisher = "", model = "", method = ""] = match;
  if (project !== VERTEX_PROJECT || region !== VERTEX_REGION)
    return googleError(response, 404, "NOT_FOUND", `unknown project or location`);
  const authorization = request.headers.authorization;
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : "";
  if (!state.issued.has(token))
    return googleError(response, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
  const call: RecordedVertexCall = {
    publisher,
    model,
    method,
    query: rawQuery === undefined ? "" : `?${rawQuery}`,
    authorization,
    body: JSON.parse(body) as Record<string, unknown>,
  };
  state.fake.calls.push(call);
  await handleModel(call, response);
}

/** `publicKey` and `clientEmail`: the half of the test's key pair, and the account, the token endpoint trusts. */
export async function startFakeVertex(publicKey: CryptoKey, clientEmail: string): Promise<FakeVertex> {
  const fake: FakeVertex = { origin: "", assertions: [], refused: 0, calls: [], close: () => Promise.resolve() };
  const state: ServerState = { publicKey, clientEmail, issued: new Set(), fake };
  const server: Server = createServer((request, response) => {
    handle(request, response, state).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
