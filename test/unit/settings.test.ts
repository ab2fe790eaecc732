import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settingsOf } from "../../src/settings";

/** A fresh env object with only these vars (as a deployment that sets nothing else would have). */
const envWith = (vars: Partial<Record<string, string | undefined>>) => vars as unknown as Env;
const problemNames = (vars: Partial<Record<string, string | undefined>>) =>
  settingsOf(envWith(vars)).problems.map((p) => p.name);

describe("settings: defaults", () => {
  it("gives every documented default when nothing is set, and only MAX_BODY_BYTES (required by /ready) is a problem", () => {
    const settings = settingsOf(envWith({}));
    expect(settings).toEqual({
      maxBodyBytes: 4_194_304,
      customHost: { allowPrivate: false, allowlist: [] },
      routingDeadlineMs: 600_000,
      passthrough: false,
      logBodies: false,
      logBodyMaxBytes: 16_384,
      analyticsMetadataKey: null,
      budgetAlerts: { webhookUrl: null, thresholds: [50, 80, 100] },
      otlp: { tracesUrl: null, headers: {} },
      semanticCache: null,
      storedResponsesRetentionDays: 30,
      problems: [{ name: "MAX_BODY_BYTES", message: "MAX_BODY_BYTES must be a positive number of bytes" }],
    });
  });

  it("reads wrangler.toml's vars (plus the test bindings) without a problem", () => {
    const settings = settingsOf(env);
    expect(settings.problems).toEqual([]);
    expect(settings.maxBodyBytes).toBe(4_194_304);
    expect(settings.routingDeadlineMs).toBe(600_000);
    expect(settings.customHost).toEqual({ allowPrivate: false, allowlist: ["*.allowed.test", "vllm.internal.test"] });
    expect(settings.passthrough).toBe(true);
    expect(settings.semanticCache).toEqual({
      threshold: 0.95,
      provider: "openai",
      model: "text-embedding-3-small",
      embeddingTimeoutMs: 1_500,
    });
  });
});

describe("settings: each var", () => {
  it("parses the numbers, clamping where the var is bounded", () => {
    const settings = settingsOf(
      envWith({
        MAX_BODY_BYTES: "1024",
        ROUTING_DEADLINE_MS: "2500",
        LOG_BODY_MAX_BYTES: "4096",
        SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS: "120000",
      }),
    );
    expect([settings.maxBodyBytes, settings.routingDeadlineMs, settings.logBodyMaxBytes]).toEqual([1024, 2500, 4096]);
    expect(settingsOf(envWith({ LOG_BODY_MAX_BYTES: "10" })).logBodyMaxBytes).toBe(256);
    expect(settingsOf(envWith({ LOG_BODY_MAX_BYTES: "1000000" })).logBodyMaxBytes).toBe(49_152);
    expect(settingsOf(envWith({ STORED_RESPONSES_RETENTION_DAYS: "7" })).storedResponsesRetentionDays).toBe(7);
    const badRetention = settingsOf(envWith({ MAX_BODY_BYTES: "1024", STORED_RESPONSES_RETENTION_DAYS: "-1" }));
    expect(badRetention.storedResponsesRetentionDays).toBe(30);
    expect(badRetention.problems.map((problem) => problem.name)).toEqual(["STORED_RESPONSES_RETENTION_DAYS"]);
  });

  it("turns flags on only for the exact string true", () => {
    const on = settingsOf(
      envWith({ PASSTHROUGH_MODE: "true", LOG_BODIES: "true", ALLOW_PRIVATE_CUSTOM_HOSTS: "true" }),
    );
    expect([on.passthrough, on.logBodies, on.customHost.allowPrivate]).toEqual([true, true, true]);
    const off = settingsOf(envWith({ PASSTHROUGH_MODE: "TRUE", LOG_BODIES: "1", ALLOW_PRIVATE_CUSTOM_HOSTS: "yes" }));
    expect([off.passthrough, off.logBodies, off.customHost.allowPrivate]).toEqual([false, false, false]);
  });

  it("parses the custom host allowlist, the observability vars and the OTLP headers secret", () => {
    const settings = settingsOf(
      envWith({
        CUSTOM_HOST_ALLOWLIST: " A.example ,*.Models.test,, ",
        ANALYTICS_METADATA_KEY: " team ",
        BUDGET_ALERT_WEBHOOK_URL: " https://hooks.example/budget ",
        BUDGET_ALERT_THRESHOLDS: "100, 50,80,50",
        OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example/",
        OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic%20abc, x-team = obs ,broken,bad=%E0%A4%A",
      }),
    );
    expect(settings.customHost.allowlist).toEqual(["a.example", "*.models.test"]);
    expect(settings.analyticsMetadataKey).toBe("team");
    expect(settings.budgetAlerts).toEqual({ webhookUrl: "https://hooks.example/budget", thresholds: [50, 80, 100] });
    expect(settings.otlp).toEqual({
      tracesUrl: "https://otel.example/v1/traces",
      headers: { Authorization: "Basic abc", "x-team": "obs", bad: "%E0%A4%A" },
    });
    expect(settingsOf(envWith({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example/v1/traces" })).otlp.tracesUrl).toBe(
      "https://otel.example/v1/traces",
    );
  });

  it("builds the semantic cache settings only with both a provider and a model", () => {
    const semantic = settingsOf(
      envWith({
        SEMANTIC_CACHE_EMBEDDING_PROVIDER: " openai ",
        SEMANTIC_CACHE_EMBEDDING_MODEL: "text-embedding-3-small",
        SEMANTIC_CACHE_EMBEDDING_HOST: " https://embed.allowed.test ",
        SEMANTIC_CACHE_EMBEDDING_API_KEY: "sk-embed",
        SEMANTIC_CACHE_THRESHOLD: "0.9",
        SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS: "250",
      }),
    ).semanticCache;
    expect(semantic).toEqual({
      provider: "openai",
      model: "text-embedding-3-small",
      host: "https://embed.allowed.test",
      apiKey: "sk-embed",
      threshold: 0.9,
      embeddingTimeoutMs: 250,
    });
    expect(
      settingsOf(envWith({ SEMANTIC_CACHE_EMBEDDING_PROVIDER: "openai", SEMANTIC_CACHE_EMBEDDING_MODEL: " " }))
        .semanticCache,
    ).toBeNull();
  });
});

describe("settings: invalid values fall back as before, and are reported", () => {
  it("falls back to the defaults for unusable numbers", () => {
    for (const bad of ["", " ", "0", "-5", "soon", "Infinity"]) {
      const settings = settingsOf(
        envWith({
          MAX_BODY_BYTES: bad,
          ROUTING_DEADLINE_MS: bad,
          LOG_BODY_MAX_BYTES: bad,
          SEMANTIC_CACHE_THRESHOLD: bad,
          SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS: bad,
          SEMANTIC_CACHE_EMBEDDING_PROVIDER: "openai",
          SEMANTIC_CACHE_EMBEDDING_MODEL: "m",
        }),
      );
      expect([settings.maxBodyBytes, settings.routingDeadlineMs, settings.logBodyMaxBytes]).toEqual([
        4_194_304, 600_000, 16_384,
      ]);
      expect(settings.semanticCache).toMatchObject({ threshold: 0.95, embeddingTimeoutMs: 1_500 });
    }
    expect(settingsOf(envWith({ LOG_BODY_MAX_BYTES: "1000.5" })).logBodyMaxBytes).toBe(16_384);
    expect(
      settingsOf(
        envWith({
          SEMANTIC_CACHE_EMBEDDING_PROVIDER: "o",
          SEMANTIC_CACHE_EMBEDDING_MODEL: "m",
          SEMANTIC_CACHE_THRESHOLD: "1.5",
        }),
      ).semanticCache?.threshold,
    ).toBe(0.95);
  });

  it("skips junk thresholds (all junk: none) and ignores an unusable metadata key", () => {
    expect(settingsOf(envWith({ BUDGET_ALERT_THRESHOLDS: "100, 50,abc,80,50,-3" })).budgetAlerts.thresholds).toEqual([
      50, 80, 100,
    ]);
    expect(settingsOf(envWith({ BUDGET_ALERT_THRESHOLDS: "abc" })).budgetAlerts.thresholds).toEqual([]);
    expect(settingsOf(envWith({ BUDGET_ALERT_THRESHOLDS: " " })).budgetAlerts.thresholds).toEqual([50, 80, 100]);
    expect(settingsOf(envWith({ ANALYTICS_METADATA_KEY: 'te"am' })).analyticsMetadataKey).toBeNull();
  });

  it("lists each var that was set but unusable, by name, without its value", () => {
    const names = problemNames({
      MAX_BODY_BYTES: "lots",
      ROUTING_DEADLINE_MS: "-1",
      LOG_BODY_MAX_BYTES: "big",
      ANALYTICS_METADATA_KEY: "a b",
      BUDGET_ALERT_THRESHOLDS: "50,x",
      SEMANTIC_CACHE_THRESHOLD: "2",
      SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS: "never",
    });
    expect(names).toEqual([
      "MAX_BODY_BYTES",
      "ROUTING_DEADLINE_MS",
      "LOG_BODY_MAX_BYTES",
      "ANALYTICS_METADATA_KEY",
      "BUDGET_ALERT_THRESHOLDS",
      "SEMANTIC_CACHE_THRESHOLD",
      "SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS",
    ]);
    const messages = settingsOf(envWith({ MAX_BODY_BYTES: "4194304", ROUTING_DEADLINE_MS: "secret-ish" })).problems;
    expect(messages).toEqual([
      { name: "ROUTING_DEADLINE_MS", message: "ROUTING_DEADLINE_MS is not usable (the default 600000 applies)" },
    ]);
    // Blank optional vars mean "the default", not a mistake.
    expect(problemNames({ MAX_BODY_BYTES: "1", ROUTING_DEADLINE_MS: "", LOG_BODY_MAX_BYTES: " " })).toEqual([]);
  });

  it("keeps /ready's MAX_BODY_BYTES test: any number above 0 passes, even one the limit cannot use", () => {
    expect(problemNames({ MAX_BODY_BYTES: "Infinity" })).toEqual([]);
    expect(problemNames({ MAX_BODY_BYTES: "0" })).toEqual(["MAX_BODY_BYTES"]);
  });
});

describe("settings: memoised per env object", () => {
  it("parses an env object once, and another env object anew", () => {
    const first = envWith({ PASSTHROUGH_MODE: "true" });
    expect(settingsOf(first)).toBe(settingsOf(first));
    const overridden = { ...first, PASSTHROUGH_MODE: "false" } as Env;
    expect(settingsOf(overridden)).not.toBe(settingsOf(first));
    expect([settingsOf(first).passthrough, settingsOf(overridden).passthrough]).toEqual([true, false]);
    expect(settingsOf(env)).toBe(settingsOf(env));
  });
});
