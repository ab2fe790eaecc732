import { promptLabels, prompts, promptVersions, requestLogs } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

// request_logs again: migration 0009 adds its prompt_id, prompt_version and prompt_label columns, 0011 prompt_variables.
describeMigrationsMatch("prompt registry migrations match the drizzle schema", [
  prompts,
  promptVersions,
  promptLabels,
  requestLogs,
]);
