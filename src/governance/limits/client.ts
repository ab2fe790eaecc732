import type { GovernanceLimiter } from "./durable-object";

/** Whose limits: one limiter object per gateway key and per virtual key. */
export type SubjectKind = "gateway_key" | "virtual_key";

export interface Subject {
  kind: SubjectKind;
  id: string;
  /** For messages: the key's name or the virtual key's slug. */
  label: string;
}

/**
 * Reservations that are never settled (the isolate died, waitUntil was cut short) are released by the object's
 * alarm after this long. It must outlast any legitimate request: the 10-minute routing deadline plus a long
 * stream. A settlement that arrives later still records its cost; only the hold on the budget is gone.
 */
export const RESERVATION_TTL_MS = 30 * 60_000;

export function limiterStub(env: Env, subject: Pick<Subject, "kind" | "id">): DurableObjectStub<GovernanceLimiter> {
  const namespace = env.GOVERNANCE_LIMITER;
  return namespace.get(namespace.idFromName(`${subject.kind}:${subject.id}`));
}

export const describeSubject = (subject: Subject): string =>
  `${subject.kind === "gateway_key" ? "gateway key" : "virtual key"} ${JSON.stringify(subject.label)}`;
