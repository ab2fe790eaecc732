// Targets (issue 7), the printed table and the results file.
import { round } from "./stats.mjs";

const f = (value, digits = 2) =>
  value === null || value === undefined || Number.isNaN(value) ? "-" : value.toFixed(digits);
const signed = (value, digits = 2) =>
  value === null || Number.isNaN(value) ? "-" : `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;
const ratio = (value) => (value === null || Number.isNaN(value) ? "-" : `${value.toFixed(2)}x`);

/** Every target is measured above the floor from the same run. A miss is reported, never thrown. */
export function evaluateTargets(results) {
  const seq = results.sequential;
  const c50 = results.load.instant.c50;
  const paced = results.streams.paced;
  const cpu = results.cpu.loadInstant;
  const bundleKiB = results.bundle.wranglerGzipKiB ?? results.bundle.gzipKiB;
  const chunkCountsMatch =
    paced.gateway.contentChunks === paced.floor.contentChunks &&
    paced.gateway.contentChunks === paced.direct.contentChunks;
  const holdBackOver = paced.gateway.holdBackP50 - paced.floor.holdBackP50;
  return [
    {
      id: "seq-p50",
      what: "non-streamed chat, sequential p50 overhead",
      value: seq.gateway.p50 - seq.floor.p50,
      unit: "ms",
      limit: "<= floor + 0.30 ms",
      pass: seq.gateway.p50 - seq.floor.p50 <= 0.3,
    },
    {
      id: "c50-p99",
      what: "non-streamed chat, p99 at concurrency 50",
      value: c50.gateway.p99 / c50.floor.p99,
      unit: "x floor",
      limit: "<= 1.20x floor",
      pass: c50.gateway.p99 / c50.floor.p99 <= 1.2,
    },
    {
      id: "stream-ttfb",
      what: "streamed chat, time to first byte",
      value: paced.gateway.ttfb - paced.floor.ttfb,
      unit: "ms",
      limit: "<= floor + 0.30 ms",
      pass: paced.gateway.ttfb - paced.floor.ttfb <= 0.3,
    },
    {
      id: "stream-holdback",
      what: "streamed chat, no chunk held back (same chunk count, hold-back within floor + 1 ms)",
      value: holdBackOver,
      unit: "ms",
      limit: "<= floor + 1.00 ms, counts equal",
      pass: chunkCountsMatch && holdBackOver <= 1,
    },
    {
      id: "cpu",
      what: "CPU per request (workerd), non-streamed, all load slices",
      value: cpu.gateway - cpu.floor,
      unit: "ms",
      limit: "<= floor + 0.25 ms",
      pass: cpu.gateway - cpu.floor <= 0.25,
    },
    {
      id: "bundle",
      what: `bundle size, gzipped (${results.bundle.wranglerGzipKiB === null ? "gzip -9 of bench/build" : "wrangler dry-run"})`,
      value: bundleKiB,
      unit: "KiB",
      limit: "<= 200 KiB",
      pass: bundleKiB <= 200,
    },
  ].map((t) => ({ ...t, value: round(t.value) }));
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r, ri) => {
      const line = r
        .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
        .join("  ");
      return ri === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

/** Rows: absolute figures for context, then gateway - floor and gateway / floor, which are the figures that count. */
export function formatTable(results) {
  const rows = [["measure (ms unless noted)", "direct", "floor", "gateway", "gw-floor", "gw/floor"]];
  const add = (label, d, fl, gw, digits = 2) =>
    rows.push([label, f(d, digits), f(fl, digits), f(gw, digits), signed(gw - fl, digits), ratio(gw / fl)]);
  const seq = results.sequential;
  add("sequential p50 (median of round medians)", seq.direct.p50, seq.floor.p50, seq.gateway.p50, 3);
  add("sequential p99 (all samples)", seq.direct.p99, seq.floor.p99, seq.gateway.p99, 3);
  const lg = results.sequentialLarge;
  add("sequential p50, 64 KiB prompt", lg.direct.p50, lg.floor.p50, lg.gateway.p50, 3);
  for (const [key, label] of [
    ["paced", "stream 50 chunks paced 1 ms"],
    ["burst", "stream 50 chunks at once"],
  ]) {
    const s = results.streams[key];
    add(`${label}: TTFB p50`, s.direct.ttfb, s.floor.ttfb, s.gateway.ttfb, 3);
    add(`${label}: total p50`, s.direct.total, s.floor.total, s.gateway.total, 3);
    if (key === "paced")
      add(`${label}: max hold-back p50`, s.direct.holdBackP50, s.floor.holdBackP50, s.gateway.holdBackP50, 3);
  }
  for (const [variant, byConcurrency] of Object.entries(results.load)) {
    for (const [c, t] of Object.entries(byConcurrency)) {
      const tag = `${variant} ${c}`;
      add(`${tag}: rps (requests/s)`, t.direct.rps, t.floor.rps, t.gateway.rps, 0);
      add(`${tag}: p50`, t.direct.p50, t.floor.p50, t.gateway.p50);
      add(`${tag}: p99`, t.direct.p99, t.floor.p99, t.gateway.p99);
      const errors = [t.direct.errors, t.floor.errors, t.gateway.errors];
      rows.push([
        `${tag}: errors / requests`,
        ...["direct", "floor", "gateway"].map((k) => `${t[k].errors}/${t[k].requests}`),
        errors.some(Boolean) ? "!" : "",
        "",
      ]);
    }
  }
  const cpu = results.cpu;
  add("workerd CPU ms / request, sequential", null, cpu.sequential.floor, cpu.sequential.gateway, 3);
  add("workerd CPU ms / request, 64 KiB prompt", null, cpu.sequentialLarge.floor, cpu.sequentialLarge.gateway, 3);
  add("workerd CPU ms / request, load (all c)", null, cpu.loadInstant.floor, cpu.loadInstant.gateway, 3);
  for (const [c, v] of Object.entries(cpu.loadByConcurrency))
    add(`workerd CPU ms / request, load ${c}`, null, v.floor, v.gateway, 3);
  add("workerd CPU ms / stream (50 chunks at once)", null, cpu.streamsBurst.floor, cpu.streamsBurst.gateway, 3);
  const gw = seq.gatewayServerTiming;
  const lines = [table(rows)];
  const failed = [];
  for (const [phase, byTarget] of [
    ["sequential", seq],
    ["64 KiB prompt", results.sequentialLarge],
    ["paced streams", results.streams.paced],
    ["streams at once", results.streams.burst],
  ]) {
    for (const name of ["direct", "floor", "gateway"])
      if (byTarget[name]?.errors) failed.push(`${phase} ${name}: ${byTarget[name].errors}`);
  }
  lines.push(
    failed.length
      ? `WARNING: failed requests outside the load phases: ${failed.join(", ")}`
      : "no failed requests outside the load phases",
  );
  if (gw)
    lines.push(
      `gateway's own Server-Timing (mean; workerd clocks advance only on I/O): gateway;dur=${f(gw.gatewayMean, 3)} upstream;dur=${f(gw.upstreamMean, 3)}`,
    );
  const m = results.machineLoad;
  if (m) {
    lines.push(
      `machine during the run: ${f(m.machineBusyShare * 100, 0)}% busy, of which the bench ${f(m.benchShare * 100, 0)}% and other processes ${f(m.otherProcessesShare * 100, 0)}% (load average ${f(m.loadavg1mAtStart, 1)} at start)` +
        (m.otherProcessesShare > 0.1
          ? "\nWARNING: other processes used a good part of the machine: figures are noisier than on a quiet one"
          : ""),
    );
  }
  return lines.join("\n");
}

export function formatTargets(targets) {
  const rows = [["target", "measured", "limit", "result"]];
  for (const t of targets)
    rows.push([t.what, `${t.value === null ? "-" : t.value} ${t.unit}`, t.limit, t.pass ? "PASS" : "MISS"]);
  return table(rows);
}

export function formatBundle(bundle) {
  const gzip =
    bundle.wranglerGzipKiB === null
      ? `${f(bundle.gzipKiB, 2)} KiB gzipped (gzip -9; wrangler's figure needs a build)`
      : `${f(bundle.wranglerGzipKiB, 2)} KiB gzipped (wrangler dry-run)`;
  const parts = [`bundle: ${f(bundle.rawKiB, 1)} KiB raw, ${gzip}`];
  if (bundle.minifiedGzipKiB) parts.push(`${f(bundle.minifiedGzipKiB, 2)} KiB gzipped if minified`);
  return parts.join(", ");
}

/** Self time per request by module and by function, from summariseProfile. */
export function formatProfile(summary, requests) {
  const rows = (items) =>
    items.map((i) => [
      i.name.length > 110 ? `${i.name.slice(0, 107)}...` : i.name,
      (i.ms / requests).toFixed(4),
      `${(i.share * 100).toFixed(1)}%`,
    ]);
  return [
    table([["module (self time)", "ms/req", "share"], ...rows(summary.modules)]),
    "",
    table([["function (self time)", "ms/req", "share"], ...rows(summary.functions)]),
  ].join("\n");
}

/** Which stages ran, and bound resources no stage uses on the benchmarked path. */
export function formatPipeline(pipeline) {
  const lines = ["gateway pipeline:"];
  for (const s of pipeline.stages) {
    const bindings = s.bindings.length ? ` [${s.bindings.join(", ")}]` : "";
    lines.push(`  ${s.state.padEnd(20)} ${s.label}${bindings}${s.note ? ` (${s.note})` : ""}`);
  }
  if (pipeline.otherBindings.length)
    lines.push(`  also bound (hosted locally, no bench stage drives it): ${pipeline.otherBindings.join(", ")}`);
  if (pipeline.d1Migrations.length) lines.push(`  D1 migrations applied: ${pipeline.d1Migrations.join(", ")}`);
  return lines.join("\n");
}
