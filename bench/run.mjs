// The overhead benchmark (issue 7): `npm run bench` (Node 22; npm puts node_modules/.bin first in PATH).
//
// 1. builds the Worker exactly as it deploys (`wrangler deploy --dry-run --outdir bench/build`) and sizes it;
// 2. starts the mock upstream (bench/mock-upstream.mjs) in its own process on 127.0.0.1;
// 3. hosts, each with its own Miniflare (so its own workerd, so /proc CPU is attributable):
//      floor    bench/floor-worker.js, a bare passthrough Worker;
//      gateway  the built bundle with the bindings wrangler derives from wrangler.toml, so pipeline stages that
//               need bindings (KV, D1, Durable Objects, Queues) are on as soon as wrangler.toml has them
//               (bench/pipeline.mjs says which stages ran, and drives those that need client-side setup);
// 4. measures direct (client -> mock), floor and gateway in one run, prints gateway - floor and gateway / floor,
//    checks the targets of issue 7 (PASS/MISS, never a failure) and writes bench/results/latest.json.
//
// Options (after `npm run bench --`):
//   --quick     a short smoke run (seconds of load instead of a minute): figures are indicative only
//   --no-build  reuse bench/build from the previous run
//   --entry     reach both Workers through Miniflare's entry Worker (as `wrangler dev` serves) instead of a
//               direct socket per Worker
//   --profile   instead of measuring: CPU-profile the gateway through workerd's inspector under load and print
//               self time by function and module (profiles saved to bench/build/profiles/*.cpuprofile)
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { load, sequentialInterleaved } from "./lib/client.mjs";
import { PLANS, measure, sanityCheck } from "./lib/measure.mjs";
import { contentionMeter, cpuOf, descendantsNamed, machineInfo } from "./lib/proc.mjs";
import { connectInspector, summariseProfile } from "./lib/profile.mjs";
import {
  evaluateTargets,
  formatBundle,
  formatPipeline,
  formatProfile,
  formatTable,
  formatTargets,
} from "./lib/report.mjs";
import {
  applyD1Migrations,
  benchDir,
  build,
  bundlePath,
  buildDir,
  floorWorkerOptions,
  freePort,
  gatewayWorkerOptions,
  host,
  packageVersion,
  root,
  startMock,
} from "./lib/setup.mjs";
import { round } from "./lib/stats.mjs";
import { planStages } from "./pipeline.mjs";
import { formatStages, measureStages } from "./lib/stages.mjs";
import { formatGuardrailCost, guardrailVariants } from "./lib/guardrails-stage.mjs";
import { formatChecks, measureChecks } from "./lib/guardrail-checks.mjs";
import { formatPromptRenderCost, measurePromptRender } from "./lib/prompt-stage.mjs";

const args = new Set(process.argv.slice(2));
const known = new Set(["--quick", "--no-build", "--entry", "--profile"]);
for (const arg of args) if (!known.has(arg)) throw new Error(`unknown option ${arg} (known: ${[...known].join(" ")})`);
const quick = args.has("--quick");
const direct = !args.has("--entry");
const profiling = args.has("--profile");
// Only a full run in the default hosting mode is the reference (bench/results/latest.json, shown in docs/benchmark.md);
// smoke runs and --entry runs go to bench/build (git-ignored).
const resultsFile =
  quick || !direct
    ? path.join(buildDir, `results-${quick ? "quick" : "full"}${direct ? "" : "-entry"}.json`)
    : path.join(benchDir, "results", "latest.json");

const t0 = performance.now();
const log = (message) => process.stdout.write(`${message}  [${((performance.now() - t0) / 1000).toFixed(1)}s]\n`);
const print = (message = "") => process.stdout.write(`${message}\n`);

/** Resources to release in reverse order, whatever happens. */
const cleanups = [];
async function cleanup() {
  while (cleanups.length)
    await Promise.resolve()
      .then(cleanups.pop())
      .catch(() => {});
}
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => cleanup().finally(() => process.exit(130)));
// Every phase is bounded; this is the backstop if something hangs anyway (a full run takes about 2 minutes).
const WATCHDOG_MS = 10 * 60_000;
setTimeout(() => {
  process.stderr.write(`bench: still running after ${WATCHDOG_MS / 60_000} minutes, giving up\n`);
  cleanup().finally(() => process.exit(2));
}, WATCHDOG_MS).unref();

function makeTargets({ mock, floor, gateway, extraHeaders }) {
  const apiKey = "sk-bench-not-a-real-key";
  const plain = (name, port) => ({
    name,
    port,
    path: (v) => `/${v}/v1/chat/completions`,
    headers: () => ({ authorization: `Bearer ${apiKey}` }),
  });
  return [
    plain("direct", mock.port),
    floor && plain("floor", floor.port),
    {
      name: "gateway",
      port: gateway.port,
      path: () => "/v1/chat/completions",
      headers: (v) => ({
        authorization: `Bearer ${apiKey}`,
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": `${mock.origin}/${v}/v1`,
        ...extraHeaders,
      }),
    },
  ].filter(Boolean);
}

/** The gateway with stages left out one by one, the floor, and the floor doing the cache's KV calls. */
function stageVariants(targets, headersByStage, cpuNow) {
  const gateway = targets.find((t) => t.name === "gateway");
  const floor = targets.find((t) => t.name === "floor");
  const without = (...ids) => {
    const drop = new Set(ids.flatMap((id) => Object.keys(headersByStage[id] ?? {})));
    return {
      ...gateway,
      headers: (v) => Object.fromEntries(Object.entries(gateway.headers(v)).filter(([name]) => !drop.has(name))),
    };
  };
  const onGateway = () => cpuNow().gateway;
  const onFloor = () => cpuNow().floor;
  return [
    { name: "gateway, full pipeline", target: gateway, cpu: onGateway },
    { name: "gateway without cache", target: without("cache"), cpu: onGateway },
    { name: "gateway without cache and governance", target: without("cache", "governance"), cpu: onGateway },
    ...guardrailVariants(gateway, onGateway),
    { name: "floor", target: floor, cpu: onFloor },
    {
      name: "floor + the cache's KV read and write",
      target: { ...floor, path: (v) => `/kv${floor.path(v)}` },
      cpu: onFloor,
    },
  ];
}

async function startAll({ withFloor, inspectorPort }) {
  const miniflare = await import("miniflare");
  const mfLog = new miniflare.Log(miniflare.LogLevel.WARN);
  const mock = await startMock();
  cleanups.push(() => mock.child.kill("SIGTERM"));
  log(`mock upstream: ${mock.origin} (pid ${mock.child.pid})`);
  const gatewayOptions = await gatewayWorkerOptions();
  const knownPids = new Set(descendantsNamed(process.pid, "workerd"));
  let floor = null;
  if (withFloor) {
    floor = await host(miniflare, floorWorkerOptions(gatewayOptions, mock.origin), { direct, log: mfLog, knownPids });
    cleanups.push(() => floor.mf.dispose());
  }
  const gateway = await host(miniflare, gatewayOptions, { direct, log: mfLog, knownPids, inspectorPort });
  cleanups.push(() => gateway.mf.dispose());
  log(
    `hosted (${direct ? "direct sockets" : "via Miniflare's entry Worker"}): ` +
      `${floor ? `floor 127.0.0.1:${floor.port} (workerd pid ${floor.pids.join(",")}), ` : ""}gateway 127.0.0.1:${gateway.port} (workerd pid ${gateway.pids.join(",")})`,
  );
  const migrations = await applyD1Migrations(gateway.mf);
  if (migrations.length) log(`D1 migrations applied: ${migrations.join(", ")}`);
  const { stages, unclaimed, plan } = await planStages(gatewayOptions, {
    mf: gateway.mf,
    bindings: gatewayOptions.bindings,
    upstreamOrigin: mock.origin,
    gatewayFetch: (p, init) => fetch(`http://127.0.0.1:${gateway.port}${p}`, init),
  });
  log(`gateway pipeline stages: ${stages.map((s) => `${s.id}=${s.state}`).join(", ")}`);
  for (const s of stages)
    if (s.state.startsWith("bound"))
      print(`  WARNING: ${s.label}: bindings present but bench/pipeline.mjs does not drive it yet`);
  const pipeline = { stages, otherBindings: unclaimed, d1Migrations: migrations };
  return {
    mock,
    floor,
    gateway,
    pipeline,
    plan,
    targets: makeTargets({ mock, floor, gateway, extraHeaders: plan.headers }),
  };
}

async function runMeasure() {
  const plan = quick ? PLANS.quick : PLANS.full;
  const results = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    versions: {
      wrangler: packageVersion("wrangler"),
      miniflare: packageVersion("miniflare"),
      workerd: packageVersion("workerd"),
      hono: packageVersion("hono"),
      zod: packageVersion("zod"),
    },
    mode: quick ? "quick (smoke run: figures are indicative only)" : "full",
    socket: direct
      ? "direct socket per Worker (Miniflare unsafeDirectSockets: no entry Worker in front, as in production)"
      : "Miniflare entry socket (Miniflare's entry Worker in front of each Worker, as wrangler dev serves)",
    plan,
  };
  print(`bench: ${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${process.version}, ${results.mode}`);
  log(
    args.has("--no-build")
      ? "build: skipped (--no-build), sizing bench/build"
      : "build: wrangler deploy --dry-run --outdir bench/build",
  );
  results.bundle = await build({ skip: args.has("--no-build") });
  log(formatBundle(results.bundle));

  const { mock, floor, gateway, pipeline, plan: stagePlan, targets } = await startAll({ withFloor: true });
  results.pipeline = pipeline;
  await sanityCheck(targets);
  const cpuNow = () => ({ floor: cpuOf(floor.pids), gateway: cpuOf(gateway.pids) });
  const contention = contentionMeter(() => [mock.child.pid, ...floor.pids, ...gateway.pids]);
  Object.assign(results, await measure(targets, plan, { cpuNow, log }));
  results.stages = await measureStages(stageVariants(targets, stagePlan.headersByStage, cpuNow), { quick, log });
  // Its own workerd, after the gateway's phases: nothing else runs while it is measured.
  const { compatibilityDate, compatibilityFlags } = await gatewayWorkerOptions();
  Object.assign(results.stages, await measurePromptRender({ quick, log, compatibilityDate, compatibilityFlags }));
  results.machineLoad = contention();
  results.targets = evaluateTargets(results);
  // In this process, each check on its own (the Workers are idle by now): CPU per check, 2 KB and adversarial.
  results.guardrailChecks = await measureChecks({ quick });

  print();
  print(formatPipeline(pipeline));
  print(`hosting: ${results.socket}`);
  print(formatBundle(results.bundle));
  print(formatTable(results));
  print();
  print(formatStages(results.stages));
  print(formatGuardrailCost(results.stages));
  print(formatChecks(results.guardrailChecks));
  print(formatPromptRenderCost(results.stages));
  print();
  print(formatTargets(results.targets));
  const missed = results.targets.filter((t) => !t.pass).length;
  print(missed ? `\n${missed} target(s) missed (reported, not failed).` : "\nall targets met.");

  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, (_, v) => (typeof v === "number" ? round(v, 4) : v), 2)}\n`);
  log(`results written to ${path.relative(root, resultsFile)}`);
}

/** Sample the gateway's own JS under a steady load through workerd's inspector. */
async function runProfile() {
  log(args.has("--no-build") ? "build: skipped (--no-build)" : "build: wrangler deploy --dry-run --outdir bench/build");
  await build({ skip: args.has("--no-build"), minify: false });
  const inspectorPort = await freePort();
  const { gateway, targets } = await startAll({ withFloor: false, inspectorPort });
  const gw = targets.find((t) => t.name === "gateway");
  await sanityCheck(targets);
  log("warm-up");
  await sequentialInterleaved([gw], "instant", { rounds: 1, perRound: 500 });
  await sequentialInterleaved([gw], "instant", { rounds: 1, perRound: 50, stream: true });
  const inspector = await connectInspector(inspectorPort, "core:user:gateway");
  cleanups.push(() => inspector.close());
  await inspector.send("Profiler.enable");
  await inspector.send("Profiler.setSamplingInterval", { interval: 50 });
  const outDir = path.join(buildDir, "profiles");
  mkdirSync(outDir, { recursive: true });
  const cases = [
    ["chat", () => load(gw, "instant", { concurrency: 4, warmMs: 0, durationMs: quick ? 1500 : 5000 })],
    ["stream", () => sequentialInterleaved([gw], "instant", { rounds: 1, perRound: quick ? 100 : 400, stream: true })],
  ];
  print(
    "note: V8 samples taken while workerd runs its own C++ (I/O, streams, HTTP) are charged to the JS frame that was\n" +
      "last on the stack (e.g. a function awaiting fetch), so self times are indicative; confirm a change with the bench.",
  );
  for (const [name, run] of cases) {
    const cpu0 = cpuOf(gateway.pids);
    await inspector.send("Profiler.start");
    const outcome = await run();
    const { profile } = await inspector.send("Profiler.stop");
    const requests = outcome.completed ?? outcome.get("gateway").results.length;
    const file = path.join(outDir, `gateway-${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const summary = summariseProfile(profile, bundlePath);
    print();
    print(
      `profile "${name}": ${requests} requests, workerd CPU ${((cpuOf(gateway.pids) - cpu0) / requests).toFixed(3)} ms/request (inspector attached), sampled JS+GC ${(summary.totalMs / requests).toFixed(3)} ms/request; ${path.relative(root, file)}`,
    );
    print(formatProfile(summary, requests));
  }
}

(profiling ? runProfile() : runMeasure()).then(cleanup).then(
  () => process.exit(0),
  async (error) => {
    await cleanup();
    process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
