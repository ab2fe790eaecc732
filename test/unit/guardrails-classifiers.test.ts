import { describe, expect, it } from "vitest";
import { scoresFromLlamaGuard } from "../../guardrails/classifiers/llama-guard";
import { scoresFromOpenAiModeration } from "../../guardrails/classifiers/openai-moderation";

/** Shaped like OpenAI's /v1/moderations answer (omni-moderation), trimmed to the fields the mapper reads plus some. */
const result = (scores: Record<string, number>) => ({
  flagged: false,
  categories: Object.fromEntries(Object.keys(scores).map((k) => [k, false])),
  category_scores: scores,
  category_applied_input_types: {},
});
const base = {
  harassment: 0.01,
  "harassment/threatening": 0.002,
  hate: 0.003,
  "hate/threatening": 0.0001,
  illicit: 0.2,
  "illicit/violent": 0.05,
  "self-harm": 0.001,
  "self-harm/instructions": 0.0004,
  "self-harm/intent": 0.6,
  sexual: 0.02,
  "sexual/minors": 0.01,
  violence: 0.3,
  "violence/graphic": 0.4,
};

describe("OpenAI moderation answer -> scores", () => {
  it("takes the highest sub-category score per category", () => {
    const body = { id: "modr-1", model: "omni-moderation-latest", results: [result(base)] };
    expect(scoresFromOpenAiModeration(body)).toEqual({
      hate: 0.003,
      harassment: 0.01,
      violence: 0.4,
      "self-harm": 0.6,
      sexual: 0.02,
    });
  });

  it("takes the highest over several results and skips categories the answer lacks", () => {
    const body = { results: [result({ hate: 0.1 }), result({ hate: 0.7, "harassment/threatening": 0.2 })] };
    expect(scoresFromOpenAiModeration(body)).toEqual({ hate: 0.7, harassment: 0.2 });
  });

  it.each([{}, { results: [] }, { results: [{ flagged: true }] }, null])("refuses a malformed answer %j", (body) => {
    expect(() => scoresFromOpenAiModeration(body)).toThrow();
  });
});

describe("Llama Guard output -> scores", () => {
  it("scores nothing on safe", () => {
    expect(scoresFromLlamaGuard("safe")).toEqual({ hate: 0, violence: 0, "self-harm": 0, sexual: 0 });
    expect(scoresFromLlamaGuard("\n\nsafe\n")).toEqual({ hate: 0, violence: 0, "self-harm": 0, sexual: 0 });
  });

  it("maps the named hazards onto categories", () => {
    expect(scoresFromLlamaGuard("unsafe\nS1,S10")).toEqual({ hate: 1, violence: 1, "self-harm": 0, sexual: 0 });
    expect(scoresFromLlamaGuard(" unsafe \n S11, s12 ")).toEqual({ hate: 0, violence: 0, "self-harm": 1, sexual: 1 });
    expect(scoresFromLlamaGuard("unsafe\nS2")).toEqual({ hate: 0, violence: 0, "self-harm": 0, sexual: 0 }); // non-violent crime
  });

  it("refuses an answer that is neither safe nor unsafe", () => {
    expect(() => scoresFromLlamaGuard("I cannot help with that")).toThrow();
  });
});
