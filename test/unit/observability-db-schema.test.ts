import { budgetAlerts, logRollups, metadataRollups, metricTotals, requestLogs } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

describeMigrationsMatch("observability migrations match the drizzle schema", [
  requestLogs,
  logRollups,
  metricTotals,
  budgetAlerts,
  metadataRollups,
]);
