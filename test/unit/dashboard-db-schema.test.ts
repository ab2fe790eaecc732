import { dashboardSessions } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

describeMigrationsMatch("D1 migrations match the drizzle schema: dashboard tables", [dashboardSessions]);
