import { sql } from "drizzle-orm";
import { getDatabasePath, openDb } from "@/db/client";
import { merchants } from "@/db/schema";
import { demoLogins, demoPassword, seedDemo } from "@/db/seed";

// `npm start` runs this first: migrate, and seed the demo shop when the database is empty.
async function main() {
  const file = getDatabasePath();
  const db = openDb(file);
  const [{ count }] = await db.select({ count: sql<number>`count(*)` }).from(merchants);
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
