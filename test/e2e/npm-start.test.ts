/// <reference types="node" />
/**
 * The README's first command, as a developer runs it: `npm start` applies the local D1 migrations and starts
 * `wrangler dev` on PORT (8787 when unset). Run here with PORT set to a free port so it never clashes with a
 * gateway the developer already has running.
 */
import { spawn } from "node:child_process";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT, freePort, healthy, killGroup, waitUntilGone } from "./gateway-process";

const READY_TIMEOUT_MS = 100_000;
let pgid: number | undefined;

afterAll(async () => {
  if (pgid === undefined) return;
  killGroup(pgid, "SIGTERM");
  if (!(await waitUntilGone(pgid, 5_000))) killGroup(pgid, "SIGKILL");
});

it("npm start listens on PORT, with migrations applied (ready)", { timeout: READY_TIMEOUT_MS + 10_000 }, async () => {
  const port = await freePort();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const child = spawn(npm, ["start"], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
  });
  pgid = child.pid;
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-20_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-20_000)));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await healthy(origin))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not serve ${origin}\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // /ready checks that D1 is reachable with its migrations applied: what `npm start` promises.
  const ready = await fetch(`${origin}/ready`);
  expect(ready.status, await ready.text()).toBe(200);
});
