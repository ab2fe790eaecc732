import type { Caller } from "../governance/caller";

/** The metadata value every playground run carries in `_source`, so its log rows can be told apart and filtered. */
export const PLAYGROUND_SOURCE = "dashboard-playground";

/** Who runs a prompt from the dashboard: the signed-in session, never a gateway key. */
export interface PlaygroundOperator {
  /** The audit actor of the session (admin:xxxx or admin-key:<id>). */
  actor: string;
  /** The dashboard session's id, so the caller is distinct per session. */
  sessionId: string;
}

/**
 * The request path knows one kind of caller, a gateway key record; the playground's caller is the admin session,
 * shaped as a record the pipeline can use without a second code path. It has no limits, no allowlists and no
 * defaults of its own (an admin may use any virtual key, as the admin API lets them create one), so what governs
 * the run is the chosen virtual key: its rate limits, its budget and its model allowlist. Its id is never written
 * as the log's gateway key (only gatewayAuth does that); its metadata marks the source and the actor on the log.
 */
export function playgroundCaller(operator: PlaygroundOperator): Caller {
  const key = Object.freeze({
    id: `dashboard-session:${operator.sessionId}`,
    name: `dashboard playground (${operator.actor})`,
    status: "active" as const,
    user: null,
    team: null,
    metadata: Object.freeze({ _source: PLAYGROUND_SOURCE, _actor: operator.actor }),
    allowedModels: null,
    allowedProviders: null,
    allowedVirtualKeys: null,
    defaultConfig: null,
    defaultGuardrails: null,
    limits: { rpm: null, tpm: null, budgetUsd: null, period: "none" as const },
    expiresAt: null,
    logBodies: null,
  });
  return { key, fromAuthorization: false };
}
