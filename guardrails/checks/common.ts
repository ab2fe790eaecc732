import { CheckError } from "../check-error";
import * as z from "zod";
import type { CheckContext } from "../types";

/**
 * Pieces every check's parameters share. `failOnError`: a check that throws fails instead of passing (the runner
 * reads it). `not`: the verdict is inverted, where Portkey's check has it. Parameter objects are strict, so a typo
 * is a 400 naming the field rather than a silently ignored setting.
 */
export const failOnError = z.boolean().optional();
export const not = z.boolean().optional();

/** A count bound: a whole number from 0. */
export const count = z.number().int().min(0);

export const OPERATORS = ["any", "all", "none"] as const;
export type Operator = (typeof OPERATORS)[number];

/** The text to judge; an empty one is an error (the check then passes unless failOnError), as in Portkey. */
export function requireText(context: CheckContext): string {
  if (context.text.trim() === "") throw new CheckError("there is no text to check");
  return context.text;
}

/** any / all / none over how many of `total` items were found. */
export function operatorVerdict(operator: Operator, found: number, total: number): boolean {
  if (operator === "any") return found > 0;
  if (operator === "all") return found === total;
  return found === 0;
}

export const invert = (verdict: boolean, inverted: boolean | undefined): boolean => (inverted ? !verdict : verdict);

/**
 * A range check on a count that only grows as a streamed answer grows (words, sentences, characters): on a prefix,
 * only "above the maximum" is certain (and only without `not`); anything else waits for the whole answer.
 */
export function rangeVerdict(
  value: number,
  range: { min: number; max: number; not?: boolean | undefined },
  partial: boolean | undefined,
): boolean {
  const inRange = value >= range.min && value <= range.max;
  if (partial) return range.not ? true : value <= range.max;
  return invert(inRange, range.not);
}

/** Refuse a range whose minimum is above its maximum, naming the maximum's field. */
export function orderedRange<T extends Record<string, unknown>>(minKey: keyof T & string, maxKey: keyof T & string) {
  return (value: T, ctx: z.core.$RefinementCtx<T>) => {
    const min = value[minKey];
    const max = value[maxKey];
    if (typeof min === "number" && typeof max === "number" && min > max) {
      ctx.addIssue({ code: "custom", path: [maxKey], message: `must be at least ${minKey} (${min})` });
    }
  };
}
