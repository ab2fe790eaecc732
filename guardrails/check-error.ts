/**
 * An error a check throws on purpose, with a message written to be shown: it names what went wrong, never the text
 * being judged. The runner reports other errors by their name only, because a runtime's message may quote its
 * input (JSON.parse does), and that input may be the very text a guardrail protects.
 */
export class CheckError extends Error {
  override readonly name = "CheckError";
}
