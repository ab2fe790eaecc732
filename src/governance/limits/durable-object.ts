import { DurableObject } from "cloudflare:workers";
import { BUDGET_PERIODS, type BudgetPeriod } from "../../../schema/db/keys";
import {
  admit,
  EMPTY_LEDGER,
  renewLease,
  expire,
  nextExpiry,
  settle,
  snapshot,
  type AdmitInput,
  type AdmitResult,
  type LedgerState,
  type Limits,
  type Settlement,
  type UsageSnapshot,
} from "./ledger";
import type { LeaseGrant } from "./lease-size";

const STORAGE_KEY = "ledger";
const MAX_TTL_MS = 24 * 3_600_000;

const count = (value: number): number => (Number.isFinite(value) && value > 0 ? Math.round(value) : 0);
const usd = (value: number): number => (Number.isFinite(value) && value > 0 ? value : 0);
const limit = (value: number | null): number | null =>
  value === null || !Number.isFinite(value) || value < 0 ? null : value;
const period = (value: string): BudgetPeriod => BUDGET_PERIODS.find((p) => p === value) ?? "none";

const MAX_LEASE_WINDOW_MS = 10_000;
const leaseWindow = (ms: number): number => Math.min(MAX_LEASE_WINDOW_MS, Math.max(1, count(ms)));

function saneAdmit(input: AdmitInput): AdmitInput {
  const sane: AdmitInput = {
    id: String(input.id),
    limits: saneLimits(input.limits),
    tokens: count(input.tokens),
    costUsd: usd(input.costUsd),
    ttlMs: Math.min(MAX_TTL_MS, Math.max(1, count(input.ttlMs))),
  };
  if (input.leaseWindowMs !== undefined) sane.leaseWindowMs = leaseWindow(input.leaseWindowMs);
  return sane;
}

/** RPC arguments come from our own Worker, but a bad number must not poison a ledger that outlives the request. */
function saneLimits(limits: Limits): Limits {
  return {
    rpm: limit(limits.rpm),
    tpm: limit(limits.tpm),
    budgetUsd: limit(limits.budgetUsd),
    period: period(limits.period),
    version: count(limits.version ?? 0),
  };
}

/**
 * One instance per gateway key and per virtual key (named `gateway_key:<id>` / `virtual_key:<id>`): the rate
 * windows and the budget ledger with its reservations. A Durable Object runs one event at a time and every
 * decision below is synchronous between the load and the store, so concurrent admissions cannot both take the last
 * dollar: no check-then-increment race, whatever the number of isolates.
 *
 * The limits themselves arrive with each call (from the caller's cached key record), so the object never reads D1
 * and an admin change applies as soon as the isolates' key caches refresh.
 */
export class GovernanceLimiter extends DurableObject<Env> {
  private ledger: LedgerState | undefined;
  /** The alarm time as last set or read (undefined: not known since the object started). */
  private alarmAt: number | null | undefined;

  /**
   * Load, decide and write are synchronous (the SQLite-backed object's synchronous KV API), so no other call can
   * interleave with a decision: an `await` between reading the ledger and writing it would let a concurrent call
   * decide on the same state, and one of the two updates would be lost (seen under load as an 11th request
   * admitted against a budget for 10). The output gate still holds each reply until its write is durable.
   */
  private load(): LedgerState {
    this.ledger ??= this.ctx.storage.kv.get<LedgerState>(STORAGE_KEY) ?? EMPTY_LEDGER;
    return this.ledger;
  }

  private store(next: LedgerState): Promise<void> {
    this.ledger = next;
    this.ctx.storage.kv.put(STORAGE_KEY, next);
    return this.scheduleAlarm(next);
  }

  /** The alarm releases reservations whose requests never settled (an isolate died, a waitUntil was cut short). */
  private async scheduleAlarm(state: LedgerState): Promise<void> {
    const due = nextExpiry(state);
    if (due === null) return;
    this.alarmAt ??= await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= due) return;
    this.alarmAt = due;
    await this.ctx.storage.setAlarm(due);
  }

  async admit(input: AdmitInput): Promise<AdmitResult> {
    const { state, result } = admit(this.load(), saneAdmit(input), Date.now());
    // A denial changes nothing durable (refresh() is recomputed on the next call), so it costs no write.
    if (result.ok) await this.store(state);
    return result;
  }

  /** A fresh lease for an isolate whose lease runs low (null near a limit: then requests go one by one). */
  async renew(input: AdmitInput & { leaseWindowMs: number }): Promise<LeaseGrant | null> {
    const { state, lease } = renewLease(
      this.load(),
      { ...saneAdmit(input), leaseWindowMs: leaseWindow(input.leaseWindowMs) },
      Date.now(),
    );
    if (lease) await this.store(state);
    return lease;
  }

  async settle(settlement: Settlement): Promise<void> {
    const sane: Settlement = {
      id: String(settlement.id),
      costUsd: usd(settlement.costUsd),
      tokens: count(settlement.tokens),
      requests: count(settlement.requests),
      period: period(settlement.period),
    };
    await this.store(settle(this.load(), sane, Date.now()));
  }

  async usage(limits: Limits): Promise<UsageSnapshot> {
    return snapshot(this.load(), saneLimits(limits), Date.now());
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null; // this alarm has fired; scheduleAlarm sets the next one
    const state = this.load();
    const next = expire(state, Date.now());
    if (next !== state) await this.store(next);
    else await this.scheduleAlarm(next);
  }
}
