/**
 * Secrets are not in wrangler.toml, so `wrangler types` cannot see them; they are declared here instead
 * (interface merging with the generated Env in worker-configuration.d.ts).
 * Optional on purpose: a deployed gateway may not have them set, and the code must say so rather than assume.
 *
 * ADMIN_TOKEN: bearer token of the admin API (`wrangler secret put ADMIN_TOKEN`; `npm start` passes a dev value).
 * Unset or empty: the admin API is disabled (503), never open.
 *
 * OTEL_EXPORTER_OTLP_HEADERS: auth headers of the OTLP collector, `k=v,k2=v2` (values may be %-encoded), as in the
 * OpenTelemetry exporter spec (`wrangler secret put OTEL_EXPORTER_OTLP_HEADERS`). Unset: no extra headers.
 *
 * VAULT_KEY: base64 of 32 random bytes (`openssl rand -base64 32`), the AES-256-GCM key of the virtual-key vault
 * (`wrangler secret put VAULT_KEY`; `npm start` passes a dev-only value), which also seals inline credentials of
 * saved configs. Unset: virtual keys, and saving a config with an inline api_key, are unavailable (503).
 * VAULT_KEY_PREVIOUS: only while rotating VAULT_KEY (docs/governance.md: rotating VAULT_KEY).
 */
interface Env {
  ADMIN_TOKEN?: string;
  VAULT_KEY?: string;
  VAULT_KEY_PREVIOUS?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: string;
}

declare namespace Cloudflare {
  interface Env {
    ADMIN_TOKEN?: string;
    VAULT_KEY?: string;
    VAULT_KEY_PREVIOUS?: string;
    OTEL_EXPORTER_OTLP_HEADERS?: string;
  }
}
