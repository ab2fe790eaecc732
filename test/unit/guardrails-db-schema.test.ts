import { guardrailCheckTotals, guardrails, guardrailVersions } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

describeMigrationsMatch("guardrails migration matches the drizzle schema", [
  guardrails,
  guardrailVersions,
  guardrailCheckTotals,
]);
