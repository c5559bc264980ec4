// Next calls register() once per server start (scripts/serve.mjs has it run before listening): the outbox
// sender runs in the same process as the desk (docs/architecture.md), so `npm start` starts it and a restart resumes
// it from the outbox table.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDb } = await import("@/db/client");
  // scripts/serve.mjs answers platform events with this; before the sender's opt-out, which the bench uses
  const { publishPlatformReceiver } = await import("@/app/_server/platform-receiver");
  publishPlatformReceiver(getDb);
  if (process.env.OUTBOX_SENDER === "off") return;
  const { startOutboxSender } = await import("@/app/_server/outbox-sender");
  startOutboxSender(getDb);
  console.log("[outbox] sender started");
  // Platform access tokens refreshed before they expire (docs/platforms/tokens.md), every minute
  const { startTokenUpkeep } = await import("@/app/_server/platforms/token-upkeep");
  startTokenUpkeep(getDb);
  console.log("[tokens] upkeep started");
  // Taobao TMC (docs/platforms/tmc.md): off unless TMC_CONSUMER=http (or on) / ws, and then only for shops whose app enables it
  if (process.env.TMC_CONSUMER === "on" || process.env.TMC_CONSUMER === "http") {
    const { startTmcConsumer } = await import("@/app/_server/platforms/tmc-consumer");
    startTmcConsumer(getDb);
    console.log("[tmc] consumer started (HTTP consume/confirm)");
  } else if (process.env.TMC_CONSUMER === "ws") {
    const { startTmcWsConsumer } = await import("@/app/_server/platforms/tmc-ws-consumer");
    startTmcWsConsumer(getDb);
    console.log("[tmc] consumer started (WebSocket)");
  }
}
