import { describe, expect, it } from "vitest";
import { ASSETS } from "../../src/dashboard/assets.generated";

async function contentHash(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The dashboard's files ride inside the Worker bundle (docs/benchmark.md, bundle size), so the generator minifies
// our own script and stylesheet; the hash in their URL must still be the hash of what is served.
describe("dashboard static assets as bundled", () => {
  it("our script and stylesheet are minified: no comments, no indentation", () => {
    for (const name of ["app.js", "dashboard.css"] as const) {
      const body = ASSETS[name].body;
      expect(body, name).not.toMatch(/\/\*|^\s*\/\//m);
      expect(body, name).not.toMatch(/\n {2}/);
    }
    expect(ASSETS["app.js"].body).toContain("data-chart"); // still the dashboard's script
  });

  it("every asset's URL hash is the first 12 hex digits of its served body's SHA-256", async () => {
    for (const [name, asset] of Object.entries(ASSETS)) {
      expect(asset.hash, name).toBe((await contentHash(asset.body)).slice(0, 12));
    }
  });
});
