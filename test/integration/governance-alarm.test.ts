import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { GovernanceLimiter } from "../../src/governance/limits/durable-object";
import type { Limits } from "../../src/governance/limits/ledger";

/** The limiter Durable Object itself: reservations settle, and the alarm releases the ones that never do. */

const limits: Limits = { rpm: null, tpm: null, budgetUsd: 1, period: "none" };
const stubFor = (name: string) =>
  env.GOVERNANCE_LIMITER.get(env.GOVERNANCE_LIMITER.idFromName(`test:${name}:${crypto.randomUUID()}`));

describe("limiter reservations", () => {
  it("settle replaces the reservation with the real cost", async () => {
    const stub = stubFor("settle");
    expect(await stub.admit({ id: "a", limits, tokens: 10, costUsd: 0.6, ttlMs: 60_000 })).toEqual({ ok: true });
    expect(await stub.usage(limits)).toMatchObject({ reservedUsd: 0.6, spentUsd: 0, inFlight: 1 });
    expect((await stub.admit({ id: "b", limits, tokens: 10, costUsd: 0.6, ttlMs: 60_000 })).ok).toBe(false);
    await stub.settle({ id: "a", costUsd: 0.2, tokens: 4, requests: 1, period: "none" });
    expect(await stub.usage(limits)).toMatchObject({ reservedUsd: 0, spentUsd: 0.2, inFlight: 0, tokens: 4 });
    expect((await stub.admit({ id: "c", limits, tokens: 10, costUsd: 0.6, ttlMs: 60_000 })).ok).toBe(true);
  });

  it("the alarm releases a reservation that was never settled", async () => {
    const stub = stubFor("alarm");
    const ttlMs = 1_000;
    expect((await stub.admit({ id: "lost", limits, tokens: 10, costUsd: 0.9, ttlMs })).ok).toBe(true);
    const alarmAt = await runInDurableObject(stub, (_instance: GovernanceLimiter, state) => state.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    expect((await stub.admit({ id: "blocked", limits, tokens: 10, costUsd: 0.5, ttlMs: 60_000 })).ok).toBe(false);

    // No call reaches the object meanwhile: only its own alarm can release the hold. Read the stored ledger
    // directly (runInDurableObject does not run the object's methods, which would expire it lazily).
    const storedReservations = () =>
      runInDurableObject(stub, async (_instance: GovernanceLimiter, state) =>
        Object.keys((await state.storage.get<{ reservations: object }>("ledger"))?.reservations ?? {}),
      );
    expect(await storedReservations()).toEqual(["lost"]);
    await vi.waitFor(async () => expect(await storedReservations()).toEqual([]), {
      timeout: ttlMs + 5_000,
      interval: 100,
    });
    expect(await stub.usage(limits)).toMatchObject({ reservedUsd: 0, spentUsd: 0, inFlight: 0 });
    expect((await stub.admit({ id: "next", limits, tokens: 10, costUsd: 0.5, ttlMs: 60_000 })).ok).toBe(true);
    await runDurableObjectAlarm(stub); // run the remaining alarm now rather than leave it to fire during another test
  });

  it("refuses nonsense from a caller instead of corrupting the ledger", async () => {
    const stub = stubFor("sanity");
    expect((await stub.admit({ id: "x", limits, tokens: Number.NaN, costUsd: -5, ttlMs: -1 })).ok).toBe(true);
    expect(await stub.usage(limits)).toMatchObject({ reservedUsd: 0, tokens: 0 });
    await runDurableObjectAlarm(stub);
  });
});
