// Crash test (docs/webhooks.md): sends signed events and decisions while killing the server with SIGKILL at
// random moments, 20 rounds; then checks that every event that got a 2xx is stored exactly once and
// every decision that was committed reached the receiver (resends only with the same idempotency key).
//   npx next build (or set NEXT_DIST_DIR to an existing build) && node scripts/crash-test.mjs [--rounds 20] [--port 3299]
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";

const { values: options } = parseArgs({
  options: { rounds: { type: "string", default: "20" }, port: { type: "string", default: "3299" }, seed: { type: "string", default: "6" } },
});
const rounds = Number(options.rounds);
const port = Number(options.port);
const desk = `http://localhost:${port}`;
const shopId = "shop_0000000000000000tma1";
const secret = "local-demo-secret-tmall";
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "crash-test-"));
const databasePath = path.join(workDir, "desk.db");
let seed = Number(options.seed);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sign = (timestamp, body) => createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");

// ---- the fake platform: receives decisions, checks signatures, counts by idempotency key
const deliveries = new Map();
let badSignatures = 0;
const receiver = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(chunks);
    const timestamp = String(request.headers["x-timestamp"] ?? "");
    const provided = Buffer.from(String(request.headers["x-signature"] ?? ""), "hex");
    const expected = Buffer.from(sign(timestamp, body), "hex");
    if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
      badSignatures++;
      response.writeHead(401).end();
      return;
    }
    const key = String(request.headers["idempotency-key"]);
    const event = JSON.parse(body.toString("utf8"));
    const seen = deliveries.get(key) ?? { count: 0, requestIds: new Set() };
    seen.count++;
    seen.requestIds.add(event.data.requestId);
    deliveries.set(key, seen);
    response.writeHead(200).end();
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/decisions`;

const env = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  DATABASE_PATH: databasePath,
  APP_URL: desk,
  DEMO_PLATFORM_ENDPOINT: receiverUrl,
  // The receiver listens on 127.0.0.1: the outbound guard opens loopback only with this (docs/security.md)
  ALLOW_LOCAL_ENDPOINTS: "1",
  AUTH_SIGN_IN_PER_MINUTE: "100000",
};
const setup = spawnSync(path.join("node_modules", ".bin", "tsx"), ["db/setup.ts"], { env, stdio: "inherit" });
if (setup.status !== 0) process.exit(1);

let server = null;
async function startServer() {
  server = spawn(process.execPath, ["scripts/serve.mjs", "-p", String(port)], { env, detached: true, stdio: "ignore" });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${desk}/login`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error("server did not start");
}
async function killServer() {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  process.kill(-server.pid, "SIGKILL");
  await exited;
}

const db = new Database(databasePath, { readonly: true });
const acked = new Map(); // event id → platform request id of its request.created
const decisions = new Set(); // desk request ids whose decision got a 200
let sentEvents = 0;
let resentEvents = 0;
let cookie = "";

async function signInOwner() {
  const response = await fetch(`${desk}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: desk },
    body: JSON.stringify({ email: "owner@mujin.demo", password: process.env.DEMO_PASSWORD ?? "shouhou-demo-2026" }),
  });
  cookie = response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
}

let counter = 0;
function newCreatedEvent() {
  counter++;
  const requestId = `8${String(Date.now()).slice(-9)}${String(counter).padStart(8, "0")}`;
  return {
    id: `evt_crash_${requestId}`,
    type: "request.created",
    occurredAt: new Date().toISOString(),
    data: {
      requestId,
      kind: "refund_only",
      order: { orderId: `9${requestId}`, category: "apparel", title: `崩溃测试 ${counter}`, amountFen: 1000, completedAt: new Date().toISOString(), supportedKinds: ["refund_only"], priorRefund: "none" },
      buyer: { id: "b1", nick: "crash" },
      reasonCode: "quality_issue",
      evidence: [],
    },
  };
}

async function postEvent(event) {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(Date.now() / 1000));
  sentEvents++;
  try {
    const response = await fetch(`${desk}/api/platforms/tmall/events`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Shop-Id": shopId, "X-Timestamp": timestamp, "X-Signature": sign(timestamp, body) },
      body,
    });
    if (response.ok) acked.set(event.id, event.data.requestId);
  } catch {
    // killed mid-request: no 2xx, so no promise made
  }
}

async function decideOne() {
  const ackedIds = [...acked.values()];
  if (ackedIds.length === 0) return;
  const platformRequestId = ackedIds[Math.floor(random() * ackedIds.length)];
  const row = db.prepare("select id, status from requests where platform_request_id = ?").get(platformRequestId);
  if (!row || row.status !== "pending") return;
  try {
    const response = await fetch(`${desk}/api/requests/${row.id}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: desk, cookie },
      body: JSON.stringify({ decision: "approve" }),
    });
    if (response.ok) decisions.add(row.id);
  } catch {
    // killed mid-request
  }
}

async function load(untilMs) {
  const sender = async () => {
    while (Date.now() < untilMs) {
      const ackedEvents = [...acked.keys()];
      if (ackedEvents.length > 0 && random() < 0.2) {
        resentEvents++;
        const eventId = ackedEvents[Math.floor(random() * ackedEvents.length)];
        const requestId = acked.get(eventId);
        // The same event again (same id and body shape): must stay one event and one card
        await postEvent({ ...newCreatedEvent(), id: eventId, data: { ...newCreatedEvent().data, requestId } });
      } else {
        await postEvent(newCreatedEvent());
      }
    }
  };
  const decider = async () => {
    while (Date.now() < untilMs) {
      await decideOne();
      await sleep(20);
    }
  };
  await Promise.all([sender(), sender(), sender(), decider()]);
}

for (let round = 1; round <= rounds; round++) {
  await startServer();
  if (!cookie) await signInOwner();
  const killAt = Date.now() + 300 + random() * 2500;
  const loading = load(killAt + 200);
  await sleep(Math.max(0, killAt - Date.now()));
  await killServer();
  await loading;
  process.stdout.write(`round ${round}/${rounds}: ${acked.size} events acked, ${decisions.size} decisions, ${deliveries.size} delivered so far\n`);
}

// Final start: the sender resumes from the outbox and drains it
await startServer();
for (let i = 0; i < 600; i++) {
  const { pending } = db.prepare("select count(*) as pending from outbox where status = 'pending'").get();
  if (pending === 0) break;
  await sleep(200);
}
await killServer();
receiver.close();

const problems = [];
for (const [eventId, platformRequestId] of acked) {
  const { count } = db.prepare("select count(*) as count from webhook_events where shop_id = ? and event_id = ?").get(shopId, eventId);
  if (count !== 1) problems.push(`event ${eventId} stored ${count} times`);
  const cards = db.prepare("select count(*) as count from requests where platform_request_id = ?").get(platformRequestId).count;
  if (cards !== 1) problems.push(`request ${platformRequestId} has ${cards} cards`);
}
// Decisions on this run's requests, including those whose 200 was lost to a kill
const decidedStatement = db.prepare("select id from requests where shop_id = ? and platform_request_id = ? and decision is not null");
const committed = [...new Set(acked.values())].map((platformRequestId) => decidedStatement.get(shopId, platformRequestId)).filter(Boolean);
for (const { id } of committed) {
  const row = db.prepare("select status from outbox where request_id = ?").get(id);
  if (!row) problems.push(`decision on ${id} has no outbox row`);
  else if (row.status !== "delivered") problems.push(`decision on ${id} is ${row.status}`);
  if (!deliveries.has(`dec_${id}`)) problems.push(`decision on ${id} never reached the platform`);
}
for (const id of decisions) if (!committed.some((row) => row.id === id)) problems.push(`decision on ${id} answered 200 but is not stored`);
let resends = 0;
for (const [key, seen] of deliveries) {
  resends += seen.count - 1;
  if (seen.requestIds.size !== 1) problems.push(`key ${key} carried ${seen.requestIds.size} different requests`);
}

console.log(`\n[crash-test] ${rounds} rounds of SIGKILL while sending`);
console.log(`  events sent ${sentEvents} (of which replays of acked ids ${resentEvents}); 2xx distinct event ids ${acked.size}; each stored exactly once: ${problems.every((p) => !p.startsWith("event")) ? "yes" : "NO"}`);
console.log(`  decisions answered 200: ${decisions.size}; decisions committed (incl. answers lost to a kill): ${committed.length}`);
console.log(`  delivered to the platform: ${deliveries.size} distinct keys, ${resends} resends with the same key, ${badSignatures} bad signatures`);
console.log(problems.length === 0 ? "  OK: nothing lost, nothing doubled" : `  FAILED (${problems.length}):\n   ${problems.slice(0, 20).join("\n   ")}`);
db.close();
fs.rmSync(workDir, { recursive: true, force: true });
process.exit(problems.length === 0 ? 0 : 1);
