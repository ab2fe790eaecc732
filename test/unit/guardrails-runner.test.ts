import { describe, expect, it } from "vitest";
import { runHooks, runPhase } from "../../guardrails/runner";
import type { ConfiguredCheck, Hook } from "../../guardrails/types";
import { checkContext } from "./guardrails-helpers";

const check = (id: string, parameters: Record<string, unknown> = {}, isEnabled = true): ConfiguredCheck => ({
  id,
  parameters,
  isEnabled,
});

function hook(id: string, checks: ConfiguredCheck[], flags: Partial<Hook> = {}): Hook {
  return { id, type: "guardrail", phase: "input", checks, deny: false, async: false, sequential: false, ...flags };
}

/** A fake network edge for webhook checks: answers once `expected` calls are in flight (proves concurrency). */
function barrierFetch(expected: number, verdict = true) {
  const order: string[] = [];
  let release: () => void = () => undefined;
  const allIn = new Promise<void>((resolve) => (release = resolve));
  const fetch = async (url: string) => {
    order.push(url);
    if (order.length === expected) release();
    await allIn;
    return Response.json({ verdict });
  };
  return { fetch, order };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("verdicts", () => {
  it("a hook passes when every enabled check passes; disabled checks are skipped; results are Portkey's wire format", async () => {
    const run = await runHooks(
      [
        hook(
          "h1",
          [check("default.wordCount", { maxWords: 5 }), check("default.contains", { words: ["zzz"] }, false)],
          { deny: true },
        ),
      ],
      checkContext("two words"),
      { clock: () => 0 },
    );
    expect(run).toEqual({
      results: [
        {
          id: "h1",
          type: "guardrail",
          verdict: true,
          deny: true,
          async: false,
          transformed: false,
          execution_time: 0,
          checks: [
            {
              id: "default.wordCount",
              verdict: true,
              data: { wordCount: 2, minWords: 0, maxWords: 5, not: false },
              error: null,
              execution_time: 0,
              transformed: false,
            },
          ],
        },
      ],
      verdict: true,
      denied: false,
      text: "two words",
      transformed: false,
      restore: new Map(),
    });
  });

  it("a failed hook denies only with deny: true; a flag still reports verdict false", async () => {
    const failing = [check("default.contains", { words: ["secret"], operator: "none" })];
    const denied = await runHooks([hook("d", failing, { deny: true })], checkContext("a secret"));
    expect(denied).toMatchObject({ verdict: false, denied: true, results: [{ id: "d", verdict: false, deny: true }] });
    const flagged = await runHooks([hook("f", failing)], checkContext("a secret"));
    expect(flagged).toMatchObject({ verdict: false, denied: false });
  });

  it("a check that throws passes unless failOnError, and its error says nothing of the text", async () => {
    const lenient = await runHooks([hook("h", [check("default.wordCount", {})], { deny: true })], checkContext("   "));
    expect(lenient).toMatchObject({ verdict: true, denied: false });
    expect(lenient.results[0]?.checks[0]).toMatchObject({
      verdict: true,
      data: null,
      error: { name: "CheckError", message: "there is no text to check" },
    });
    const strict = await runHooks(
      [hook("h", [check("default.wordCount", { failOnError: true })], { deny: true })],
      checkContext("   "),
    );
    expect(strict).toMatchObject({ verdict: false, denied: true });
  });

  it("an unknown check at run time is an error (config validation normally refuses it first)", async () => {
    const run = await runHooks([hook("h", [check("default.nope", { failOnError: true })])], checkContext("x"));
    expect(run.results[0]?.checks[0]?.error).toEqual({ name: "Error", message: "the check failed with Error" });
    expect(run.verdict).toBe(false);
  });

  it("only hooks of the context's phase run", async () => {
    const run = await runHooks([hook("out", [check("default.notNull")], { phase: "output" })], checkContext("x"));
    expect(run.results).toEqual([]);
  });
});

describe("concurrency and order", () => {
  it("runs hooks concurrently and a hook's checks concurrently", async () => {
    const edge = barrierFetch(3);
    const webhook = (n: number) =>
      check("default.webhook", { webhookURL: `https://guard.example.com/${n}`, timeout: 1000 });
    const run = await runHooks(
      [hook("a", [webhook(1), webhook(2)]), hook("b", [webhook(3)])],
      checkContext("x", { fetch: edge.fetch }),
    );
    expect(run.verdict).toBe(true);
    expect(edge.order).toHaveLength(3);
    expect(run.results.flatMap((result) => result.checks.map((c) => c.error))).toEqual([null, null, null]);
  });

  it("runs a sequential hook's checks one after another, each on the previous transformation", async () => {
    const calls: string[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      calls.push(url);
      await tick();
      const sent = JSON.parse(String(init.body)) as { request: { text: string } };
      return Response.json({ verdict: true, transformedData: `${sent.request.text}+${url.slice(-1)}` });
    };
    const webhook = (n: number) => check("default.webhook", { webhookURL: `https://guard.example.com/${n}` });
    const run = await runHooks(
      [hook("seq", [webhook(1), webhook(2)], { sequential: true })],
      checkContext("x", { fetch }),
    );
    expect(calls).toEqual(["https://guard.example.com/1", "https://guard.example.com/2"]);
    expect(run).toMatchObject({ text: "x+1+2", transformed: true, transformedText: "x+1+2" });
    expect(run.results[0]?.checks.map((c) => c.transformed)).toEqual([true, true]);
  });

  it("composes transformations of concurrent checks and hooks, so no redaction is lost", async () => {
    const digits = check("default.regexReplace", { rule: "\\d+", redactText: "<n>" });
    const emails = check("default.regexReplace", { rule: "\\w+@\\w+\\.com", redactText: "<e>" });
    const text = "call 555 or bob@acme.com";
    const sameHook = await runHooks([hook("h", [digits, emails])], checkContext(text));
    expect(sameHook.text).toBe("call <n> or <e>");
    const twoHooks = await runHooks([hook("h1", [digits]), hook("h2", [emails])], checkContext(text));
    expect(twoHooks).toMatchObject({ text: "call <n> or <e>", transformed: true });
    expect(twoHooks.results.map((r) => r.transformed)).toEqual([true, true]);
  });

  it("addPrefix then a word count in a sequential hook sees the prefixed text", async () => {
    const run = await runHooks(
      [
        hook("m", [check("default.addPrefix", { prefix: "one two " }), check("default.wordCount", { maxWords: 3 })], {
          sequential: true,
          deny: true,
        }),
      ],
      checkContext("three four"),
    );
    expect(run).toMatchObject({ denied: true, text: "one two three four" });
  });
});

describe("async hooks", () => {
  it("runPhase keeps async hooks for later; they never run now", async () => {
    const edge = barrierFetch(1, false);
    const later = hook("later", [check("default.webhook", { webhookURL: "https://guard.example.com/x" })], {
      async: true,
      deny: true,
    });
    const now = hook("now", [check("default.notNull")]);
    const run = await runPhase([now, later], checkContext("x", { fetch: edge.fetch }));
    expect(run.deferred).toEqual([later]);
    expect(run.results.map((r) => r.id)).toEqual(["now"]);
    expect(edge.order).toEqual([]);
  });

  it("async hooks given to runHooks are reported but never deny or transform", async () => {
    const redact = check("default.regexReplace", { rule: "\\d+" });
    const failing = check("default.contains", { words: ["x"], operator: "none" });
    const run = await runHooks([hook("bg", [redact, failing], { async: true, deny: true })], checkContext("x 123"));
    expect(run).toMatchObject({ verdict: true, denied: false, text: "x 123", transformed: false });
    expect(run.results[0]).toMatchObject({ id: "bg", async: true, verdict: false, transformed: true });
  });
});
