/**
 * Secrets are not in wrangler.toml, so `wrangler types` cannot see them; they are declared here instead
 * (interface merging with the generated Env in worker-configuration.d.ts).
 * Optional on purpose: a deployed gateway may not have them set, and the code must say so rather than assume.
 *
 * ADMIN_TOKEN: bearer token of the admin API (`wrangler secret put ADMIN_TOKEN`; `npm start` passes a dev value).
 * Unset or empty: the admin API is disabled (503), never open.
 */
interface Env {
  ADMIN_TOKEN?: string;
}

declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN?: string;
  }
}
