// The load client: node:http with keep-alive agents, no dependencies. Every loop is bounded in count and time.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { median, percentile } from "./stats.mjs";

const REQUEST_TIMEOUT_MS = 15_000;
/** Hard cap on requests in one load slice, whatever its duration. */
const MAX_REQUESTS_PER_SLICE = 200_000;

let counter = 0;
/** About 64 KiB of prompt text, for the large-body case (long conversations, pasted documents). */
const LARGE_TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(1456);

/** A realistic chat body, unique per request (a cache, once on, takes the miss path every time). */
export function chatBody(stream, large = false, userText = null) {
  counter += 1;
  // userText (bench/lib/guardrails-stage.mjs): a given user message, still unique per request.
  const ask = userText
    ? `${JSON.stringify(userText).slice(1, -1)} (request #${counter})`
    : `Say hello to request #${counter} in one short sentence.`;
  const context = large ? `{"role":"user","content":"${LARGE_TEXT}"},{"role":"assistant","content":"Noted."},` : "";
  return (
    '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a concise assistant."},' +
    context +
    `{"role":"user","content":"${ask}"}],` +
    `"max_tokens":64,"temperature":0.2${stream ? ',"stream":true' : ""}}`
  );
}

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {number} port
 * @property {(variant: string) => string} path
 * @property {(variant: string) => Record<string, string>} headers
 */

const CONTENT_MARK = /" w(\d+)@([\d.]+)"/g;

/**
 * One POST. Resolves (never rejects) with timings in ms from just before the request is written:
 * `ttfb` to the first body byte, `ms` to the end of the body. With `trackChunks`, it counts content chunks and
 * measures hold-back: how much later than the fastest chunk of the stream (relative to when the mock sent each)
 * the slowest one arrived.
 */
export function send(target, variant, { agent, stream = false, trackChunks = false, large = false } = {}) {
  const body = chatBody(stream, large, target.userText ?? null);
  return new Promise((resolve) => {
    const start = performance.now();
    let settled = false;
    const done = (result) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = http.request(
      {
        agent,
        host: "127.0.0.1",
        port: target.port,
        method: "POST",
        path: target.path(variant),
        headers: {
          ...target.headers(variant),
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        let ttfb = 0;
        let bytes = 0;
        let text = "";
        let contentChunks = 0;
        // Per content chunk: arrival (client clock, from the request's start) minus the time the mock sent it (mock
        // clock, from its first chunk). The smallest offset is the fastest any chunk got through; a chunk whose
        // offset is larger arrived that much later than it could have: it was held back somewhere.
        let minOffset = Number.POSITIVE_INFINITY;
        let maxOffset = Number.NEGATIVE_INFINITY;
        res.on("data", (data) => {
          const now = performance.now();
          if (ttfb === 0) ttfb = now - start;
          bytes += data.length;
          if (!trackChunks) return;
          text += data.toString("latin1");
          const cut = text.lastIndexOf("\n\n");
          if (cut === -1) return;
          const complete = text.slice(0, cut);
          text = text.slice(cut + 2);
          for (const match of complete.matchAll(CONTENT_MARK)) {
            const offset = now - start - Number(match[2]);
            contentChunks += 1;
            minOffset = Math.min(minOffset, offset);
            maxOffset = Math.max(maxOffset, offset);
          }
        });
        res.on("end", () =>
          done({
            ok: res.statusCode === 200,
            status: res.statusCode,
            ms: performance.now() - start,
            ttfb,
            bytes,
            contentChunks,
            holdBack: contentChunks > 0 ? maxOffset - minOffset : 0,
            serverTiming: res.headers["server-timing"],
          }),
        );
        res.on("error", (error) =>
          done({ ok: false, status: res.statusCode, error: error.message, ms: performance.now() - start }),
        );
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error("client timeout")));
    req.on("error", (error) => done({ ok: false, status: 0, error: error.message, ms: performance.now() - start }));
    req.end(body);
  });
}

const rotate = (items, by) => items.map((_, i) => items[(i + by) % items.length]);

/**
 * Sequential, interleaved: `rounds` rounds of `perRound` requests to each target, alternating targets request by
 * request (the starting target rotates each round) so drift hits all targets alike. Figure: median of round
 * medians. `pick` chooses the figure of a result (total time by default).
 */
export async function sequentialInterleaved(
  targets,
  variant,
  { rounds, perRound, stream = false, trackChunks = false, large = false, pick = (r) => r.ms },
) {
  const agents = new Map(targets.map((t) => [t.name, new http.Agent({ keepAlive: true, maxSockets: 1 })]));
  const perTarget = new Map(targets.map((t) => [t.name, { roundMedians: [], all: [], errors: 0, results: [] }]));
  try {
    for (let r = 0; r < rounds; r++) {
      const order = rotate(targets, r);
      const inRound = new Map(targets.map((t) => [t.name, []]));
      for (let i = 0; i < perRound; i++) {
        for (const target of order) {
          const result = await send(target, variant, { agent: agents.get(target.name), stream, trackChunks, large });
          const bucket = perTarget.get(target.name);
          if (!result.ok) {
            bucket.errors += 1;
            continue;
          }
          const value = pick(result);
          inRound.get(target.name).push(value);
          bucket.all.push(value);
          bucket.results.push(result);
        }
      }
      for (const target of targets) perTarget.get(target.name).roundMedians.push(median(inRound.get(target.name)));
    }
  } finally {
    for (const agent of agents.values()) agent.destroy();
  }
  return perTarget;
}

/**
 * Closed-loop load at a fixed concurrency for a bounded time: `concurrency` workers, each sending its next request
 * when the previous one ends. A short unrecorded warm-up opens the connections first. `sample()` is called just
 * before and after the measured window (CPU counters).
 */
export async function load(target, variant, { concurrency, warmMs, durationMs, sample = () => null }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let errors = 0;
  let firstError;
  let issued = 0;
  const run = async (until, record) => {
    const worker = async () => {
      while (performance.now() < until && issued < MAX_REQUESTS_PER_SLICE) {
        issued += 1;
        const result = await send(target, variant, { agent });
        if (!record) continue;
        if (result.ok) latencies.push(result.ms);
        else {
          errors += 1;
          firstError ??= result.error ?? `HTTP ${result.status}`;
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  try {
    await run(performance.now() + warmMs, false);
    issued = 0;
    const before = sample();
    const t0 = performance.now();
    await run(t0 + durationMs, true);
    const elapsed = performance.now() - t0;
    const after = sample();
    return { latencies, errors, firstError, elapsedMs: elapsed, completed: latencies.length + errors, before, after };
  } finally {
    agent.destroy();
  }
}

/** Summarise load slices of one target (several rounds) into rps, p50, p99, errors. */
export function summariseLoad(slices) {
  const latencies = slices.flatMap((s) => s.latencies);
  const completed = slices.reduce((n, s) => n + s.completed, 0);
  const elapsed = slices.reduce((n, s) => n + s.elapsedMs, 0);
  const errors = slices.reduce((n, s) => n + s.errors, 0);
  return {
    requests: completed,
    rps: (completed / elapsed) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    firstError: slices.find((s) => s.firstError)?.firstError,
  };
}
