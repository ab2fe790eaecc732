import { describe, expect, it } from "vitest";
import { useFakeUpstreams } from "./harness";
import { chat, fakeTarget, route } from "./routing-upstreams";

useFakeUpstreams();

function tiers() {
  const premium = fakeTarget("premium");
  const basic = fakeTarget("basic");
  const config = {
    strategy: {
      mode: "conditional",
      conditions: [
        { query: { "metadata.plan": { $eq: "paid" } }, then: "premium" },
        { query: { $and: [{ "metadata.plan": "trial" }, { "metadata.seats": { $gte: 10 } }] }, then: "premium" },
      ],
      default: "basic",
    },
    targets: [premium.target({ name: "premium" }), basic.target({ name: "basic" })],
  };
  return { premium, basic, config };
}

const meta = (value: Record<string, string>) => ({ "x-portkey-metadata": JSON.stringify(value) });

describe("conditional routing", () => {
  it("routes by metadata, falling back to strategy.default", async () => {
    const { config } = tiers();
    const paid = await route(config, meta({ plan: "paid" }));
    expect(paid.answer).toBe("from premium");
    expect(paid.index).toBe("config.targets[0]");
    const bigTrial = await route(config, meta({ plan: "trial", seats: "25" }));
    expect(bigTrial.answer).toBe("from premium");
    const smallTrial = await route(config, meta({ plan: "trial", seats: "3" }));
    expect(smallTrial.answer).toBe("from basic");
    const none = await route(config);
    expect(none.answer).toBe("from basic");
    expect(none.index).toBe("config.targets[1]");
  });

  it("routes by params (the body as the client sent it)", async () => {
    const reasoning = fakeTarget("reasoning");
    const fast = fakeTarget("fast");
    const long = fakeTarget("long");
    const config = {
      strategy: {
        mode: "conditional",
        conditions: [
          { query: { "params.model": { $regex: "^o[0-9]" } }, then: "reasoning" },
          {
            query: { $or: [{ "params.max_tokens": { $gt: 4000 } }, { "params.messages.0.role": { $eq: "system" } }] },
            then: "long",
          },
          { query: { "params.model": { $in: ["gpt-4o-mini", "gpt-4.1-nano"] } }, then: "fast" },
        ],
      },
      targets: [reasoning.target({ name: "reasoning" }), fast.target({ name: "fast" }), long.target({ name: "long" })],
    };
    expect((await route(config, {}, { ...chat, model: "o3-mini" })).answer).toBe("from reasoning");
    expect((await route(config, {}, { ...chat, max_tokens: 8000 })).answer).toBe("from long");
    expect(
      (await route(config, {}, { ...chat, messages: [{ role: "system", content: "s" }, ...chat.messages] })).answer,
    ).toBe("from long");
    const r = await route(config, {}, chat);
    expect(r.answer).toBe("from fast");
    expect(r.index).toBe("config.targets[1]");
  });

  it("no matching condition and no default: 400", async () => {
    const a = fakeTarget("a");
    const config = {
      strategy: { mode: "conditional", conditions: [{ query: { "metadata.plan": "paid" }, then: "a" }] },
      targets: [a.target({ name: "a" })],
    };
    const r = await route(config, meta({ plan: "free" }));
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ code: "no_matching_condition", param: "x-portkey-config" });
    expect(r.answer).toBe("config: no condition matched and strategy.default is not set");
    expect(a.calls).toBe(0);
  });

  it("a conditional nested in a fallback: the chosen branch fails over to the next target", async () => {
    const { premium, basic, config } = tiers();
    premium.script([{ status: 500 }]);
    const backup = fakeTarget("backup");
    const r = await route(
      { strategy: { mode: "fallback" }, targets: [config, backup.target()] },
      meta({ plan: "paid" }),
    );
    expect(r.answer).toBe("from backup");
    expect(r.index).toBe("config.targets[1]");
    expect(basic.calls).toBe(0);
  });

  for (const [header, message] of [
    ["{nope", "x-portkey-metadata is not valid JSON"],
    ["[1,2]", "x-portkey-metadata must be a JSON object of string values"],
    ['{"plan": 3}', "x-portkey-metadata.plan: expected a string, got number"],
  ] as const) {
    it(`400 for invalid x-portkey-metadata ${header}`, async () => {
      const { config } = tiers();
      const r = await route(config, { "x-portkey-metadata": header });
      expect(r.status).toBe(400);
      expect(r.error).toMatchObject({ param: "x-portkey-metadata", code: "invalid_metadata", message });
    });
  }
});
