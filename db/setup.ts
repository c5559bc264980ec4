import { sql } from "drizzle-orm";
import { closeDb, getDatabasePath, openDb, openPostgresDb, type Db } from "@/db/client";
import { getDialect } from "@/db/dialect";
import { merchants } from "@/db/schema";
import { demoLogins, demoPassword, seedDemo } from "@/db/seed";

// `npm start` runs this first: migrate, and seed the demo shop when the database is empty. The database is SQLite's
// file, or PostgreSQL when DATABASE_URL names one (docs/postgres.md).
async function main() {
  const isPostgres = getDialect() === "postgres";
  const file = isPostgres ? "PostgreSQL" : getDatabasePath();
  const db = isPostgres ? await openPostgresDb(process.env.DATABASE_URL!) : openDb(file);
  try {
    await setUp(db, file);
  } finally {
    await closeDb(db);
  }
}

async function setUp(db: Db, file: string) {
  const [{ count }] = await db.select({ count: sql<number>`count(*)`.mapWith(Number) }).from(merchants);
  if (count > 0) {
    console.log(`[setup] ${file}: migrated, data present (${count} merchants)`);
    return;
  }
  const started = Date.now();
  const result = await seedDemo(db, new Date());
  console.log(`[setup] ${file}: seeded ${result.total} requests (${result.pending} pending) in ${Date.now() - started} ms`);
  console.log(`[setup] demo logins (password ${demoPassword}):`);
  for (const login of demoLogins) console.log(`          ${login.email.padEnd(24)} ${login.name} · ${login.note}`);
}

main().catch((error) => {
  console.error("[setup] failed:", error);
  process.exit(1);
});
