// The prompt-rendering row of the stage-cost table. Rendering is pure CPU inside the gateway's request, a few
// microseconds against a request's ~1 ms: a gateway variant pair (prompt run vs. the same chat) would measure it
// inside the stage table's run-to-run noise (about 0.1 ms), so it is measured on its own instead. A small Worker
// (bench/prompt-render-worker.mjs) runs the gateway's render code n times per request in its own workerd, hosted by
// Miniflare like the gateway; the same sequential stage measurement (bench/lib/stages.mjs) runs it at 0 and at n
// renders per request, and the CPU difference divided by n is one render's CPU.
import path from "node:path";
import { descendantsNamed, cpuOf } from "./proc.mjs";
import { benchDir, buildDir, host } from "./setup.mjs";
import { measureStages } from "./stages.mjs";

/** Renders per request in the measured variant: enough that the render dominates the request's own CPU. */
export const RENDERS_PER_REQUEST = 1000;
const BASELINE = "prompt render Worker, 0 renders/request";
const RENDERING = `prompt render Worker, ${RENDERS_PER_REQUEST} renders/request`;

/** The Worker, bundled with the gateway's own src/prompts code (esbuild, as wrangler bundles the gateway). */
async function buildRenderWorker() {
  const esbuild = await import("esbuild");
  const outfile = path.join(buildDir, "prompt-render-worker.js");
  await esbuild.build({
    entryPoints: [path.join(benchDir, "prompt-render-worker.mjs")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    minify: true,
    logLevel: "warning",
  });
  return outfile;
}

/** Builds and hosts the render Worker, measures it at 0 and RENDERS_PER_REQUEST renders, disposes of it. */
export async function measurePromptRender({ quick, log, compatibilityDate, compatibilityFlags }) {
  const miniflare = await import("miniflare");
  const scriptPath = await buildRenderWorker();
  const worker = { name: "prompt-render", modules: true, scriptPath, compatibilityDate, compatibilityFlags };
  const knownPids = new Set(descendantsNamed(process.pid, "workerd"));
  const hosted = await host(miniflare, worker, { log: new miniflare.Log(miniflare.LogLevel.WARN), knownPids });
  try {
    const target = (n) => ({ name: "prompt-render", port: hosted.port, path: () => `/?n=${n}`, headers: () => ({}) });
    const cpu = () => cpuOf(hosted.pids);
    return await measureStages(
      [
        { name: BASELINE, target: target(0), cpu },
        { name: RENDERING, target: target(RENDERS_PER_REQUEST), cpu },
      ],
      { quick, log },
    );
  } finally {
    await hosted.mf.dispose();
  }
}

/** One line under the stage table: one render's CPU (the aim: well under 0.1 ms). */
export function formatPromptRenderCost(stages) {
  const base = stages[BASELINE];
  const rendering = stages[RENDERING];
  if (!base || !rendering) return "";
  const perRender = (rendering.cpuMsPerRequest - base.cpuMsPerRequest) / RENDERS_PER_REQUEST;
  return `prompt render (10 variables, 1 partial): ${(perRender * 1000).toFixed(1)} µs CPU per render (${perRender.toFixed(4)} ms)`;
}
