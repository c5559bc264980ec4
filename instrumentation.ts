// Next calls register() once per server start (scripts/serve.mjs has it run before listening). Every background
// loop of the desk starts here, through app/_server/loops.ts (what runs and how often: docs/loops.md), so
// `npm start` starts them and a restart resumes each from the database.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDb, openAppDb } = await import("@/db/client");
  // PostgreSQL (DATABASE_URL) is opened and migrated before anything is served; SQLite opens on first use
  await openAppDb();
  // scripts/serve.mjs answers platform events with this (docs/loops.md, "Where the server starts")
  const { publishPlatformReceiver } = await import("@/app/_server/platform-receiver");
  publishPlatformReceiver(getDb);
  // …and an agent's decisions with the route's own handler (docs/decisions/0011-decisions-on-the-fast-path.md)
  const { publishFastRoutes } = await import("@/app/_server/fast-routes");
  publishFastRoutes();
  const { startBackgroundLoops } = await import("@/app/_server/loops");
  // OUTBOX_SENDER=off (the bench) leaves the platform loops out: outbox, token upkeep, TMC
  startBackgroundLoops(getDb, { platformLoops: process.env.OUTBOX_SENDER !== "off", tmcConsumer: process.env.TMC_CONSUMER });
}
