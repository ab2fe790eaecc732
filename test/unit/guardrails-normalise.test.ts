import { describe, expect, it } from "vitest";
import { validateCheckParameters } from "../../guardrails/registry";
import { hookFromSavedGuardrail, normaliseConfigHooks, normaliseHookList } from "../../schema/guardrails";

const validate = validateCheckParameters;

describe("shorthand input_guardrails / output_guardrails", () => {
  it("turns check keys into checks (bare ids get default.), control keys into flags, strings into saved refs", () => {
    const result = normaliseConfigHooks(
      {
        input_guardrails: [
          { "default.regexMatch": { rule: "\\d{3}-\\d{2}-\\d{4}", not: true }, deny: true },
          "pii-guard",
          { wordCount: { maxWords: 50 }, id: "short", async: true, sequential: true, on_fail: { feedback: 1 } },
        ],
        output_guardrails: [{ contains: { words: ["x"], operator: "none" }, type: "guardrail" }],
      },
      "config",
      validate,
    );
    expect(result).toEqual({
      ok: true,
      hooks: [
        {
          id: "input_guardrails[0]",
          type: "guardrail",
          phase: "input",
          checks: [
            { id: "default.regexMatch", parameters: { rule: "\\d{3}-\\d{2}-\\d{4}", not: true }, isEnabled: true },
          ],
          deny: true,
          async: false,
          sequential: false,
        },
        { ref: "pii-guard", phase: "input", path: "config.input_guardrails[1]" },
        {
          id: "short",
          type: "guardrail",
          phase: "input",
          checks: [{ id: "default.wordCount", parameters: { minWords: 0, maxWords: 50 }, isEnabled: true }],
          deny: false,
          async: true,
          sequential: true,
          onFail: { feedback: 1 },
        },
        {
          id: "output_guardrails[0]",
          type: "guardrail",
          phase: "output",
          checks: [{ id: "default.contains", parameters: { words: ["x"], operator: "none" }, isEnabled: true }],
          deny: false,
          async: false,
          sequential: false,
        },
      ],
    });
  });

  it("reports every bad parameter with Portkey-style paths", () => {
    const result = normaliseConfigHooks(
      {
        input_guardrails: [
          { "default.wordCount": { maxWords: "ten" } },
          { bogusCheck: {} },
          { deny: "yes", notNull: {} },
        ],
      },
      "config",
      validate,
    );
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path)).toEqual([
      "config.input_guardrails[0].default.wordCount.maxWords",
      "config.input_guardrails[1].default.bogusCheck",
      "config.input_guardrails[2].deny",
    ]);
    expect(issues[1]?.message).toContain("unknown check");
  });

  it("refuses items that are neither a string nor an object of checks, and checks in the wrong phase", () => {
    const list = (value: unknown, phase: "input" | "output" = "input") =>
      normaliseHookList(value, { form: "shorthand", phase, path: "config.input_guardrails", validate });
    expect(list("x")).toEqual({
      ok: false,
      issues: [{ path: "config.input_guardrails", message: "expected an array" }],
    });
    expect(list([42])).toMatchObject({ ok: false, issues: [{ path: "config.input_guardrails[0]" }] });
    expect(list([{ deny: true }])).toMatchObject({ ok: false, issues: [{ path: "config.input_guardrails[0]" }] });
    expect(list([{ addPrefix: { prefix: "x" } }], "output")).toMatchObject({
      ok: false,
      issues: [{ path: "config.input_guardrails[0].default.addPrefix" }],
    });
    expect(list(undefined)).toEqual({ ok: true, hooks: [] });
  });
});

describe("full form before_request_hooks / after_request_hooks", () => {
  it("keeps type, ids, is_enabled and flags; an item with an id and no checks is a saved guardrail", () => {
    const result = normaliseConfigHooks(
      {
        before_request_hooks: [
          {
            type: "mutator",
            id: "redact",
            checks: [
              { id: "default.regexReplace", parameters: { rule: "\\d+" } },
              { id: "wordCount", parameters: { maxWords: 5 }, is_enabled: false },
            ],
            deny: false,
            sequential: true,
          },
          { id: "pg-saved-1" },
        ],
        after_request_hooks: [{ checks: [{ id: "default.notNull" }], deny: true }],
      },
      "config",
      validate,
    );
    expect(result).toEqual({
      ok: true,
      hooks: [
        {
          id: "redact",
          type: "mutator",
          phase: "input",
          checks: [
            { id: "default.regexReplace", parameters: { rule: "\\d+", redactText: "[REDACTED]" }, isEnabled: true },
            { id: "default.wordCount", parameters: { minWords: 0, maxWords: 5 }, isEnabled: false },
          ],
          deny: false,
          async: false,
          sequential: true,
        },
        { ref: "pg-saved-1", phase: "input", path: "config.before_request_hooks[1]" },
        {
          id: "after_request_hooks[0]",
          type: "guardrail",
          phase: "output",
          checks: [{ id: "default.notNull", parameters: {}, isEnabled: true }],
          deny: true,
          async: false,
          sequential: false,
        },
      ],
    });
  });

  it("names the path of a bad check parameter, an unknown field and a missing checks list", () => {
    const result = normaliseConfigHooks(
      {
        before_request_hooks: [
          { checks: [{ id: "default.notNull" }, { id: "default.characterCount", parameters: { maxCharacters: -1 } }] },
          { checks: [], colour: "red" },
          { deny: true },
        ],
      },
      "config",
      validate,
    );
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toEqual([
      "config.before_request_hooks[0].checks[1].parameters.maxCharacters",
      "config.before_request_hooks[1].colour",
      "config.before_request_hooks[2].checks",
    ]);
  });
});

describe("saved guardrails", () => {
  it("a stored body in either form becomes a hook with the saved guardrail's id", () => {
    expect(
      hookFromSavedGuardrail({ contains: { words: ["a"] }, deny: true }, "output", "gr_1", "guardrail", validate),
    ).toMatchObject({
      ok: true,
      hook: { id: "gr_1", phase: "output", deny: true, checks: [{ id: "default.contains" }] },
    });
    expect(
      hookFromSavedGuardrail({ checks: [{ id: "notNull" }] }, "input", "gr_2", "guardrail", validate),
    ).toMatchObject({
      ok: true,
      hook: { id: "gr_2", checks: [{ id: "default.notNull" }] },
    });
    expect(hookFromSavedGuardrail({ id: "other" }, "input", "gr_3", "guardrail", validate)).toMatchObject({
      ok: false,
    });
  });
});
