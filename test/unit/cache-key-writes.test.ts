import { afterEach, describe, expect, it } from "vitest";
import { writeKeyOnce } from "../../src/cache/key-writes";
import { cacheRuntime } from "../../src/cache/runtime";

/** A write that finishes when the test says so, recording that it ran. */
function gatedWrite(log: string[], name: string) {
  let open: (wrote: boolean) => void = () => {};
  const gate = new Promise<boolean>((resolve) => (open = resolve));
  return {
    write: () => {
      log.push(name);
      return gate;
    },
    finish: (wrote = true) => open(wrote),
  };
}

const spacing = cacheRuntime.keyWriteSpacingMs;
afterEach(() => {
  cacheRuntime.keyWriteSpacingMs = spacing;
});

describe("one write per key at a time", () => {
  it("drops an identical answer's write while the key is being written, and for the spacing window after", async () => {
    const log: string[] = [];
    const first = gatedWrite(log, "first");
    const written = writeKeyOnce("k-drop", first.write, false);
    expect(await writeKeyOnce("k-drop", async () => (log.push("second"), true), false)).toBe(false);
    first.finish();
    expect(await written).toBe(true);
    expect(await writeKeyOnce("k-drop", async () => (log.push("third"), true), false)).toBe(false);
    expect(log).toEqual(["first"]);
    // Other keys are not held up.
    expect(await writeKeyOnce("k-other", async () => (log.push("other"), true), false)).toBe(true);
    expect(log).toEqual(["first", "other"]);
  });

  it("lets a refresh wait for its turn; of several waiting refreshes only the last one writes", async () => {
    cacheRuntime.keyWriteSpacingMs = 5;
    const log: string[] = [];
    const miss = gatedWrite(log, "miss");
    const stored = writeKeyOnce("k-refresh", miss.write, false);
    const early = writeKeyOnce("k-refresh", async () => (log.push("refresh 1"), true), true);
    const late = writeKeyOnce("k-refresh", async () => (log.push("refresh 2"), true), true);
    expect(log).toEqual(["miss"]);
    miss.finish();
    expect(await Promise.all([stored, early, late])).toEqual([true, true, true]);
    expect(log).toEqual(["miss", "refresh 2"]);
  });

  it("frees the key after a failed write", async () => {
    cacheRuntime.keyWriteSpacingMs = 0;
    await expect(writeKeyOnce("k-fail", () => Promise.reject(new Error("KV 429")), false)).rejects.toThrow("KV 429");
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await writeKeyOnce("k-fail", async () => true, false)).toBe(true);
  });
});
