import type { CheckDefinition } from "../types";
import { addPrefix } from "./add-prefix";
import { allowedRequestTypes } from "./allowed-request-types";
import { characterCount } from "./character-count";
import { contains } from "./contains";
import { containsCode } from "./contains-code";
import { endsWith } from "./ends-with";
import { jsonKeys } from "./json-keys";
import { jsonSchema } from "./json-schema";
import { alllowercase, alluppercase } from "./letter-case";
import { log } from "./log";
import { modelWhitelist } from "./model-whitelist";
import { notNull } from "./not-null";
import { regexMatch } from "./regex-match";
import { regexReplace } from "./regex-replace";
import { requiredMetadataKeys } from "./required-metadata-keys";
import { sentenceCount } from "./sentence-count";
import { validUrls } from "./valid-urls";
import { webhook } from "./webhook";
import { wordCount } from "./word-count";
import { moderationCheck } from "./moderation";
import { piiCheck } from "./pii";
import { promptInjectionCheck } from "./prompt-injection";

/**
 * Every check the registry knows. A new check is one file in this folder and one line here (the PII, prompt
 * injection and moderation checks are added the same way).
 */
export const CHECKS: readonly CheckDefinition[] = [
  regexMatch,
  contains,
  wordCount,
  sentenceCount,
  characterCount,
  endsWith,
  alllowercase,
  alluppercase,
  jsonSchema,
  jsonKeys,
  validUrls,
  containsCode,
  modelWhitelist,
  requiredMetadataKeys,
  allowedRequestTypes,
  notNull,
  log,
  webhook,
  regexReplace,
  addPrefix,
  piiCheck,
  promptInjectionCheck,
  moderationCheck,
];
