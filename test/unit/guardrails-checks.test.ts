import { describe, expect, it } from "vitest";
import { checkDefinition, getCheck, isStreamable, validateCheckParameters } from "../../guardrails/registry";
import { checkContext } from "./guardrails-helpers";

/** Validate parameters as the config normaliser does, then run the check. */
async function run(id: string, parameters: Record<string, unknown>, text: string, overrides = {}) {
  const valid = validateCheckParameters(id, parameters, `config.input_guardrails[0].${id}`);
  if (!valid.ok) throw new Error(JSON.stringify(valid.issues));
  return getCheck(id).run(checkContext(text, overrides), valid.parameters);
}
const verdict = async (id: string, parameters: Record<string, unknown>, text: string, overrides = {}) =>
  (await run(id, parameters, text, overrides)).verdict;

function issues(id: string, parameters: unknown, phase?: "input" | "output") {
  const result = validateCheckParameters(id, parameters, `config.input_guardrails[0].${id}`, phase);
  return result.ok ? [] : result.issues;
}

describe("regexMatch", () => {
  const ssn = "\\d{3}-\\d{2}-\\d{4}";
  it("passes on a match, fails without one; `not` inverts (deny on a match)", async () => {
    expect(await verdict("default.regexMatch", { rule: ssn }, "my ssn is 123-45-6789")).toBe(true);
    expect(await verdict("default.regexMatch", { rule: ssn }, "no number here")).toBe(false);
    expect(await verdict("default.regexMatch", { rule: ssn, not: true }, "my ssn is 123-45-6789")).toBe(false);
    expect(await verdict("default.regexMatch", { rule: ssn, not: true }, "no number here")).toBe(true);
  });
  it("never reports the matched text", async () => {
    const outcome = await run("default.regexMatch", { rule: ssn }, "my ssn is 123-45-6789");
    expect(JSON.stringify(outcome.data)).not.toContain("123-45-6789");
    expect(outcome.data).toMatchObject({ matched: true });
  });
  it("refuses patterns the linear engine cannot run, naming the rule", () => {
    expect(issues("default.regexMatch", { rule: "(a)\\1" })).toEqual([
      { path: "config.input_guardrails[0].default.regexMatch.rule", message: expect.stringContaining("") },
    ]);
    expect(issues("default.regexMatch", {})[0]?.path).toBe("config.input_guardrails[0].default.regexMatch.rule");
    expect(issues("default.regexMatch", { rule: "a", nott: true })).toEqual([
      { path: "config.input_guardrails[0].default.regexMatch.nott", message: "unknown field" },
    ]);
  });
  it("stays correct on a 10 KB adversarial input", async () => {
    expect(await verdict("default.regexMatch", { rule: "(\\d+)+x", not: true }, "1".repeat(10_000))).toBe(true);
    expect(await verdict("default.regexMatch", { rule: ssn, not: true }, `${"9".repeat(10_000)} 123-45-6789`)).toBe(
      false,
    );
  });
  it("on a streamed prefix fails only on a certain match, and is streamable only with `not`", async () => {
    expect(await verdict("default.regexMatch", { rule: "secret$", not: true }, "the secret", { partial: true })).toBe(
      true,
    );
    expect(await verdict("default.regexMatch", { rule: "secret", not: true }, "the secret", { partial: true })).toBe(
      false,
    );
    expect(await verdict("default.regexMatch", { rule: "secret" }, "nothing yet", { partial: true })).toBe(true);
    const definition = getCheck("default.regexMatch");
    expect(isStreamable(definition, { rule: "x", not: true })).toBe(true);
    expect(isStreamable(definition, { rule: "x" })).toBe(false);
  });
});

describe("contains", () => {
  it("any, all and none (case-sensitive, as Portkey)", async () => {
    const words = ["apple", "pear"];
    expect(await verdict("contains", { words, operator: "any" }, "an apple")).toBe(true);
    expect(await verdict("contains", { words, operator: "all" }, "an apple")).toBe(false);
    expect(await verdict("contains", { words, operator: "all" }, "an apple and a pear")).toBe(true);
    expect(await verdict("contains", { words, operator: "none" }, "an apple")).toBe(false);
    expect(await verdict("contains", { words, operator: "none" }, "a plum, an Apple")).toBe(true);
    expect(await verdict("contains", { words }, "pear")).toBe(true);
  });
  it("reports counts, not words; streamable for `none` only", async () => {
    expect((await run("contains", { words: ["apple"], operator: "none" }, "apple")).data).toEqual({
      operator: "none",
      found: 1,
      total: 1,
    });
    expect(isStreamable(getCheck("contains"), { words: ["a"], operator: "none" })).toBe(true);
    expect(isStreamable(getCheck("contains"), { words: ["a"], operator: "any" })).toBe(false);
    expect(issues("contains", { words: [], operator: "any" })[0]?.path).toBe(
      "config.input_guardrails[0].contains.words",
    );
    expect(issues("contains", { words: ["a"], operator: "some" })[0]?.path).toBe(
      "config.input_guardrails[0].contains.operator",
    );
  });
});

describe("counts", () => {
  it("wordCount: range, not, prefixes, bad ranges", async () => {
    expect(await verdict("wordCount", { minWords: 2, maxWords: 3 }, "  one two three ")).toBe(true);
    expect(await verdict("wordCount", { minWords: 2, maxWords: 3 }, "one two three four")).toBe(false);
    expect(await verdict("wordCount", { minWords: 2, maxWords: 3, not: true }, "one")).toBe(true);
    expect(await verdict("wordCount", { minWords: 5, maxWords: 9 }, "one two", { partial: true })).toBe(true);
    expect(await verdict("wordCount", { maxWords: 1 }, "one two", { partial: true })).toBe(false);
    expect(issues("wordCount", { minWords: 5, maxWords: 2 })).toEqual([
      { path: "config.input_guardrails[0].wordCount.maxWords", message: "must be at least minWords (5)" },
    ]);
    expect(issues("wordCount", { maxWords: "ten" })[0]?.path).toBe("config.input_guardrails[0].wordCount.maxWords");
    expect(issues("wordCount", { maxWords: 1.5 })[0]?.path).toBe("config.input_guardrails[0].wordCount.maxWords");
  });
  it("sentenceCount counts runs of . ! ?", async () => {
    expect((await run("sentenceCount", {}, "Hi. Really?! Wait...")).data).toMatchObject({ sentenceCount: 3 });
    expect(await verdict("sentenceCount", { minSentences: 1, maxSentences: 2 }, "One. Two. Three.")).toBe(false);
    expect(await verdict("sentenceCount", { minSentences: 1, maxSentences: 2, not: true }, "One. Two. Three.")).toBe(
      true,
    );
  });
  it("characterCount: UTF-16 length, max decides on prefixes", async () => {
    expect(await verdict("characterCount", { minCharacters: 1, maxCharacters: 5 }, "hello")).toBe(true);
    expect(await verdict("characterCount", { maxCharacters: 4 }, "hello")).toBe(false);
    expect(await verdict("characterCount", { maxCharacters: 4, not: true }, "hello")).toBe(true);
    expect(await verdict("characterCount", { minCharacters: 10 }, "hello", { partial: true })).toBe(true);
    expect(isStreamable(getCheck("characterCount"), { maxCharacters: 4, not: true })).toBe(false);
  });
});

describe("text shape", () => {
  it("endsWith accepts a final period, not inverts", async () => {
    expect(await verdict("endsWith", { suffix: "Thanks" }, "Regards. Thanks.")).toBe(true);
    expect(await verdict("endsWith", { suffix: "Thanks" }, "Thanks a lot")).toBe(false);
    expect(await verdict("endsWith", { suffix: "Thanks", not: true }, "Thanks a lot")).toBe(true);
    expect(issues("endsWith", { suffix: "" })[0]?.path).toBe("config.input_guardrails[0].endsWith.suffix");
  });
  it("alllowercase / alluppercase ignore non-letters and know other scripts", async () => {
    expect(await verdict("alllowercase", {}, "all lower 123!")).toBe(true);
    expect(await verdict("alllowercase", {}, "not Lower")).toBe(false);
    expect(await verdict("alllowercase", { not: true }, "not Lower")).toBe(true);
    expect(await verdict("alluppercase", {}, "ÉCOLE 42")).toBe(true);
    expect(await verdict("alluppercase", {}, "École")).toBe(false);
  });
  it("notNull passes on text and fails on blank text without throwing", async () => {
    expect(await verdict("notNull", {}, "x")).toBe(true);
    expect(await verdict("notNull", {}, "  ")).toBe(false);
    expect(await verdict("notNull", { not: true }, "  ")).toBe(true);
  });
  it("an empty text is an error (the runner then passes it unless failOnError)", async () => {
    await expect(run("wordCount", {}, "  ")).rejects.toThrow("there is no text to check");
  });
});

describe("JSON", () => {
  const schema = { type: "object", required: ["name"], properties: { name: { type: "string" } } };
  it("jsonSchema finds JSON in prose, fences or the whole text; not inverts; no JSON fails", async () => {
    expect(await verdict("jsonSchema", { schema }, '{"name": "x"}', { phase: "output" })).toBe(true);
    expect(await verdict("jsonSchema", { schema }, 'Here: ```json\n{"name": "x", "a": {"b": 1}}\n``` done')).toBe(true);
    expect(await verdict("jsonSchema", { schema }, 'It is {"nested": {"deep": 1}, "name": "x"} ok')).toBe(true);
    expect(await verdict("jsonSchema", { schema }, '{"name": 5}')).toBe(false);
    expect(await verdict("jsonSchema", { schema, not: true }, '{"name": 5}')).toBe(true);
    expect(await verdict("jsonSchema", { schema }, "no json")).toBe(false);
  });
  it("jsonSchema reports where validation failed but not the value", async () => {
    const outcome = await run("jsonSchema", { schema }, '{"name": 123456789}');
    expect(JSON.stringify(outcome.data)).not.toContain("123456789");
    expect(outcome.data).toMatchObject({
      valid: false,
      validationErrors: expect.arrayContaining([{ path: "#/name", keyword: "type" }]),
    });
  });
  it("jsonSchema checks the schema itself at config time", () => {
    expect(issues("jsonSchema", { schema: { type: "strnig" } })[0]?.path).toBe(
      "config.input_guardrails[0].jsonSchema.schema.type",
    );
    expect(issues("jsonSchema", { schema: { properties: { a: { pattern: "(a+)+$" } } } })[0]?.path).toBe(
      "config.input_guardrails[0].jsonSchema.schema.properties.a.pattern",
    );
    expect(issues("jsonSchema", { schema: "x" })[0]?.path).toBe("config.input_guardrails[0].jsonSchema.schema");
  });
  it("jsonKeys: any / all / none on the best object", async () => {
    const text = 'a {"a": 1} and {"a": 1, "b": 2}';
    expect(await verdict("jsonKeys", { keys: ["a", "b"], operator: "all" }, text)).toBe(true);
    expect(await verdict("jsonKeys", { keys: ["c"], operator: "any" }, text)).toBe(false);
    expect(await verdict("jsonKeys", { keys: ["c"], operator: "none" }, text)).toBe(true);
    expect(await verdict("jsonKeys", { keys: ["a"], operator: "any" }, "no json")).toBe(false);
  });
});

describe("URLs and code", () => {
  it("validUrls checks syntax only, every URL; no URL passes; onlyDNS accepted", async () => {
    expect(
      await verdict("validUrls", { onlyDNS: true }, "see https://example.com/a?b=1, and http://docs.example.org."),
    ).toBe(true);
    expect(await verdict("validUrls", {}, "see https://exa_mple..com/a")).toBe(false);
    expect(await verdict("validUrls", {}, "see https://")).toBe(false);
    expect(await verdict("validUrls", {}, "no links")).toBe(true);
    expect(await verdict("validUrls", { not: true }, "bad https://nodot")).toBe(true);
  });
  it("containsCode reads fence languages", async () => {
    const text = "Try:\n```py\nprint(1)\n```\nand\n```sql\nselect 1\n```";
    expect(await verdict("containsCode", { format: "Python" }, text)).toBe(true);
    expect(await verdict("containsCode", { format: "SQL" }, text)).toBe(true);
    expect(await verdict("containsCode", { format: "Go" }, text)).toBe(false);
    expect(await verdict("containsCode", { format: "Go", not: true }, text)).toBe(true);
    expect(await verdict("containsCode", { format: "Python" }, "```py\nunclosed")).toBe(false);
    expect(issues("containsCode", { format: "Cobol" })[0]?.path).toBe("config.input_guardrails[0].containsCode.format");
  });
});

describe("request checks", () => {
  it("modelWhitelist: list, not, metadata rules", async () => {
    expect(await verdict("modelWhitelist", { models: ["gpt-4o-mini"] }, "hi")).toBe(true);
    expect(await verdict("modelWhitelist", { models: ["gpt-4o"] }, "hi")).toBe(false);
    expect(await verdict("modelWhitelist", { models: ["gpt-4o"], not: true }, "hi")).toBe(true);
    const metadataRules = [{ metadataKey: "tier", values: ["free"], models: ["small"] }];
    expect(
      await verdict("modelWhitelist", { models: ["gpt-4o-mini"], metadataRules }, "hi", { metadata: { tier: "free" } }),
    ).toBe(false);
    expect(
      await verdict("modelWhitelist", { models: ["gpt-4o-mini"], metadataRules }, "hi", { metadata: { tier: "pro" } }),
    ).toBe(true);
    expect(issues("modelWhitelist", {})[0]?.path).toBe("config.input_guardrails[0].modelWhitelist.models");
  });
  it("requiredMetadataKeys: operators over the metadata; input only", async () => {
    const metadata = { team: "core" };
    expect(
      await verdict("requiredMetadataKeys", { metadataKeys: ["team", "env"], operator: "all" }, "x", { metadata }),
    ).toBe(false);
    expect(
      await verdict("requiredMetadataKeys", { metadataKeys: ["team", "env"], operator: "any" }, "x", { metadata }),
    ).toBe(true);
    expect(await verdict("requiredMetadataKeys", { metadataKeys: ["env"], operator: "none" }, "x", { metadata })).toBe(
      true,
    );
    expect(issues("requiredMetadataKeys", { metadataKeys: ["a"] }, "output")[0]?.message).toContain(
      "cannot run on the output",
    );
  });
  it("allowedRequestTypes: our names and Portkey's, lists or comma strings, metadata fallback, conflicts", async () => {
    expect(await verdict("allowedRequestTypes", { allowedTypes: ["chatComplete"] }, "x")).toBe(true);
    expect(await verdict("allowedRequestTypes", { allowedTypes: "complete, embed" }, "x")).toBe(false);
    expect(
      await verdict("allowedRequestTypes", { blockedTypes: ["embeddings"] }, "x", { operation: "embeddings" }),
    ).toBe(false);
    expect(await verdict("allowedRequestTypes", {}, "x", { metadata: { blocked_endpoints: "chatComplete" } })).toBe(
      false,
    );
    expect(await verdict("allowedRequestTypes", {}, "x")).toBe(true);
    expect(issues("allowedRequestTypes", { allowedTypes: ["chat"], blockedTypes: ["chatComplete"] })[0]).toEqual({
      path: "config.input_guardrails[0].allowedRequestTypes.blockedTypes",
      message: "also in allowedTypes: chatComplete",
    });
  });
  it("log always passes", async () => {
    expect(await run("log", { logURL: "https://logs.example.com" }, "x")).toEqual({
      verdict: true,
      data: { logged: true },
    });
  });
});

describe("mutators", () => {
  it("regexReplace replaces every match and counts them; failOnDetection fails too", async () => {
    const outcome = await run("regexReplace", { rule: "\\d{4}", redactText: "####" }, "pin 1234 and 5678");
    expect(outcome).toEqual({ verdict: true, data: { replacements: 2 }, transformedText: "pin #### and ####" });
    expect((await run("regexReplace", { rule: "\\d{4}" }, "pin 1234")).transformedText).toBe("pin [REDACTED]");
    expect(await run("regexReplace", { rule: "\\d{4}" }, "nothing")).toEqual({
      verdict: true,
      data: { replacements: 0 },
    });
    expect(await verdict("regexReplace", { rule: "\\d{4}", failOnDetection: true }, "pin 1234")).toBe(false);
  });
  it("addPrefix prepends to the user text; other roles are refused at config time", async () => {
    expect((await run("addPrefix", { prefix: "Be brief. " }, "hello")).transformedText).toBe("Be brief. hello");
    expect(issues("addPrefix", { prefix: "x", applyToRole: "system" })[0]?.path).toBe(
      "config.input_guardrails[0].addPrefix.applyToRole",
    );
    expect(issues("addPrefix", { prefix: "x" }, "output")).toHaveLength(1);
  });
});

describe("webhook", () => {
  const webhookURL = "https://guard.example.com/check";
  it("POSTs the context without headers and takes the verdict and transformed text", async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return Response.json({ verdict: false, transformedData: { text: "clean" } });
    };
    const outcome = await run("webhook", { webhookURL, headers: '{"x-token": "t"}' }, "hello", {
      fetch,
      metadata: { team: "a" },
    });
    expect(outcome).toEqual({ verdict: false, data: { webhookVerdict: false }, transformedText: "clean" });
    expect(sent[0]?.url).toBe(webhookURL);
    expect(new Headers(sent[0]?.init.headers).get("x-token")).toBe("t");
    expect(JSON.parse(String(sent[0]?.init.body))).toMatchObject({
      eventType: "beforeRequestHook",
      requestType: "chat",
      metadata: { team: "a" },
      request: { text: "hello", json: { model: "gpt-4o-mini" } },
    });
  });
  it("a timeout, a bad status, a bad answer or a refused host are errors", async () => {
    const hang = (_url: string, init: RequestInit) =>
      new Promise<Response>((_, reject) => init.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    await expect(run("webhook", { webhookURL, timeout: 20 }, "x", { fetch: hang })).rejects.toThrow(
      "did not answer within 20 ms",
    );
    await expect(
      run("webhook", { webhookURL }, "x", { fetch: async () => new Response("no", { status: 500 }) }),
    ).rejects.toThrow("status 500");
    await expect(
      run("webhook", { webhookURL }, "x", { fetch: async () => Response.json({ ok: true }) }),
    ).rejects.toThrow("verdict");
    const refuse = async () => {
      throw new Error("custom host 10.0.0.1 is not allowed");
    };
    await expect(run("webhook", { webhookURL }, "x", { fetch: refuse })).rejects.toThrow(
      "could not be called: custom host",
    );
    expect(issues("webhook", { webhookURL: "ftp://x.example.com" })[0]?.path).toBe(
      "config.input_guardrails[0].webhook.webhookURL",
    );
    expect(issues("webhook", { webhookURL, timeout: 0 })[0]?.path).toBe("config.input_guardrails[0].webhook.timeout");
  });
});

describe("registry", () => {
  it("qualifies bare ids and names unknown ones", () => {
    expect(checkDefinition("wordCount")?.id).toBe("default.wordCount");
    expect(checkDefinition("default.nope")).toBeUndefined();
    expect(() => getCheck("nope")).toThrow('unknown guardrail check "default.nope"');
    expect(issues("default.nope", {})[0]).toEqual({
      path: "config.input_guardrails[0].default.nope",
      message: expect.stringContaining("unknown check; known checks: "),
    });
  });
});
