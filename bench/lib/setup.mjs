// Build the Worker, start the mock upstream, host Workers with Miniflare (one workerd each).
import { fork, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { descendantsNamed } from "./proc.mjs";
import { round } from "./stats.mjs";

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const root = path.resolve(benchDir, "..");
export const buildDir = path.join(benchDir, "build");
export const bundlePath = path.join(buildDir, "index.js");

const kib = (bytes) => round(bytes / 1024, 2);

/** Sizes of the built bundle: raw, gzipped, and gzipped after minification (for comparison with minified bundles). */
async function sizeBundle(wranglerGzipKiB) {
  const code = readFileSync(bundlePath);
  const bundle = {
    file: path.relative(root, bundlePath),
    rawKiB: kib(code.length),
    gzipKiB: kib(gzipSync(code, { level: 9 }).length),
    wranglerGzipKiB,
    minifiedGzipKiB: null,
  };
  try {
    const { transform } = await import("esbuild");
    const minified = await transform(code.toString("utf8"), { minify: true, format: "esm", loader: "js" });
    bundle.minifiedGzipKiB = kib(gzipSync(minified.code, { level: 9 }).length);
  } catch {
    // esbuild not resolvable: the minified figure is optional
  }
  return bundle;
}

/** `wrangler deploy --dry-run --outdir bench/build`: the bundle exactly as it would deploy, and wrangler's gzip size. */
export async function build({ skip = false, minify = true } = {}) {
  if (skip) return sizeBundle(null);
  const wrangler = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  // Profiles need module names, which only the unminified bundle keeps (bench/lib/profile.mjs).
  const flags = minify ? [] : ["--minify=false"];
  const output = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", buildDir, ...flags], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", FORCE_COLOR: "0", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (d) => (text += d));
    child.stderr.on("data", (d) => (text += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else
        reject(
          new Error(
            `wrangler deploy --dry-run failed (exit ${code}); fix the build, or measure the last bundle with --no-build:\n${text}`,
          ),
        );
    });
  });
  const match = /gzip:\s*([\d.]+)\s*KiB/.exec(output);
  return sizeBundle(match ? Number(match[1]) : null);
}

/** The mock upstream in its own process, so it does not share the client's event loop. */
export function startMock() {
  const child = fork(path.join(benchDir, "mock-upstream.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error("mock upstream did not start within 10 s"));
    }, 10_000);
    child.once("message", (message) => {
      clearTimeout(timer);
      resolve({ child, port: message.port, origin: `http://127.0.0.1:${message.port}` });
    });
    child.once("exit", (code) => reject(new Error(`mock upstream exited (${code})`)));
  });
}

/**
 * A free port outside the kernel's ephemeral range (so that no port-0 listener, such as Miniflare's own loopback
 * server, can be handed the same port between our check and workerd's bind).
 */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port found for the inspector");
}

/**
 * One Miniflare, hence one workerd, per Worker, so /proc CPU is attributable. Returns the instance, the port to
 * send requests to and the pid(s) of the workerd it spawned.
 *
 * `worker` is in Miniflare 4's option shape, which is what wrangler's unstable_getMiniflareWorkerOptions gives;
 * Miniflare 5 converts it (convertV4MiniflareOptions).
 * `direct`: a socket straight to the Worker, without Miniflare's entry Worker in front (as in production, where no
 * such Worker exists); otherwise requests go through the entry Worker, as `wrangler dev` serves them.
 */
export async function host(miniflare, worker, { direct = true, inspectorPort, log, knownPids }) {
  const { Miniflare, convertV4MiniflareOptions } = miniflare;
  // modulesRules only matter for unbundled sources; our Workers are single ES modules.
  const { modulesRules: _bundled, ...options } = worker;
  if (direct) options.unsafeDirectSockets = [{ host: "127.0.0.1", port: 0 }];
  const mf = new Miniflare({
    // cf: false: the placeholder `request.cf`, no fetch of the real one (all traffic stays on 127.0.0.1).
    ...convertV4MiniflareOptions({ host: "127.0.0.1", port: 0, cf: false, inspectorPort, workers: [options] }),
    enableDevRegistry: false,
    logRequests: false,
    log,
  });
  try {
    const entryUrl = await mf.ready;
    const url = direct ? await mf.unsafeGetDirectURL(options.name) : entryUrl;
    const pids = descendantsNamed(process.pid, "workerd").filter((pid) => !knownPids.has(pid));
    for (const pid of pids) knownPids.add(pid);
    if (pids.length === 0) throw new Error(`no workerd process found for ${options.name}`);
    return { mf, port: Number(url.port), pids };
  } catch (error) {
    await mf.dispose().catch(() => {});
    throw error;
  }
}

/** The gateway's Miniflare options: what wrangler derives from wrangler.toml, with the built bundle as its code. */
export async function gatewayWorkerOptions() {
  const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml"));
  return {
    ...workerOptions,
    name: "gateway",
    rootPath: root,
    modules: true,
    scriptPath: bundlePath,
    // The mock upstream is on loopback; deployed, this stays "false". Governance (bench/pipeline.mjs) authenticates
    // with a gateway key made through the admin API. Bench-only secrets.
    bindings: {
      ...workerOptions.bindings,
      ALLOW_PRIVATE_CUSTOM_HOSTS: "true",
      ADMIN_TOKEN: "bench-admin-token",
      VAULT_KEY: "YmVuY2gtb25seS12YXVsdC1rZXktMzItYnl0ZXMhISE",
      // Requests with the bench's gateway key are governed either way; "true" also lets the stage-cost phase send
      // requests without one (governance left out). BENCH_GOVERNANCE=off sends none at all.
      PASSTHROUGH_MODE: "true",
    },
  };
}

/**
 * Apply wrangler.toml's D1 migrations (migrations_dir) to the gateway's local, empty D1 databases, in file order,
 * so D1-backed paths work as they do after `wrangler d1 migrations apply`. Returns the files applied.
 */
export async function applyD1Migrations(mf) {
  const { unstable_readConfig, unstable_splitSqlQuery } = await import("wrangler");
  const config = unstable_readConfig({ config: path.join(root, "wrangler.toml") });
  const applied = [];
  for (const database of config.d1_databases ?? []) {
    if (!database.migrations_dir) continue;
    const dir = path.resolve(root, database.migrations_dir);
    const db = await mf.getD1Database(database.binding);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith(".sql"))
      .sort()) {
      const statements = unstable_splitSqlQuery(readFileSync(path.join(dir, file), "utf8")).filter((q) => q.trim());
      if (statements.length) await db.batch(statements.map((q) => db.prepare(q)));
      applied.push(`${database.binding}: ${file}`);
    }
  }
  return applied;
}

export function floorWorkerOptions(gateway, upstreamOrigin) {
  return {
    name: "floor",
    modules: true,
    scriptPath: path.join(benchDir, "floor-worker.js"),
    compatibilityDate: gateway.compatibilityDate,
    compatibilityFlags: gateway.compatibilityFlags,
    bindings: { UPSTREAM_ORIGIN: upstreamOrigin },
    // Only for the KV calibration of the stage-cost phase (requests under /kv/).
    kvNamespaces: ["CALIBRATION_KV"],
  };
}

export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}
