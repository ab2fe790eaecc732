import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { makeServiceAccount, tokenAnswer, verifyJwt } from "../fixtures/vertex/service-account";
import { adminCall, json } from "./admin-helpers";
import { bearer, createKey, createVirtualKey, errorOf, unique } from "./governance-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const EUROPE = "https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west4/publishers";
const geminiAnswer = {
  candidates: [{ content: { role: "model", parts: [{ text: "Bonjour" }] }, finishReason: "STOP", index: 0 }],
  usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 },
};
const ask = (model: string) => ({ model, messages: [{ role: "user", content: "Salut" }] });

describe("vertex-ai virtual keys", () => {
  it("store the key file encrypted, mint tokens with it, and never show it", async () => {
    const sa = await makeServiceAccount(`vk-${crypto.randomUUID().slice(0, 8)}@acme-prod.iam.gserviceaccount.com`);
    const assertions: string[] = [];
    upstream.use(
      http.post("https://oauth2.googleapis.com/token", async ({ request }) => {
        assertions.push(
          new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())).get("assertion") ?? "",
        );
        return HttpResponse.json(tokenAnswer("ya29.vk-token"));
      }),
    );
    const seen: Array<string | null> = [];
    upstream.use(
      http.post(`${EUROPE}/google/models/gemini-2.5-flash:generateContent`, ({ request }) => {
        seen.push(request.headers.get("authorization"));
        return HttpResponse.json(geminiAnswer);
      }),
    );
    const vk = await createVirtualKey({ provider: "vertex-ai", api_key: sa.text, vertex_region: "europe-west4" });
    const { secret: _secret, ...shown } = vk; // `secret` is the helper's copy of what was sent, not the API's answer
    expect(shown.options).toEqual(["vertex_region"]);
    expect(JSON.stringify(shown)).not.toContain("PRIVATE KEY");

    const { key } = await createKey();
    // A key file in the request is not used with a virtual key: the stored one is.
    const other = await makeServiceAccount();
    const res = await gateway({
      headers: { ...bearer(key), "x-portkey-vertex-service-account-json": other.text },
      body: ask(`@${vk.slug}/gemini-2.5-flash`),
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ choices: [{ message: { content: "Bonjour" } }] });
    expect(seen).toEqual(["Bearer ya29.vk-token"]);
    expect(await verifyJwt(assertions[0] ?? "", sa.publicKey)).not.toBeNull();
    const stored = await json<Record<string, unknown>>(await adminCall({ path: `/virtual-keys/${vk.slug}` }));
    expect(JSON.stringify(stored)).not.toContain("PRIVATE KEY");
  });

  it("refuse a key file that is not one, a missing project, and vertex_* on other providers (400 naming the field)", async () => {
    const sa = await makeServiceAccount();
    const noProject = JSON.stringify({ ...sa.json, project_id: undefined });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ provider: "vertex-ai", api_key: '{"client_email":"a@b","private_key":"x"}' }, "api_key"],
      [{ provider: "vertex-ai", api_key: noProject }, "vertex_project_id"],
      [{ provider: "vertex-ai", api_key: sa.text, vertex_region: "us-central1.evil.test" }, "vertex_region"],
      [
        { provider: "openai", api_key: "sk-test-0000000000000000", vertex_project_id: "acme-prod" },
        "vertex_project_id",
      ],
    ];
    for (const [body, param] of cases) {
      const res = await adminCall({ method: "POST", path: "/virtual-keys", body: { slug: unique("vk"), ...body } });
      const error = await errorOf(res, 400);
      expect(error.param).toBe(param);
      expect(error.message).not.toContain("PRIVATE KEY");
    }
    // With the project given, a key file without one is fine.
    const ok = await adminCall({
      method: "POST",
      path: "/virtual-keys",
      body: { slug: unique("vk"), provider: "vertex-ai", api_key: noProject, vertex_project_id: "acme-prod" },
    });
    expect(ok.status).toBe(201);
  });
});
