import { describe, expect, it } from "vitest";
import { scrub, secretsOf } from "../../src/observability/scrub";
import { makeServiceAccount } from "../fixtures/vertex/service-account";

describe("log scrubbing of Vertex service accounts", () => {
  it("treats the x-portkey-vertex-service-account-json header as a secret", async () => {
    const sa = await makeServiceAccount();
    const headers: Record<string, string> = { "x-portkey-vertex-service-account-json": sa.text };
    expect(secretsOf((name) => headers[name])).toContain(sa.text);
  });

  it("masks a PEM private key wherever it appears, raw or JSON-escaped", async () => {
    const sa = await makeServiceAccount();
    const pem = sa.json.private_key ?? "";
    const escaped = JSON.stringify({ vertex_service_account_json: sa.json });
    for (const text of [`key: ${pem}`, escaped]) {
      const out = scrub(text, []);
      expect(out).not.toContain(pem.split("\n")[1]);
      expect(out).toContain("[REDACTED]");
    }
  });
});
