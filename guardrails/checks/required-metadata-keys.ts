import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, OPERATORS, operatorVerdict } from "./common";

const parameters = z.strictObject({
  metadataKeys: z.array(z.string().min(1)).min(1).max(64),
  operator: z.enum(OPERATORS).default("all"),
  failOnError,
});

/** Passes when the request's metadata (x-portkey-metadata and the key's) has any, all or none of `metadataKeys`. */
export const requiredMetadataKeys: CheckDefinition<typeof parameters> = {
  id: "default.requiredMetadataKeys",
  parameters,
  phases: ["input"],
  run(context, p) {
    const found = p.metadataKeys.filter((key) => Object.hasOwn(context.metadata, key));
    const missing = p.metadataKeys.filter((key) => !found.includes(key));
    return {
      verdict: operatorVerdict(p.operator, found.length, p.metadataKeys.length),
      data: { operator: p.operator, found_metadata_keys: found, missing_metadata_keys: missing },
    };
  },
};
