/*
 * The quantities limits are counted in, shared by the ledger and the lease sizing (kept apart so that neither
 * imports the other).
 */

/** A quantity under the three limits: requests (rpm), tokens (tpm) and nano-dollars (budget). */
export interface Amount {
  requests: number;
  tokens: number;
  nano: number;
}

/** Room under each limit, null where there is no limit. */
export type Headroom = { [K in keyof Amount]: number | null };
