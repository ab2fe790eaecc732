import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Unit and integration tests run inside workerd with the bindings from wrangler.toml. D1 starts empty: the
// migrations are read here (Node) and applied by test/setup/apply-migrations.ts (workerd) before each test file.
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ALLOW_PRIVATE_CUSTOM_HOSTS: "false",
          CUSTOM_HOST_ALLOWLIST: "*.allowed.test,vllm.internal.test",
          ADMIN_TOKEN: "test-admin-token", // not a secret: test/integration/admin-helpers.ts sends it
          // The existing integration tests send provider keys directly (passthrough); governance tests override it
          // per request to check the secure default (test/integration/governance-helpers.ts).
          PASSTHROUGH_MODE: "true",
          VAULT_KEY: "v9BBcY5xOB7GjndDq9ASnRoJJundmxouB4/JBO4i488=", // test-only vault key, never used anywhere else
          TEST_MIGRATIONS: await readD1Migrations("./schema/migrations"),
        },
        // The log queue as in wrangler.toml, but delivering after 0.2 s instead of 5 s so tests that poll D1 for a
        // request's log row stay quick (test/integration/observability-*).
        queueConsumers: {
          "ai-gateway-logs": {
            maxBatchSize: 100,
            maxBatchTimeout: 0.2,
            maxRetries: 5,
            deadLetterQueue: "ai-gateway-logs-dlq",
          },
        },
      },
    })),
  ],
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    setupFiles: ["./test/setup/apply-migrations.ts"],
    // Two test files at a time even on a 2-core machine (Vitest's default leaves one core idle): each file waits on
    // workerd's I/O much of the time, and the whole suite runs in about 70% of the time.
    maxWorkers: 2,
  },
});
