// The measurement phases. Targets are measured in the same run, interleaved, and reported against the floor.
import { setTimeout as sleep } from "node:timers/promises";
import { load, send, sequentialInterleaved, summariseLoad } from "./client.mjs";
import { mean, median, percentile, round } from "./stats.mjs";

/** Every phase is bounded: request counts and durations, all in one place. */
export const PLANS = {
  full: {
    warmRequests: 400,
    sequential: { rounds: 15, perRound: 60 },
    sequentialLarge: { rounds: 6, perRound: 25 },
    streamsPaced: { rounds: 8, perRound: 4 },
    streamsBurst: { rounds: 10, perRound: 10 },
    load: { concurrencies: [1, 10, 50], rounds: 3, warmMs: 300, sliceMs: 2500 },
    loadDelay: { concurrencies: [50], rounds: 2, warmMs: 300, sliceMs: 2500 },
  },
  quick: {
    warmRequests: 50,
    sequential: { rounds: 3, perRound: 20 },
    sequentialLarge: { rounds: 2, perRound: 5 },
    streamsPaced: { rounds: 2, perRound: 2 },
    streamsBurst: { rounds: 2, perRound: 5 },
    load: { concurrencies: [1, 10, 50], rounds: 1, warmMs: 200, sliceMs: 600 },
    loadDelay: { concurrencies: [50], rounds: 1, warmMs: 200, sliceMs: 600 },
  },
};

/** Every target must answer every variant correctly, or the figures mean nothing. */
export async function sanityCheck(targets) {
  for (const target of targets) {
    const plain = await send(target, "instant");
    const paced = await send(target, "paced", { stream: true, trackChunks: true });
    if (plain.ok && paced.ok && paced.contentChunks === 48) continue;
    const detail = await fetch(`http://127.0.0.1:${target.port}${target.path("instant")}`, {
      method: "POST",
      headers: { ...target.headers("instant"), "content-type": "application/json" },
      body: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}',
    }).then(
      (r) => r.text(),
      (e) => e.message,
    );
    throw new Error(
      `${target.name} is not answering correctly (HTTP ${plain.status}, stream HTTP ${paced.status} with ${paced.contentChunks} content chunks): ${detail.slice(0, 500)}`,
    );
  }
}

function streamSummary(perTarget, name) {
  const s = perTarget.get(name);
  const per = s.results;
  const perRound = Math.max(1, Math.round(per.length / Math.max(1, s.roundMedians.length)));
  const ttfbRounds = [];
  for (let i = 0; i * perRound < per.length; i++)
    ttfbRounds.push(median(per.slice(i * perRound, (i + 1) * perRound).map((r) => r.ttfb)));
  return {
    ttfb: median(ttfbRounds),
    total: median(s.roundMedians),
    holdBackP50: median(per.map((r) => r.holdBack)),
    holdBackMax: Math.max(...per.map((r) => r.holdBack)),
    contentChunks: Math.min(...per.map((r) => r.contentChunks)),
    streams: per.length,
    errors: s.errors,
  };
}

/**
 * Run every phase against direct, floor and gateway. `cpuNow()` returns the CPU ms so far of the floor's and the
 * gateway's workerd; `log` reports progress.
 */
export async function measure(targets, plan, { cpuNow, log }) {
  const results = {};
  const names = targets.map((t) => t.name);
  const byTarget = (fn) => Object.fromEntries(names.map((name) => [name, fn(name)]));

  // Idle CPU of each workerd (should be ~0): anything here would bias CPU per request.
  const idle0 = cpuNow();
  await sleep(1000);
  const idle1 = cpuNow();
  results.cpuIdleMsPerSecond = { floor: idle1.floor - idle0.floor, gateway: idle1.gateway - idle0.gateway };

  log(`warm-up: ${plan.warmRequests} sequential requests per target, then 1 s at c=10`);
  await sequentialInterleaved(targets, "instant", { rounds: 1, perRound: plan.warmRequests });
  await sequentialInterleaved(targets, "instant", { rounds: 1, perRound: 20, stream: true });
  for (const target of targets) await load(target, "instant", { concurrency: 10, warmMs: 0, durationMs: 1000 });

  // 1. Sequential, interleaved request by request, non-streamed.
  log(`sequential: ${plan.sequential.rounds} rounds x ${plan.sequential.perRound} requests per target`);
  const cpuSeq0 = cpuNow();
  const seq = await sequentialInterleaved(targets, "instant", plan.sequential);
  const cpuSeq1 = cpuNow();
  results.sequential = byTarget((name) => {
    const s = seq.get(name);
    return {
      p50: median(s.roundMedians),
      p90: percentile(s.all, 90),
      p99: percentile(s.all, 99),
      requests: s.all.length,
      errors: s.errors,
      roundMedians: s.roundMedians.map((v) => round(v)),
    };
  });
  const timing = seq
    .get("gateway")
    .results.map((r) => /gateway;dur=([\d.]+)(?:.*upstream;dur=([\d.]+))?/.exec(r.serverTiming ?? ""))
    .filter(Boolean);
  results.sequential.gatewayServerTiming = timing.length
    ? {
        note: "the gateway's own view; workerd's clocks advance only on I/O, so per-request values are coarse: means shown",
        gatewayMean: mean(timing.map((m) => Number(m[1]))),
        upstreamMean: mean(timing.filter((m) => m[2]).map((m) => Number(m[2]))),
      }
    : null;
  const seqRequests = (name) => seq.get(name).all.length + seq.get(name).errors;

  // 1b. The same with a ~64 KiB prompt: what the gateway does per byte of body (reading, parsing, re-serialising).
  log(
    `sequential, 64 KiB prompt: ${plan.sequentialLarge.rounds} rounds x ${plan.sequentialLarge.perRound} requests per target`,
  );
  const cpuLarge0 = cpuNow();
  const large = await sequentialInterleaved(targets, "instant", { ...plan.sequentialLarge, large: true });
  const cpuLarge1 = cpuNow();
  results.sequentialLarge = byTarget((name) => {
    const s = large.get(name);
    return { p50: median(s.roundMedians), p99: percentile(s.all, 99), requests: s.all.length, errors: s.errors };
  });
  const largeRequests = (name) => large.get(name).all.length + large.get(name).errors;

  // 2. Streams: paced (TTFB, hold-back), then all chunks at once (total time, CPU per stream).
  log(
    `streams: paced ${plan.streamsPaced.rounds}x${plan.streamsPaced.perRound}, at once ${plan.streamsBurst.rounds}x${plan.streamsBurst.perRound} per target`,
  );
  const paced = await sequentialInterleaved(targets, "paced", {
    ...plan.streamsPaced,
    stream: true,
    trackChunks: true,
  });
  const cpuBurst0 = cpuNow();
  const burst = await sequentialInterleaved(targets, "instant", {
    ...plan.streamsBurst,
    stream: true,
    trackChunks: true,
  });
  const cpuBurst1 = cpuNow();
  results.streams = {
    paced: byTarget((name) => streamSummary(paced, name)),
    burst: byTarget((name) => streamSummary(burst, name)),
  };

  // 3. Load: closed loop at fixed concurrency; each round rotates the order of the targets.
  const cpuLoad = { floor: { ms: 0, requests: 0 }, gateway: { ms: 0, requests: 0 } };
  const cpuLoadByConcurrency = {};
  results.load = {};
  for (const [variant, spec] of [
    ["instant", plan.load],
    ["delay50", plan.loadDelay],
  ]) {
    results.load[variant] = {};
    for (const concurrency of spec.concurrencies) {
      log(`load ${variant} c=${concurrency}: ${spec.rounds} rounds x ${spec.sliceMs} ms per target`);
      const slices = Object.fromEntries(names.map((n) => [n, []]));
      for (let r = 0; r < spec.rounds; r++) {
        for (let i = 0; i < targets.length; i++) {
          const target = targets[(i + r) % targets.length];
          slices[target.name].push(
            await load(target, variant, { concurrency, warmMs: spec.warmMs, durationMs: spec.sliceMs, sample: cpuNow }),
          );
        }
      }
      results.load[variant][`c${concurrency}`] = byTarget((name) => summariseLoad(slices[name]));
      if (variant !== "instant") continue;
      const byC = {};
      for (const name of ["floor", "gateway"]) {
        const ms = slices[name].reduce((sum, s) => sum + (s.after[name] - s.before[name]), 0);
        const requests = slices[name].reduce((sum, s) => sum + s.completed, 0);
        cpuLoad[name].ms += ms;
        cpuLoad[name].requests += requests;
        byC[name] = ms / requests;
      }
      cpuLoadByConcurrency[`c${concurrency}`] = byC;
    }
  }

  results.cpu = {
    note: "workerd utime+stime (/proc/<pid>/stat) over the phase / requests in the phase; 10 ms tick resolution",
    sequential: {
      floor: (cpuSeq1.floor - cpuSeq0.floor) / seqRequests("floor"),
      gateway: (cpuSeq1.gateway - cpuSeq0.gateway) / seqRequests("gateway"),
    },
    sequentialLarge: {
      floor: (cpuLarge1.floor - cpuLarge0.floor) / largeRequests("floor"),
      gateway: (cpuLarge1.gateway - cpuLarge0.gateway) / largeRequests("gateway"),
    },
    loadInstant: {
      floor: cpuLoad.floor.ms / cpuLoad.floor.requests,
      gateway: cpuLoad.gateway.ms / cpuLoad.gateway.requests,
      requests: cpuLoad,
    },
    loadByConcurrency: cpuLoadByConcurrency,
    streamsBurst: {
      floor: (cpuBurst1.floor - cpuBurst0.floor) / burst.get("floor").results.length,
      gateway: (cpuBurst1.gateway - cpuBurst0.gateway) / burst.get("gateway").results.length,
    },
  };

  const perLoad = (fn) =>
    Object.fromEntries(
      Object.entries(results.load).flatMap(([variant, byC]) =>
        Object.entries(byC).map(([c, t]) => [`${variant} ${c}`, fn(t)]),
      ),
    );
  results.overhead = {
    note: "gateway - floor (ms) or gateway / floor, same run",
    sequentialP50Ms: results.sequential.gateway.p50 - results.sequential.floor.p50,
    sequentialP99Ms: results.sequential.gateway.p99 - results.sequential.floor.p99,
    sequentialLargeP50Ms: results.sequentialLarge.gateway.p50 - results.sequentialLarge.floor.p50,
    cpuPerLargeRequestMs: results.cpu.sequentialLarge.gateway - results.cpu.sequentialLarge.floor,
    p50MsByLoad: perLoad((t) => t.gateway.p50 - t.floor.p50),
    p99RatioByLoad: perLoad((t) => t.gateway.p99 / t.floor.p99),
    rpsRatioByLoad: perLoad((t) => t.gateway.rps / t.floor.rps),
    streamTtfbMs: results.streams.paced.gateway.ttfb - results.streams.paced.floor.ttfb,
    streamHoldBackMs: results.streams.paced.gateway.holdBackP50 - results.streams.paced.floor.holdBackP50,
    streamBurstTtfbMs: results.streams.burst.gateway.ttfb - results.streams.burst.floor.ttfb,
    streamBurstTotalMs: results.streams.burst.gateway.total - results.streams.burst.floor.total,
    cpuPerRequestMs: results.cpu.loadInstant.gateway - results.cpu.loadInstant.floor,
    cpuPerRequestSequentialMs: results.cpu.sequential.gateway - results.cpu.sequential.floor,
    cpuPerStreamMs: results.cpu.streamsBurst.gateway - results.cpu.streamsBurst.floor,
    floorOverDirectSequentialP50Ms: results.sequential.floor.p50 - results.sequential.direct.p50,
  };
  return results;
}
