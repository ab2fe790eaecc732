import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError } from "./common";

const parameters = z.strictObject({
  /** Portkey POSTs to this URL; here the hook result goes into the request's own log row, so it is ignored. */
  logURL: z.string().optional(),
  headers: z.unknown().optional(),
  failOnError,
});

/** Always passes: its only effect is that the hook and its verdict are recorded with the request's log. */
export const log: CheckDefinition<typeof parameters> = {
  id: "default.log",
  parameters,
  phases: ["input", "output"],
  run() {
    return { verdict: true, data: { logged: true } };
  },
};
