/// <reference types="node" />
/**
 * Runs the gateway exactly as a developer does (`wrangler dev`), on a free port, with its own persistence directory
 * so it never clashes with a running `npm start`. wrangler spawns workerd: the child is started in its own process
 * group (`detached`) and the whole group is killed on teardown, so nothing is left running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = join(REPO_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

const READY_TIMEOUT_MS = 90_000;
const MIGRATE_TIMEOUT_MS = 120_000;
const POLL_MS = 250;
const STOP_GRACE_MS = 5_000;
const MAX_LOG_CHARS = 20_000;

export interface GatewayProcess {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** What wrangler printed so far (tail), for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on right now (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not get a free port"))));
    });
  });
}

/** True while any process of the group is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export async function waitUntilGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return true;
    await sleep(100);
  }
  return !groupAlive(pgid);
}

export async function healthy(origin: string): Promise<boolean> {
  try {
    const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export interface StartOptions {
  /** Extra `--var NAME:value` pairs (ALLOW_PRIVATE_CUSTOM_HOSTS:true and PASSTHROUGH_MODE:true are set, as `npm start` does). */
  vars?: Record<string, string>;
}

const wranglerEnv = () => ({ ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" });

/** Run a short wrangler command to completion in its own process group; the group is killed on timeout. */
function runWrangler(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: wranglerEnv(),
    });
    let output = "";
    const append = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-MAX_LOG_CHARS));
    child.stdout?.on("data", append);
    child.stderr?.on("data", append);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      if (code === 0) resolvePromise();
      else reject(new Error(`wrangler ${args.join(" ")} failed (code ${code}, signal ${signal})\n${output}`));
    });
  });
}

/** The D1 bindings that have migrations in wrangler.toml, as `npm start` applies them locally. */
function d1BindingsWithMigrations(): string[] {
  const toml = readFileSync(join(REPO_ROOT, "wrangler.toml"), "utf8");
  const bindings: string[] = [];
  for (const block of toml.split(/^\[\[d1_databases\]\]\s*$/m).slice(1)) {
    const section = block.split(/^\[/m)[0] ?? "";
    const binding = /^\s*binding\s*=\s*"([^"]+)"/m.exec(section)?.[1];
    const dir = /^\s*migrations_dir\s*=\s*"([^"]+)"/m.exec(section)?.[1] ?? "migrations";
    const path = join(REPO_ROOT, dir);
    if (binding && existsSync(path) && readdirSync(path).some((file) => file.endsWith(".sql"))) bindings.push(binding);
  }
  return bindings;
}

export async function startGateway(options: StartOptions = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const persistTo = mkdtempSync(join(tmpdir(), "gateway-e2e-"));
  try {
    for (const binding of d1BindingsWithMigrations()) {
      await runWrangler(
        ["d1", "migrations", "apply", binding, "--local", "--persist-to", persistTo],
        MIGRATE_TIMEOUT_MS,
      );
    }
  } catch (error) {
    rmSync(persistTo, { recursive: true, force: true });
    throw error;
  }
  // As `npm start`: private hosts and passthrough (provider keys without a gateway key) are dev-only settings.
  const vars = { ALLOW_PRIVATE_CUSTOM_HOSTS: "true", PASSTHROUGH_MODE: "true", ...options.vars };
  const args = [
    WRANGLER,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
  ];
  // process.execPath is the Node that runs vitest (the project's Node 22 from the `node` devDependency).
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: wranglerEnv(),
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error("could not spawn wrangler dev");

  let output = "";
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const state: { exited: string | null } = { exited: null };
  child.once("exit", (code, signal) => (state.exited = `wrangler dev exited (code ${code}, signal ${signal})`));

  // If the test runner dies without running teardown, take the gateway down with it.
  const onExit = () => killGroup(pgid, "SIGKILL");
  process.once("exit", onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", onExit);
    killGroup(pgid, "SIGTERM");
    if (!(await waitUntilGone(pgid, STOP_GRACE_MS))) {
      killGroup(pgid, "SIGKILL");
      await waitUntilGone(pgid, STOP_GRACE_MS);
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    rmSync(persistTo, { recursive: true, force: true });
    if (groupAlive(pgid)) throw new Error(`processes of group ${pgid} (wrangler dev / workerd) survived SIGKILL`);
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await healthy(origin))) {
    // wrangler dev does not exit when the first build fails (it waits for a file change): fail fast instead.
    const buildFailed = /Build failed/.test(output) ? "wrangler dev could not build the Worker" : null;
    if (state.exited !== null || buildFailed !== null || Date.now() > deadline) {
      const reason = state.exited ?? buildFailed ?? `GET /health did not answer 200 within ${READY_TIMEOUT_MS} ms`;
      await stop();
      throw new Error(`${reason}\n--- wrangler output ---\n${output}`);
    }
    await sleep(POLL_MS);
  }
  return { port, origin, logs: () => output, stop };
}
