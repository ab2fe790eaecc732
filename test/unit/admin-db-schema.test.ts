import { adminApiKeys, auditLog, configs, configVersions } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

describeMigrationsMatch("D1 migrations match the drizzle schema: admin tables", [
  adminApiKeys,
  auditLog,
  configs,
  configVersions,
]);
