import { budgetAlerts, logRollups, metricTotals, requestLogs } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

describeMigrationsMatch("observability migrations match the drizzle schema", [requestLogs, logRollups, metricTotals, budgetAlerts]);
