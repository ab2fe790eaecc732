import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { adminCall, expectError, json, type ListBody } from "./admin-helpers";
import { mintAdminKey, type NewAdminKeyBody } from "./admin-key-helpers";
import { createKey, createVirtualKey, type NewKeyBody } from "./governance-helpers";

/** GET /admin/audit: the audit log, newest first, filtered and keyset-paginated. */

interface AuditEvent {
  object: "audit_event";
  id: string;
  at: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  details: Record<string, unknown>;
}
type AuditPage = ListBody<AuditEvent>;

const T0 = Date.parse("2033-03-01T00:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1_000).toISOString();

const audit = (query: string, token?: string) => adminCall({ path: `/audit?${query}`, token });

/** Every page of a query, following next_cursor. */
async function allPages(query: string, limit: number): Promise<AuditPage[]> {
  const pages: AuditPage[] = [];
  let cursor: string | null = "";
  while (cursor !== null) {
    const page: AuditPage = await json<AuditPage>(
      await audit(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`),
    );
    pages.push(page);
    cursor = page.next_cursor;
  }
  return pages;
}

describe("GET /admin/audit", () => {
  let writer: NewAdminKeyBody;
  let key: NewKeyBody;

  // One gateway key through eight audited changes, one second apart, the odd ones by an admin key.
  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T0 - 1_000);
    writer = await mintAdminKey(["admin"]);
    const steps: Array<[string, string, unknown, boolean]> = [
      ["POST", "/keys", { name: "audited" }, false],
      ["PATCH", "/keys/:id", { rpm: 1 }, true],
      ["PATCH", "/keys/:id", { rpm: 2 }, false],
      ["POST", "/keys/:id/disable", undefined, true],
      ["POST", "/keys/:id/enable", undefined, false],
      ["POST", "/keys/:id/rotate", undefined, true],
      ["PATCH", "/keys/:id", { rpm: 3 }, false],
      ["DELETE", "/keys/:id", undefined, true],
    ];
    for (const [i, [method, path, body, byKey]] of steps.entries()) {
      vi.setSystemTime(T0 + i * 1_000);
      const res = await adminCall({
        method,
        path: path.replace(":id", key?.id ?? ""),
        body,
        token: byKey ? writer.key : undefined,
      });
      const created = await json<NewKeyBody>(res, i === 0 ? 201 : 200);
      if (i === 0) key = created;
    }
    vi.useRealTimers();
  });

  afterEach(() => vi.useRealTimers());

  it("lists a resource's history newest first, across pages, with no row twice", async () => {
    const pages = await allPages(`resource_type=gateway_key&resource_id=${key.id}`, 3);
    expect(pages.map((p) => p.data.length)).toEqual([3, 3, 2]);
    const events = pages.flatMap((p) => p.data);
    expect(events.map((e) => e.action)).toEqual([
      "delete",
      "update",
      "rotate",
      "enable",
      "disable",
      "update",
      "update",
      "create",
    ]);
    expect(events.map((e) => e.at)).toEqual([7, 6, 5, 4, 3, 2, 1, 0].map(at));
    expect(new Set(events.map((e) => e.id)).size).toBe(8);
    expect(events[7]).toEqual({
      object: "audit_event",
      id: events[7]?.id,
      at: at(0),
      actor: "admin:17d6bfe0",
      action: "create",
      resource_type: "gateway_key",
      resource_id: key.id,
      details: { name: "audited", key_prefix: key.key_prefix },
    });
  });

  it("filters by actor, action and time (since inclusive, until exclusive; ISO or epoch ms)", async () => {
    const byWriter = await json<AuditPage>(await audit(`actor=admin-key:${writer.id}&resource_id=${key.id}`));
    expect(byWriter.data.map((e) => e.action)).toEqual(["delete", "rotate", "disable", "update"]);
    const updates = await json<AuditPage>(await audit(`action=update&resource_id=${key.id}`));
    expect(updates.data.map((e) => e.at)).toEqual([at(6), at(2), at(1)]);
    for (const [since, until] of [
      [at(2), at(5)],
      [String(T0 + 2_000), String(T0 + 5_000)],
    ]) {
      const window = await json<AuditPage>(
        await audit(
          `resource_id=${key.id}&since=${encodeURIComponent(since ?? "")}&until=${encodeURIComponent(until ?? "")}`,
        ),
      );
      expect(window.data.map((e) => e.at)).toEqual([at(4), at(3), at(2)]);
    }
    const mintedBy = await json<AuditPage>(await audit(`resource_type=admin_api_key&resource_id=${writer.id}`));
    expect(mintedBy.data).toMatchObject([
      { action: "create", actor: "admin:17d6bfe0", details: { scopes: "admin", key_prefix: writer.key_prefix } },
    ]);
  });

  it("400 naming the parameter for a bad filter, limit or cursor; unknown parameters are refused", async () => {
    const cases: Array<[string, string]> = [
      ["since=yesterday", "since"],
      ["until=", "until"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
    ];
    for (const [query, param] of cases) {
      const error = await expectError(await audit(query), 400, { type: "invalid_request_error", param });
      expect(error.message).toMatch(new RegExp(`^${param}: `));
    }
    // A typo must not widen the query to everything (reported like unknown body fields, naming the parameter).
    expect((await expectError(await audit("resource=config"), 400)).message).toContain('"resource"');
    await expectError(await audit("cursor=not-a-cursor"), 400, { code: "invalid_cursor", param: "cursor" });
  });

  it("holds no secret: gateway, virtual and admin key secrets and config keys never appear", async () => {
    const gatewayKey = await createKey();
    const vk = await createVirtualKey();
    const adminKey = await mintAdminKey(["read"]);
    const config = { provider: "openai", api_key: `sk-audit-config-${crypto.randomUUID()}` };
    await json(
      await adminCall({
        method: "POST",
        path: "/configs",
        body: { slug: `audit-${crypto.randomUUID().slice(0, 8)}`, config },
      }),
      201,
    );
    await json(await adminCall({ method: "POST", path: `/keys/${gatewayKey.id}/rotate` }));
    await json(
      await adminCall({ method: "POST", path: `/virtual-keys/${vk.slug}/rotate`, body: { api_key: `${vk.secret}-2` } }),
    );
    const text = JSON.stringify((await allPages("", 100)).flatMap((p) => p.data));
    for (const secret of [gatewayKey.key, vk.secret, adminKey.key, config.api_key]) expect(text).not.toContain(secret);
    expect(text).not.toContain(gatewayKey.key.slice(12));
    expect(text).not.toContain(adminKey.key.slice(16));
  });

  it("a read-scoped key may list it; a metrics-scoped key may not", async () => {
    const reader = await mintAdminKey(["read"]);
    expect((await json<AuditPage>(await audit(`resource_id=${key.id}`, reader.key))).data).toHaveLength(8);
    const metricsOnly = await mintAdminKey(["metrics"]);
    await expectError(await audit("", metricsOnly.key), 403, { code: "insufficient_scope" });
  });
});
