import { describe, expect, it } from "vitest";
import type { ConditionQuery, StrategyConfig } from "../../schema/config";
import { chooseConditionalTarget, fieldValue, matchesQuery, type ConditionInput } from "../../src/routing/conditions";

const input: ConditionInput = {
  metadata: { plan: "paid", seats: "12", region: "eu-west", "team.name": "core", beta: "true" },
  params: {
    model: "gpt-4o-mini",
    max_tokens: 500,
    temperature: 0.2,
    stream: false,
    user: null,
    messages: [
      { role: "system", content: "be brief" },
      { role: "user", content: "hello" },
    ],
    response_format: { type: "json_object" },
  },
};
const q = (query: ConditionQuery) => matchesQuery(query, input);

describe("fields", () => {
  it("reads metadata keys (dots included) and walks params paths, array indexes too", () => {
    expect(fieldValue("metadata.plan", input)).toBe("paid");
    expect(fieldValue("metadata.team.name", input)).toBe("core");
    expect(fieldValue("params.response_format.type", input)).toBe("json_object");
    expect(fieldValue("params.messages.1.content", input)).toBe("hello");
    expect(fieldValue("params.messages.9.content", input)).toBeUndefined();
    expect(fieldValue("params.model.length", input)).toBeUndefined();
    expect(fieldValue("metadata.toString", input)).toBeUndefined();
    expect(fieldValue("params.constructor", input)).toBeUndefined();
  });
});

describe("operators", () => {
  it("$eq (and bare values)", () => {
    expect(q({ "metadata.plan": { $eq: "paid" } })).toBe(true);
    expect(q({ "metadata.plan": { $eq: "free" } })).toBe(false);
    expect(q({ "metadata.plan": "paid" })).toBe(true);
    expect(q({ "params.stream": false })).toBe(true);
    expect(q({ "params.max_tokens": 500 })).toBe(true);
    // Metadata values are strings: numbers and booleans match their string form.
    expect(q({ "metadata.seats": { $eq: 12 } })).toBe(true);
    expect(q({ "metadata.beta": true })).toBe(true);
    expect(q({ "params.max_tokens": "500" })).toBe(false);
    // A missing field equals null.
    expect(q({ "metadata.nope": null })).toBe(true);
    expect(q({ "params.user": { $eq: null } })).toBe(true);
  });

  it("$ne", () => {
    expect(q({ "metadata.plan": { $ne: "free" } })).toBe(true);
    expect(q({ "metadata.plan": { $ne: "paid" } })).toBe(false);
    expect(q({ "metadata.nope": { $ne: "x" } })).toBe(true);
  });

  it("$gt $gte $lt $lte on numbers, numeric strings and strings", () => {
    expect(q({ "params.max_tokens": { $gt: 499 } })).toBe(true);
    expect(q({ "params.max_tokens": { $gt: 500 } })).toBe(false);
    expect(q({ "params.max_tokens": { $gte: 500 } })).toBe(true);
    expect(q({ "params.temperature": { $lt: 0.5 } })).toBe(true);
    expect(q({ "params.temperature": { $lte: 0.2 } })).toBe(true);
    expect(q({ "params.temperature": { $lt: 0.2 } })).toBe(false);
    expect(q({ "metadata.seats": { $gte: 10, $lt: 20 } })).toBe(true);
    expect(q({ "metadata.seats": { $gt: 12 } })).toBe(false);
    expect(q({ "metadata.region": { $gt: "eu" } })).toBe(true);
    expect(q({ "metadata.region": { $lt: "eu" } })).toBe(false);
    // Non-numeric values never compare with numbers; missing fields never compare.
    expect(q({ "metadata.plan": { $gt: 1 } })).toBe(false);
    expect(q({ "metadata.plan": { $lt: 1 } })).toBe(false);
    expect(q({ "metadata.nope": { $lte: 100 } })).toBe(false);
    expect(q({ "params.max_tokens": { $gt: "100" } })).toBe(false);
  });

  it("$in $nin", () => {
    expect(q({ "params.model": { $in: ["gpt-4o", "gpt-4o-mini"] } })).toBe(true);
    expect(q({ "params.model": { $in: ["o3"] } })).toBe(false);
    expect(q({ "metadata.seats": { $in: [10, 12] } })).toBe(true);
    expect(q({ "params.model": { $nin: ["o3"] } })).toBe(true);
    expect(q({ "params.model": { $nin: ["gpt-4o-mini"] } })).toBe(false);
    expect(q({ "metadata.nope": { $nin: ["x"] } })).toBe(true);
    expect(q({ "metadata.nope": { $in: ["x"] } })).toBe(false);
  });

  it("$regex", () => {
    expect(q({ "params.model": { $regex: "^gpt-4o" } })).toBe(true);
    expect(q({ "params.model": { $regex: "^o\\d" } })).toBe(false);
    expect(q({ "metadata.region": { $regex: "^(eu|us)-(west|east)$" } })).toBe(true);
    expect(q({ "params.messages.0.content": { $regex: "\\bbrief\\b" } })).toBe(true);
    // Only strings match a pattern.
    expect(q({ "params.max_tokens": { $regex: "500" } })).toBe(false);
    expect(q({ "metadata.nope": { $regex: ".*" } })).toBe(false);
  });

  it("$and $or, nested, and several fields in one object (all must hold)", () => {
    expect(q({ $and: [{ "metadata.plan": "paid" }, { "params.max_tokens": { $lte: 500 } }] })).toBe(true);
    expect(q({ $and: [{ "metadata.plan": "paid" }, { "params.max_tokens": { $gt: 500 } }] })).toBe(false);
    expect(q({ $or: [{ "metadata.plan": "free" }, { "params.stream": false }] })).toBe(true);
    expect(q({ $or: [{ "metadata.plan": "free" }, { "params.stream": true }] })).toBe(false);
    expect(
      q({
        $or: [
          { $and: [{ "metadata.plan": "paid" }, { "metadata.seats": { $gt: 100 } }] },
          { "metadata.region": { $regex: "^eu" } },
        ],
      }),
    ).toBe(true);
    expect(q({ "metadata.plan": "paid", "params.model": "o3" })).toBe(false);
    expect(q({ "metadata.plan": "paid", "params.model": "gpt-4o-mini", $or: [{ "metadata.beta": "true" }] })).toBe(
      true,
    );
  });
});

describe("choosing a target", () => {
  const strategy: StrategyConfig = {
    mode: "conditional",
    conditions: [
      { query: { "metadata.plan": "enterprise" }, then: "dedicated" },
      { query: { "metadata.plan": "paid" }, then: "premium" },
      { query: { "metadata.plan": { $in: ["paid", "trial"] } }, then: "shared" },
    ],
    default: "basic",
  };

  it("takes the first matching condition, else the default, else null", () => {
    expect(chooseConditionalTarget(strategy, input)).toBe("premium");
    expect(chooseConditionalTarget(strategy, { ...input, metadata: { plan: "trial" } })).toBe("shared");
    expect(chooseConditionalTarget(strategy, { ...input, metadata: {} })).toBe("basic");
    const { default: _ignored, ...noDefault } = strategy;
    expect(chooseConditionalTarget(noDefault, { ...input, metadata: {} })).toBeNull();
  });
});
