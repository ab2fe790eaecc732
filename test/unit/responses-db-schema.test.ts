import { storedResponses } from "../../schema/db";
import { describeMigrationsMatch } from "./db-schema";

describeMigrationsMatch("stored responses migration matches the drizzle schema", [storedResponses]);
