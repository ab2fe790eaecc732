import * as z from "zod";

/**
 * The parts of the gateway's `chat.completion` that the inbound formats read back when they translate an answer
 * (Anthropic's message, the Responses API's response): one definition, so both accept the same answers.
 */

/** A message's tool calls: each with its id, function name and JSON arguments text. */
export const chatToolCallsSchema = z
  .array(z.looseObject({ id: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }) }))
  .nullish();

/** The completion's choices (at least one), each with its `message` (as the format reads it) and finish reason. */
export const chatChoicesSchema = <Message extends z.ZodType>(message: Message) =>
  z.array(z.looseObject({ message, finish_reason: z.string().nullish() })).min(1);
