import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_EMBEDDING_TIMEOUT_MS, semanticSettings } from "../../src/cache/settings";

describe("semantic cache settings", () => {
  it("waits 1.5 s for an embedding unless SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS says otherwise (capped at 30 s)", () => {
    const timeout = (value?: string) =>
      semanticSettings({ ...env, SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS: value as string })?.embeddingTimeoutMs;
    expect(DEFAULT_EMBEDDING_TIMEOUT_MS).toBe(1_500);
    expect(timeout()).toBe(1_500);
    expect(timeout("250")).toBe(250);
    for (const bad of ["", " ", "0", "-5", "soon"]) expect(timeout(bad)).toBe(1_500);
    expect(timeout("120000")).toBe(30_000);
  });
});
