import { gatewayKeys, virtualKeys } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

describeMigrationsMatch("governance migration matches the drizzle schema", [gatewayKeys, virtualKeys]);
