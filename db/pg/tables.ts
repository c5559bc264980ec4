import * as core from "@/db/pg/schema";
import * as freight from "@/db/pg/schema-freight";
import * as metrics from "@/db/pg/schema-metrics";
import * as platforms from "@/db/pg/schema-platforms";
import * as policy from "@/db/pg/schema-policy";
import * as presence from "@/db/pg/schema-presence";
import * as rules from "@/db/pg/schema-rules";
import * as webhooks from "@/db/pg/schema-webhooks";

/** Every PostgreSQL table by its export name: drizzle(pool, { schema: pgSchema }) and the tests on a live server. */
export const pgSchema = { ...core, ...freight, ...metrics, ...platforms, ...policy, ...presence, ...rules, ...webhooks };
