import { describe, expect, it } from "vitest";
import { detectPii } from "../../guardrails/pii/detect";
import { redactFindings } from "../../guardrails/pii/redact";
import { createPlaceholderRestorer, restorePlaceholders } from "../../guardrails/pii/restore";

const text = "From ann@example.com to bob@example.org, cc ann@example.com; card 4111 1111 1111 1111.";

describe("redaction placeholders", () => {
  it("numbers findings per category in order, the same value getting the same placeholder", () => {
    const redaction = redactFindings(text, detectPii(text));
    expect(redaction.text).toBe(
      "From [EMAIL_ADDRESS_1] to [EMAIL_ADDRESS_2], cc [EMAIL_ADDRESS_1]; card [CREDIT_CARD_1].",
    );
    expect([...redaction.restore]).toEqual([
      ["[EMAIL_ADDRESS_1]", "ann@example.com"],
      ["[EMAIL_ADDRESS_2]", "bob@example.org"],
      ["[CREDIT_CARD_1]", "4111 1111 1111 1111"],
    ]);
  });

  it("continues the numbering of an earlier redaction (another message of the request)", () => {
    const first = redactFindings(text, detectPii(text));
    const second = "again bob@example.org and new carl@example.net";
    const redaction = redactFindings(second, detectPii(second), first.restore);
    expect(redaction.text).toBe("again [EMAIL_ADDRESS_2] and new [EMAIL_ADDRESS_3]");
    expect(redaction.restore.get("[EMAIL_ADDRESS_3]")).toBe("carl@example.net");
    expect(redaction.restore.size).toBe(4);
  });

  it("restores an answer's placeholders, leaving unknown and broken ones as they are", () => {
    const { restore } = redactFindings(text, detectPii(text));
    const answer = "Sure, [EMAIL_ADDRESS_2] ([EMAIL_ADDRESS_9]) [CREDIT_CARD_1 [[CREDIT_CARD_1]]";
    expect(restorePlaceholders(answer, restore)).toBe(
      "Sure, bob@example.org ([EMAIL_ADDRESS_9]) [CREDIT_CARD_1 [4111 1111 1111 1111]",
    );
  });

  it("does not restore inside a restored value", () => {
    const restore = new Map([["[EMAIL_ADDRESS_1]", "x[EMAIL_ADDRESS_1]y"]]);
    expect(restorePlaceholders("[EMAIL_ADDRESS_1]", restore)).toBe("x[EMAIL_ADDRESS_1]y");
  });
});

describe("incremental restorer", () => {
  const restore = new Map([
    ["[EMAIL_ADDRESS_1]", "ann@example.com"],
    ["[CREDIT_CARD_12]", "4111 1111 1111 1111"],
  ]);
  const answer = "Hi [EMAIL_ADDRESS_1], your card [CREDIT_CARD_12] ends [x] [EMAIL_ADDRESS_1][EMAIL_ADDRESS_";
  const expected = restorePlaceholders(answer, restore);

  const streamed = (pieces: string[]) => {
    const restorer = createPlaceholderRestorer(restore);
    const outputs = pieces.map((piece) => restorer.push(piece));
    return { text: outputs.join("") + restorer.flush(), outputs };
  };

  it("gives the same text as the whole-text restore when split at every position", () => {
    expect(expected).toBe("Hi ann@example.com, your card 4111 1111 1111 1111 ends [x] ann@example.com[EMAIL_ADDRESS_");
    for (let cut = 0; cut <= answer.length; cut++) {
      expect(streamed([answer.slice(0, cut), answer.slice(cut)]).text, `cut at ${cut}`).toBe(expected);
    }
  });

  it("gives the same text with every pair of cuts and one character at a time", () => {
    for (let a = 0; a <= answer.length; a += 3) {
      for (let b = a; b <= answer.length; b += 2) {
        expect(streamed([answer.slice(0, a), answer.slice(a, b), answer.slice(b)]).text).toBe(expected);
      }
    }
    expect(streamed([...answer]).text).toBe(expected);
  });

  it("holds back no more than a placeholder prefix, and nothing when no prefix is pending", () => {
    const longest = "[CREDIT_CARD_12]".length;
    const restorer = createPlaceholderRestorer(restore);
    expect(restorer.push("plain text [not one] ")).toBe("plain text [not one] ");
    expect(restorer.push("then [CREDIT_CAR")).toBe("then ");
    expect(restorer.push("D_12] done")).toBe("4111 1111 1111 1111 done");
    const held = "[CREDIT_CARD_1";
    expect(held.length).toBeLessThan(longest);
    expect(restorer.push(held)).toBe("");
    expect(restorer.flush()).toBe(held);
  });

  it("passes text through untouched without placeholders", () => {
    const restorer = createPlaceholderRestorer(new Map());
    expect(restorer.push("[EMAIL_ADDRESS_1")).toBe("[EMAIL_ADDRESS_1");
    expect(restorer.flush()).toBe("");
  });
});
