// A fake OpenAI-compatible upstream for the benchmark. Runs in its own process (forked by run.mjs) so that its
// event loop does not share a core with the load client.
//
// The first path segment picks the variant, the rest is the OpenAI path:
//   /instant/v1/chat/completions   answer at once
//   /delay50/v1/chat/completions   answer after 50 ms
//   /paced/v1/chat/completions     (streams) one chunk about every millisecond
// `"stream": true` in the body gives an SSE answer of 50 chunks (role, 48 content chunks, finish) plus a usage
// chunk when `stream_options.include_usage` is set, then `data: [DONE]`. Without pacing all chunks are written at
// once. Each content chunk carries `@<ms>`: the mock's own clock relative to the first chunk of that stream, so the
// client can tell whether a proxy held a chunk back (relative times only, no clock shared across processes).
//
// Standalone: `node bench/mock-upstream.mjs [port]` prints the port it listens on.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

export const STREAM_CHUNKS = 50;
const CONTENT_CHUNKS = STREAM_CHUNKS - 2;
const DELAY_MS = 50;
const PACE_MS = 1;
const MAX_BODY = 1 << 20;

const completions = new Map();

/** The non-streamed answer, built once per model: the mock must stay cheap next to what it measures. */
function completionBody(model) {
  let body = completions.get(model);
  if (!body) {
    body = Buffer.from(
      JSON.stringify({
        id: "chatcmpl-bench0000000000000000000000",
        object: "chat.completion",
        created: 1_760_000_000,
        model,
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content:
                "The gateway forwarded this answer from the mock upstream. It has about the length of a short reply.",
              refusal: null,
              annotations: [],
            },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: {
          prompt_tokens: 27,
          completion_tokens: 21,
          total_tokens: 48,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
        service_tier: "default",
        system_fingerprint: "fp_bench",
      }),
    );
    completions.set(model, body);
  }
  return body;
}

function chunk(model, delta, finishReason = null) {
  return `data: ${JSON.stringify({
    id: "chatcmpl-bench0000000000000000000000",
    object: "chat.completion.chunk",
    created: 1_760_000_000,
    model,
    system_fingerprint: "fp_bench",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  })}\n\n`;
}

function usageChunk(model) {
  return `data: ${JSON.stringify({
    id: "chatcmpl-bench0000000000000000000000",
    object: "chat.completion.chunk",
    created: 1_760_000_000,
    model,
    system_fingerprint: "fp_bench",
    choices: [],
    usage: { prompt_tokens: 27, completion_tokens: CONTENT_CHUNKS, total_tokens: 27 + CONTENT_CHUNKS },
  })}\n\n`;
}

/** Stream: the first chunk goes out with the headers, the rest at once or paced. Every loop is bounded. */
function stream(res, model, includeUsage, paced) {
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  const t0 = performance.now();
  let k = 0;
  let closed = false;
  res.on("close", () => (closed = true));
  const next = () => {
    if (k === 0) return chunk(model, { role: "assistant", content: "", refusal: null });
    if (k <= CONTENT_CHUNKS) return chunk(model, { content: ` w${k}@${(performance.now() - t0).toFixed(3)}` });
    return chunk(model, {}, "stop");
  };
  const finish = () => {
    if (includeUsage) res.write(usageChunk(model));
    res.end("data: [DONE]\n\n");
  };
  if (!paced) {
    for (; k < STREAM_CHUNKS; k++) res.write(next());
    return finish();
  }
  const tick = () => {
    if (closed) return;
    res.write(next());
    k++;
    if (k < STREAM_CHUNKS) setTimeout(tick, PACE_MS);
    else finish();
  };
  tick();
}

function fail(res, status, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: null } }));
}

function handle(req, res, text) {
  const slash = req.url.indexOf("/", 1);
  const variant = req.url.slice(1, slash);
  const path = req.url.slice(slash);
  if (req.method !== "POST" || path !== "/v1/chat/completions")
    return fail(res, 404, `no mock route ${req.method} ${req.url}`);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(res, 400, "mock: body is not JSON");
  }
  const model = typeof body.model === "string" ? body.model : "unknown";
  if (body.stream === true) return stream(res, model, body.stream_options?.include_usage === true, variant === "paced");
  const answer = completionBody(model);
  const send = () => {
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": answer.length,
      "x-request-id": "req_bench",
    });
    res.end(answer);
  };
  if (variant === "delay50") setTimeout(send, DELAY_MS);
  else send();
}

export function startMockUpstream(port = 0) {
  const server = http.createServer((req, res) => {
    const parts = [];
    let size = 0;
    req.on("data", (d) => {
      size += d.length;
      if (size <= MAX_BODY) parts.push(d);
    });
    req.on("end", () =>
      size > MAX_BODY
        ? fail(res, 413, "mock: body too large")
        : handle(req, res, Buffer.concat(parts).toString("utf8")),
    );
  });
  // Proxies keep pooled connections open: never close an idle one under them mid-run.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  server.requestTimeout = 30_000;
  server.maxRequestsPerSocket = 0;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const server = await startMockUpstream(Number(process.argv[2] ?? 0));
  const { port } = server.address();
  if (process.send) process.send({ port });
  else console.log(`mock upstream on http://127.0.0.1:${port}`);
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
}
