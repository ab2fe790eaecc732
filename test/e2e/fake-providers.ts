/// <reference types="node" />
/**
 * Fake upstream providers for the e2e suite: one real `node:http` server on 127.0.0.1 that speaks each provider's
 * own wire format, chosen by path prefix:
 *
 * - `/openai/v1/chat/completions | /completions | /embeddings`   OpenAI (JSON, or SSE `data:` frames + `[DONE]`)
 * - `/openai/v1/responses`                                        OpenAI Responses API (fake-openai-responses.ts)
 * - `/anthropic/v1/messages`                                       Anthropic Messages (JSON, or the named SSE events)
 * - `/google/v1beta/models/{model}:generateContent | :streamGenerateContent?alt=sse | :batchEmbedContents`   Gemini
 *
 * Every SSE frame is written as several socket writes cut at awkward byte offsets (inside a JSON string, inside a
 * multibyte UTF-8 character, between the CR and LF of a line ending), with a pause between writes, so the gateway
 * must re-assemble events that arrive in pieces.
 *
 * Behaviour is chosen by the model name: `fail-500`, `fail-429` (with `retry-after: 7`), `slow` (3 s before the
 * response headers) and `cut` (a stream that sends a few events, then destroys the socket). Each provider checks its
 * own auth header and rejects unknown top-level body fields the way the real API does, so a leaked OpenAI field
 * (for example `stream_options` sent to Anthropic) fails loudly. Every request is recorded for assertions.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { openaiResponsesAnswer } from "./fake-openai-responses";

export type FakeProvider = "openai" | "anthropic" | "google";

export interface RecordedRequest {
  provider: FakeProvider | "unknown";
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string including "?", or "". */
  query: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when there was none; the raw text when it was not JSON). */
  body: unknown;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixture values the tests assert against.

/** Streamed text pieces: multibyte characters on purpose (2-, 3- and 4-byte UTF-8). */
export const TEXT_PIECES = ["Hé", "llo wörld", " — 你好", " 👋!"] as const;
export const REPLY_TEXT = TEXT_PIECES.join("");
export const TOOL_NAME = "get_weather";
export const TOOL_ARGS = { city: "Paris", unit: "celsius" } as const;
export const TOOL_ARGS_TEXT = JSON.stringify(TOOL_ARGS);
/** The arguments as OpenAI / Anthropic stream them: fragments that are not valid JSON on their own. */
export const TOOL_ARG_PIECES = ['{"ci', 'ty":"Pa', 'ris","unit":', '"celsius"}'] as const;
/** Text Anthropic writes before the tool call. */
export const ANTHROPIC_PREAMBLE = "Let me check.";

export const OPENAI = {
  chatId: "chatcmpl-fake0001",
  completionId: "cmpl-fake0001",
  toolCallId: "call_fake_0001",
  created: 1_700_000_000,
  fingerprint: "fp_fake",
  /** OpenAI answers with the dated snapshot of the model asked for. */
  snapshot: (model: string) => `${model}-2024-07-18`,
  completionText: "Once upon a time",
  usage: {
    prompt_tokens: 11,
    completion_tokens: 7,
    total_tokens: 18,
    prompt_tokens_details: { cached_tokens: 3, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  embeddingUsage: { prompt_tokens: 6, total_tokens: 6 },
  /** Exactly representable in float32, so base64 round trips are exact. */
  embedding: (i: number) => [0.5 + i, -0.25, 0.125],
  error500: "The server had an error while processing your request. Sorry about that!",
  error429:
    "Rate limit reached for gpt-fake in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1.",
} as const;

export const ANTHROPIC = {
  messageId: "msg_01FakeAnthropic0001",
  toolUseId: "toolu_01FakeTool0001",
  /** Anthropic: input_tokens excludes cache reads and writes. */
  usage: {
    input_tokens: 21,
    output_tokens: 9,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 5,
    service_tier: "standard",
  },
  error500: "Internal server error",
  error429: "This request would exceed the rate limit for your organization of 50 requests per minute.",
  /** What `/v1/messages/count_tokens` answers, whatever the prompt. */
  countTokens: 2095,
} as const;

export const GOOGLE = {
  responseId: "fakeGeminiResponse01",
  modelVersion: (model: string) => `${model}-001`,
  usage: {
    promptTokenCount: 8,
    candidatesTokenCount: 12,
    totalTokenCount: 20,
    cachedContentTokenCount: 2,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 8 }],
  },
  embedding: (i: number) => [0.25 * (i + 1), -0.5, 1.5],
  error500:
    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  error429: "Resource has been exhausted (e.g. check quota).",
} as const;

/** How long `slow` waits before sending response headers. */
export const SLOW_MS = 3_000;
const WRITE_PAUSE_MS = 2;

// ---------------------------------------------------------------------------------------------------------------
// Plumbing.

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * Byte offsets at which one SSE frame is cut: inside the first JSON string, in the middle of the first multibyte
 * UTF-8 character, inside the field name, and before the very last byte (between the CR and LF of `\r\n\r\n`, or
 * between the two LFs of `\n\n`).
 */
export function awkwardCuts(bytes: Uint8Array): number[] {
  const cuts = new Set<number>([2, bytes.length - 1]);
  const quote = bytes.indexOf(0x22);
  if (quote >= 0) cuts.add(quote + 2);
  const lead = bytes.findIndex((byte) => byte >= 0xc0);
  if (lead >= 0) {
    cuts.add(lead + 1);
    if (bytes[lead]! >= 0xe0) cuts.add(lead + 2);
  }
  return [...cuts].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
}

/** Write SSE frames piece by piece, pausing between writes so they leave as separate TCP segments. */
async function writeFrames(res: ServerResponse, frames: readonly string[]): Promise<boolean> {
  for (const frame of frames) {
    const bytes = Buffer.from(frame, "utf8");
    const bounds = [0, ...awkwardCuts(bytes), bytes.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      if (res.destroyed) return false;
      res.write(bytes.subarray(bounds[i], bounds[i + 1]));
      await sleep(WRITE_PAUSE_MS);
    }
  }
  return !res.destroyed;
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
}

/** Send the frames, then end cleanly, or (mode `cut`) destroy the socket mid-stream. */
async function streamFrames(res: ServerResponse, frames: readonly string[], cutAfter?: number): Promise<void> {
  startSse(res);
  if (cutAfter !== undefined) {
    await writeFrames(res, frames.slice(0, cutAfter));
    // Let the pieces go out, then drop the connection without the chunked terminator.
    await sleep(20);
    res.socket?.destroy();
    return;
  }
  if (await writeFrames(res, frames)) res.end();
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Wait `SLOW_MS` unless the client goes away first; true when still connected. */
function slowDown(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(!res.destroyed), SLOW_MS);
    res.on("close", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

type Mode = "normal" | "fail-500" | "fail-429" | "slow" | "cut";

function modeOf(model: unknown): Mode {
  return model === "fail-500" || model === "fail-429" || model === "slow" || model === "cut" ? model : "normal";
}

const hasTools = (body: Record<string, unknown>) => Array.isArray(body.tools) && body.tools.length > 0;

// ---------------------------------------------------------------------------------------------------------------
// OpenAI.

function openaiError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
  headers = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

function openaiFailure(res: ServerResponse, mode: Mode): boolean {
  if (mode === "fail-500") {
    openaiError(res, 500, OPENAI.error500, "server_error", null);
    return true;
  }
  if (mode === "fail-429") {
    openaiError(res, 429, OPENAI.error429, "requests", "rate_limit_exceeded", { "retry-after": "7" });
    return true;
  }
  return false;
}

function openaiChatMessage(tools: boolean) {
  if (!tools) return { role: "assistant", content: REPLY_TEXT, refusal: null, annotations: [] };
  return {
    role: "assistant",
    content: null,
    refusal: null,
    annotations: [],
    tool_calls: [{ id: OPENAI.toolCallId, type: "function", function: { name: TOOL_NAME, arguments: TOOL_ARGS_TEXT } }],
  };
}

function openaiChatFrames(model: string, tools: boolean, includeUsage: boolean): string[] {
  const base = {
    id: OPENAI.chatId,
    object: "chat.completion.chunk",
    created: OPENAI.created,
    model,
    service_tier: "default",
    system_fingerprint: OPENAI.fingerprint,
  };
  // With include_usage on, OpenAI puts "usage": null on every chunk and the usage on a last chunk without choices.
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usageField,
  });
  const chunks: object[] = [];
  if (tools) {
    chunks.push(
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [
          { index: 0, id: OPENAI.toolCallId, type: "function", function: { name: TOOL_NAME, arguments: "" } },
        ],
        refusal: null,
      }),
    );
    for (const piece of TOOL_ARG_PIECES)
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    chunks.push(chunk({}, "tool_calls"));
  } else {
    chunks.push(chunk({ role: "assistant", content: "", refusal: null }));
    for (const piece of TEXT_PIECES) chunks.push(chunk({ content: piece }));
    chunks.push(chunk({}, "stop"));
  }
  if (includeUsage) chunks.push({ ...base, choices: [], usage: OPENAI.usage });
  return [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), "data: [DONE]\n\n"];
}

function completionFrames(model: string, includeUsage: boolean): string[] {
  const base = { id: OPENAI.completionId, object: "text_completion", created: OPENAI.created, model };
  const words = ["Once", " upon", " a", " time"];
  const chunks: object[] = words.map((text, i) => ({
    ...base,
    choices: [{ text, index: 0, logprobs: null, finish_reason: i === words.length - 1 ? "length" : null }],
  }));
  if (includeUsage)
    chunks.push({ ...base, choices: [], usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 } });
  return [...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), "data: [DONE]\n\n"];
}

function float32Base64(values: readonly number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString("base64");
}

async function handleOpenAI(route: string, body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const auth = req.headers.authorization;
  if (!auth || !/^Bearer \S+$/.test(auth)) {
    openaiError(res, 401, "You didn't provide an API key.", "invalid_request_error", null);
    return;
  }
  if (!isRecord(body) || typeof body.model !== "string") {
    openaiError(res, 400, "you must provide a model parameter", "invalid_request_error", null);
    return;
  }
  const model = body.model;
  const mode = modeOf(model);
  if (openaiFailure(res, mode)) return;
  if (mode === "slow" && !(await slowDown(res))) return;
  const snapshot = OPENAI.snapshot(model);
  const stream = body.stream === true;
  const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;

  if (route === "/responses") {
    // The Responses API (fake-openai-responses.ts): what /v1/responses passes through to OpenAI.
    const answer = openaiResponsesAnswer(body, snapshot);
    if (stream) await streamFrames(res, answer.frames);
    else sendJson(res, 200, answer.json);
    return;
  }
  if (route === "/chat/completions") {
    if (!Array.isArray(body.messages)) {
      openaiError(
        res,
        400,
        "Missing required parameter: 'messages'.",
        "invalid_request_error",
        "missing_required_parameter",
      );
      return;
    }
    const tools = hasTools(body);
    if (stream) {
      const frames = openaiChatFrames(snapshot, tools, includeUsage);
      await streamFrames(res, frames, mode === "cut" ? 3 : undefined);
      return;
    }
    sendJson(res, 200, {
      id: OPENAI.chatId,
      object: "chat.completion",
      created: OPENAI.created,
      model: snapshot,
      choices: [
        { index: 0, message: openaiChatMessage(tools), logprobs: null, finish_reason: tools ? "tool_calls" : "stop" },
      ],
      usage: OPENAI.usage,
      service_tier: "default",
      system_fingerprint: OPENAI.fingerprint,
    });
    return;
  }
  if (route === "/completions") {
    if (stream) {
      await streamFrames(res, completionFrames(snapshot, includeUsage), mode === "cut" ? 2 : undefined);
      return;
    }
    sendJson(res, 200, {
      id: OPENAI.completionId,
      object: "text_completion",
      created: OPENAI.created,
      model: snapshot,
      choices: [{ text: OPENAI.completionText, index: 0, logprobs: null, finish_reason: "length" }],
      usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 },
    });
    return;
  }
  if (route === "/embeddings") {
    const inputs = typeof body.input === "string" ? [body.input] : Array.isArray(body.input) ? body.input : [];
    const base64 = body.encoding_format === "base64";
    sendJson(res, 200, {
      object: "list",
      data: inputs.map((_input, i) => ({
        object: "embedding",
        index: i,
        embedding: base64 ? float32Base64(OPENAI.embedding(i)) : OPENAI.embedding(i),
      })),
      model,
      usage: OPENAI.embeddingUsage,
    });
    return;
  }
  openaiError(res, 404, `Invalid URL (POST /v1${route})`, "invalid_request_error", null);
}

// ---------------------------------------------------------------------------------------------------------------
// Anthropic.

const ANTHROPIC_FIELDS = new Set([
  "model",
  "messages",
  "max_tokens",
  "system",
  "metadata",
  "stop_sequences",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "tools",
  "tool_choice",
  "thinking",
  "service_tier",
  "container",
  "mcp_servers",
  "context_management",
]);

function anthropicError(res: ServerResponse, status: number, type: string, message: string, headers = {}): void {
  sendJson(res, status, { type: "error", error: { type, message }, request_id: "req_fake0001" }, headers);
}

function anthropicContent(tools: boolean) {
  const text = { type: "text", text: tools ? ANTHROPIC_PREAMBLE : REPLY_TEXT };
  if (!tools) return [text];
  return [text, { type: "tool_use", id: ANTHROPIC.toolUseId, name: TOOL_NAME, input: TOOL_ARGS }];
}

function anthropicFrames(model: string, tools: boolean): string[] {
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const { usage } = ANTHROPIC;
  const frames = [
    event("message_start", {
      message: {
        id: ANTHROPIC.messageId,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    event("ping", {}),
  ];
  const textPieces = tools ? [ANTHROPIC_PREAMBLE] : TEXT_PIECES;
  for (const text of textPieces)
    frames.push(event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }));
  frames.push(event("content_block_stop", { index: 0 }));
  if (tools) {
    frames.push(
      event("content_block_start", {
        index: 1,
        content_block: { type: "tool_use", id: ANTHROPIC.toolUseId, name: TOOL_NAME, input: {} },
      }),
      event("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json: "" } }),
    );
    for (const partial_json of TOOL_ARG_PIECES) {
      frames.push(event("content_block_delta", { index: 1, delta: { type: "input_json_delta", partial_json } }));
    }
    frames.push(event("content_block_stop", { index: 1 }));
  }
  frames.push(
    event("message_delta", {
      delta: { stop_reason: tools ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    event("message_stop", {}),
  );
  return frames;
}

async function handleAnthropic(route: string, body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (
    route === "/messages/count_tokens" &&
    req.headers["x-api-key"] &&
    isRecord(body) &&
    Array.isArray(body.messages)
  ) {
    sendJson(res, 200, { input_tokens: ANTHROPIC.countTokens });
    return;
  }
  if (route !== "/messages") {
    anthropicError(res, 404, "not_found_error", `Not found: ${route}`);
    return;
  }
  if (!req.headers["x-api-key"]) {
    anthropicError(res, 401, "authentication_error", "x-api-key header is required");
    return;
  }
  // The version the gateway's adapter sends, or the one @anthropic-ai/sdk 1.x sends (forwarded on /v1/messages).
  if (req.headers["anthropic-version"] !== "2023-06-01" && req.headers["anthropic-version"] !== "2026-10-21") {
    anthropicError(res, 400, "invalid_request_error", "anthropic-version: header is required");
    return;
  }
  if (!isRecord(body)) {
    anthropicError(res, 400, "invalid_request_error", "request body must be a JSON object");
    return;
  }
  const extra = Object.keys(body).find((key) => !ANTHROPIC_FIELDS.has(key));
  if (extra) {
    anthropicError(res, 400, "invalid_request_error", `${extra}: Extra inputs are not permitted`);
    return;
  }
  for (const field of ["model", "messages", "max_tokens"]) {
    if (body[field] === undefined) {
      anthropicError(res, 400, "invalid_request_error", `${field}: Field required`);
      return;
    }
  }
  const model = String(body.model);
  const mode = modeOf(model);
  if (mode === "fail-500") return anthropicError(res, 500, "api_error", ANTHROPIC.error500);
  if (mode === "fail-429")
    return anthropicError(res, 429, "rate_limit_error", ANTHROPIC.error429, { "retry-after": "7" });
  if (mode === "slow" && !(await slowDown(res))) return;
  const tools = hasTools(body);
  if (body.stream === true) {
    await streamFrames(res, anthropicFrames(model, tools), mode === "cut" ? 5 : undefined);
    return;
  }
  sendJson(res, 200, {
    id: ANTHROPIC.messageId,
    type: "message",
    role: "assistant",
    model,
    content: anthropicContent(tools),
    stop_reason: tools ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: ANTHROPIC.usage,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Google Gemini.

const GEMINI_FIELDS = new Set([
  "contents",
  "tools",
  "toolConfig",
  "safetySettings",
  "systemInstruction",
  "generationConfig",
  "cachedContent",
]);

function googleError(res: ServerResponse, code: number, status: string, message: string, headers = {}): void {
  sendJson(res, code, { error: { code, message, status } }, headers);
}

function geminiResponse(model: string, parts: object[], finishReason: string | null, usage: object) {
  const candidate: Record<string, unknown> = { content: { parts, role: "model" }, index: 0 };
  if (finishReason) candidate.finishReason = finishReason;
  return {
    candidates: [candidate],
    usageMetadata: usage,
    modelVersion: GOOGLE.modelVersion(model),
    responseId: GOOGLE.responseId,
  };
}

function geminiFrames(model: string, tools: boolean): string[] {
  const frame = (data: object) => `data: ${JSON.stringify(data)}\r\n\r\n`;
  const { usage } = GOOGLE;
  if (tools) {
    return [frame(geminiResponse(model, [{ functionCall: { name: TOOL_NAME, args: TOOL_ARGS } }], "STOP", usage))];
  }
  // Gemini repeats usageMetadata on every event with the counts so far; the last one is final.
  return TEXT_PIECES.map((text, i) => {
    const last = i === TEXT_PIECES.length - 1;
    const soFar = last
      ? usage
      : {
          promptTokenCount: usage.promptTokenCount,
          candidatesTokenCount: i + 1,
          totalTokenCount: usage.promptTokenCount + i + 1,
        };
    return frame(geminiResponse(model, [{ text }], last ? "STOP" : null, soFar));
  });
}

async function handleGoogle(
  route: string,
  query: string,
  body: unknown,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const match = /^\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/.exec(route);
  if (!match) {
    googleError(res, 404, "NOT_FOUND", `Requested entity was not found: ${route}`);
    return;
  }
  const model = decodeURIComponent(match[1]!);
  const method = match[2]!;
  if (!req.headers["x-goog-api-key"]) {
    googleError(
      res,
      403,
      "PERMISSION_DENIED",
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
    return;
  }
  if (!isRecord(body)) {
    googleError(res, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    return;
  }
  const mode = modeOf(model);
  if (mode === "fail-500") return googleError(res, 500, "INTERNAL", GOOGLE.error500);
  if (mode === "fail-429") return googleError(res, 429, "RESOURCE_EXHAUSTED", GOOGLE.error429, { "retry-after": "7" });
  if (mode === "slow" && !(await slowDown(res))) return;

  if (method === "batchEmbedContents") {
    const requests = Array.isArray(body.requests) ? body.requests : [];
    const wrongModel = requests.find((r) => !isRecord(r) || r.model !== `models/${model}`);
    if (requests.length === 0 || wrongModel !== undefined) {
      googleError(res, 400, "INVALID_ARGUMENT", "Model names in the requests must match the model in the URL.");
      return;
    }
    sendJson(res, 200, { embeddings: requests.map((_r, i) => ({ values: GOOGLE.embedding(i) })) });
    return;
  }
  const extra = Object.keys(body).find((key) => !GEMINI_FIELDS.has(key));
  if (extra) {
    googleError(
      res,
      400,
      "INVALID_ARGUMENT",
      `Invalid JSON payload received. Unknown name "${extra}": Cannot find field.`,
    );
    return;
  }
  if (!Array.isArray(body.contents)) {
    googleError(res, 400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
    return;
  }
  const tools = hasTools(body);
  if (method === "streamGenerateContent") {
    if (query !== "?alt=sse") {
      googleError(res, 400, "INVALID_ARGUMENT", "this fake only streams with ?alt=sse");
      return;
    }
    await streamFrames(res, geminiFrames(model, tools), mode === "cut" ? 2 : undefined);
    return;
  }
  const parts = tools ? [{ functionCall: { name: TOOL_NAME, args: TOOL_ARGS } }] : [{ text: REPLY_TEXT }];
  sendJson(res, 200, geminiResponse(model, parts, "STOP", GOOGLE.usage));
}

// ---------------------------------------------------------------------------------------------------------------
// The server.

export interface FakeProviders {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Base URLs to use as `x-portkey-custom-host`. */
  hosts: Record<FakeProvider, string>;
  requests: RecordedRequest[];
  /** The most recent request (throws when there is none). */
  last(): RecordedRequest;
  reset(): void;
  close(): Promise<void>;
}

const PREFIXES: readonly [FakeProvider, string][] = [
  ["openai", "/openai/v1"],
  ["anthropic", "/anthropic/v1"],
  ["google", "/google/v1beta"],
];

export async function startFakeProviders(): Promise<FakeProviders> {
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake.local");
      const body = await readBody(req);
      const prefix = PREFIXES.find(([, p]) => url.pathname.startsWith(`${p}/`));
      const provider = prefix?.[0] ?? "unknown";
      requests.push({
        provider,
        method: req.method ?? "",
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body,
      });
      if (!prefix || req.method !== "POST") {
        sendJson(res, 404, { error: { message: `fake: no route for ${req.method} ${url.pathname}` } });
        return;
      }
      const route = url.pathname.slice(prefix[1].length);
      if (provider === "openai") await handleOpenAI(route, body, req, res);
      else if (provider === "anthropic") await handleAnthropic(route, body, req, res);
      else await handleGoogle(route, url.search, body, req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 599, { error: { message: `fake provider crashed: ${String(error)}` } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    hosts: { openai: `${origin}/openai/v1`, anthropic: `${origin}/anthropic/v1`, google: `${origin}/google/v1beta` },
    requests,
    last() {
      const request = requests.at(-1);
      if (!request) throw new Error("the fake providers received no request");
      return request;
    },
    reset() {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
