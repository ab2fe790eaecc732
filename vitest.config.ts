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
          TEST_MIGRATIONS: await readD1Migrations("./schema/migrations"),
        },
      },
    })),
  ],
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    setupFiles: ["./test/setup/apply-migrations.ts"],
  },
});
