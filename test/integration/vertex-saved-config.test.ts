import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { makeServiceAccount, tokenAnswer } from "../fixtures/vertex/service-account";
import { createConfig, uniqueSlug } from "./admin-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

describe("a saved config with a Vertex key file as an object (Portkey's form)", () => {
  it("is stored sealed, never in plaintext, and still mints tokens", async () => {
    const sa = await makeServiceAccount(`cfg-${crypto.randomUUID().slice(0, 8)}@acme-prod.iam.gserviceaccount.com`);
    upstream.use(http.post("https://oauth2.googleapis.com/token", () => HttpResponse.json(tokenAnswer("ya29.cfg"))));
    const seen: Array<string | null> = [];
    upstream.use(
      http.post(
        "https://us-central1-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent",
        ({ request }) => {
          seen.push(request.headers.get("authorization"));
          return HttpResponse.json({
            candidates: [{ content: { role: "model", parts: [{ text: "ok" }] }, finishReason: "STOP" }],
          });
        },
      ),
    );
    const slug = uniqueSlug("vertex-cfg");
    const created = await createConfig(slug, { provider: "vertex-ai", vertex_service_account_json: sa.json });
    expect(JSON.stringify(created)).not.toContain("PRIVATE KEY");
    const rows = await env.DB.prepare("SELECT config FROM config_versions WHERE config_id = ?")
      .bind(created.id)
      .all<{ config: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]?.config).not.toContain("PRIVATE KEY");
    expect(rows.results[0]?.config).not.toContain(sa.json.client_email);

    const res = await gateway({
      headers: { "x-portkey-config": slug },
      body: { model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(seen).toEqual(["Bearer ya29.cfg"]);
  });
});
