// Crash test (docs/webhooks.md): sends signed events and decisions while killing the server with SIGKILL at
// random moments, 20 rounds; then checks that every event that got a 2xx is stored exactly once,
// every decision that was committed reached the receiver (resends only with the same idempotency key), and no card
// was answered 200 twice or delivered under two keys.
//   npx next build (or set NEXT_DIST_DIR to an existing build) && node scripts/crash-test.mjs [--rounds 20] [--port 3299]
// Several instances on one PostgreSQL database (docs/loops.md#several-instances):
//   node scripts/crash-test.mjs --instances 2 [--database-url postgres://user@host/postgres]
// The instances listen on port, port + 1, …; events and decisions are spread over the running ones, and each round
// SIGKILLs one of them (in turn) while the other goes on taking the load, then starts it again. The test makes its
// own database on the server --database-url names (its user may create databases), or on the one
// scripts/postgres.mjs finds or starts, and drops it at the end. --database-url with one instance: one on PostgreSQL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { createDatabase, postPlatformEvent, setUpDatabase, sharedInstanceEnv, startDecisionReceiver, startInstance } from "./desk-instances.mjs";
import { providePostgres } from "./postgres.mjs";

const { values: options } = parseArgs({
  options: {
    rounds: { type: "string", default: "20" },
    port: { type: "string", default: "3299" },
    seed: { type: "string", default: "6" },
    instances: { type: "string", default: "1" },
    "database-url": { type: "string" },
  },
});
const rounds = Number(options.rounds);
const port = Number(options.port);
const instanceCount = Number(options.instances);
if (!Number.isInteger(instanceCount) || instanceCount < 1) throw new Error("--instances must be a whole number, 1 or more");
const isPostgres = instanceCount > 1 || options["database-url"] !== undefined;
const shopId = "shop_0000000000000000tma1";
const secret = "local-demo-secret-tmall";
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "crash-test-"));
let seed = Number(options.seed);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the fake platform: receives decisions, checks signatures, counts by idempotency key
const receiver = await startDecisionReceiver(secret);

// ---- the database: SQLite's file in the work folder, or a throwaway PostgreSQL database all instances share
const server = isPostgres ? await serverFor(options["database-url"]) : null;
const database = server ? await createDatabase(server.url, "crash") : null;
const env = sharedInstanceEnv({
  databaseUrl: database?.url,
  dataDir: workDir,
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // The receiver listens on 127.0.0.1: the outbound guard opens loopback only with this (docs/security.md)
  extra: { DEMO_PLATFORM_ENDPOINT: receiver.url, ALLOW_LOCAL_ENDPOINTS: "1", AUTH_SIGN_IN_PER_MINUTE: "100000" },
});
setUpDatabase(env);
const store = database ? await openPostgresStore(database.url) : openSqliteStore(env.DATABASE_PATH);

async function serverFor(url) {
  if (url === undefined) return providePostgres();
  // A server given by hand: used as it is, never stopped here
  return { url, source: "--database-url", stop: async () => {} };
}

/** Reads with `?` placeholders on either engine; counts come back as numbers. */
function openSqliteStore(file) {
  const db = new Database(file, { readonly: true });
  return { get: async (sql, ...values) => db.prepare(sql).get(...values), close: async () => db.close() };
}
async function openPostgresStore(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    get: async (sql, ...values) => {
      let index = 0;
      const { rows } = await client.query(sql.replace(/\?/g, () => `$${++index}`), values);
      const row = rows[0];
      return row && Object.fromEntries(Object.entries(row).map(([key, value]) => [key, key === "count" || key === "pending" ? Number(value) : value]));
    },
    close: () => client.end(),
  };
}

// ---- the instances: port, port + 1, …
const slots = Array.from({ length: instanceCount }, (_, index) => ({ port: port + index, instance: null }));
const running = () => slots.filter((slot) => slot.instance?.isRunning).map((slot) => slot.instance);
async function startStopped() {
  // One after another: Next servers preparing at once on a small machine only slow each other down
  for (const slot of slots) if (!slot.instance?.isRunning) slot.instance = await startInstance({ port: slot.port, env, logDir: workDir });
}
let turn = 0;
/** The next running instance, round-robin: what a load balancer in front of them would do. */
function pickInstance() {
  const alive = running();
  return alive.length === 0 ? null : alive[turn++ % alive.length];
}

const acked = new Map(); // event id → platform request id of its request.created
const decisions = new Set(); // desk request ids whose decision got a 200
const answeredTwice = new Set(); // desk request ids whose decision got a 200 more than once: must stay empty
let sentEvents = 0;
let resentEvents = 0;
let cookie = "";

async function signInOwner(desk) {
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
  const instance = pickInstance();
  if (!instance) return sleep(5);
  sentEvents++;
  try {
    const answer = await postPlatformEvent({ baseUrl: instance.url, platform: "tmall", shopId, secret, event });
    if (answer.status >= 200 && answer.status < 300) acked.set(event.id, event.data.requestId);
  } catch {
    // killed mid-request: no 2xx, so no promise made
  }
}

async function decideOne() {
  const ackedIds = [...acked.values()];
  const instance = pickInstance();
  if (ackedIds.length === 0 || !instance) return;
  const platformRequestId = ackedIds[Math.floor(random() * ackedIds.length)];
  const row = await store.get("select id, status from requests where platform_request_id = ?", platformRequestId);
  if (!row || row.status !== "pending") return;
  try {
    const response = await fetch(`${instance.url}/api/requests/${row.id}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: instance.url, cookie },
      body: JSON.stringify({ decision: "approve" }),
    });
    if (response.ok) {
      if (decisions.has(row.id)) answeredTwice.add(row.id);
      decisions.add(row.id);
    }
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
  // One decider per instance: with several, two may race on one card (one 200, the other 409 already_decided)
  await Promise.all([sender(), sender(), sender(), ...slots.map(() => decider())]);
}

const isSeveral = instanceCount > 1;
for (let round = 1; round <= rounds; round++) {
  await startStopped();
  if (!cookie) await signInOwner(slots[0].instance.url);
  const victim = slots[(round - 1) % slots.length].instance;
  const killAt = Date.now() + 300 + random() * 2500;
  // With several, the others go on taking the load for a second after the kill (their loops take over the locks)
  const loading = load(killAt + (isSeveral ? 1_000 : 200));
  await sleep(Math.max(0, killAt - Date.now()));
  await victim.kill("SIGKILL");
  await loading;
  const killed = isSeveral ? ` (killed :${victim.port})` : "";
  process.stdout.write(`round ${round}/${rounds}${killed}: ${acked.size} events acked, ${decisions.size} decisions, ${receiver.deliveries.size} delivered so far\n`);
}

// Final start: the sender resumes from the outbox and drains it
await startStopped();
for (let i = 0; i < 600; i++) {
  const { pending } = await store.get("select count(*) as pending from outbox where status = 'pending'");
  if (pending === 0) break;
  await sleep(200);
}
await Promise.all(running().map((instance) => instance.kill()));
await receiver.close();

const problems = [];
for (const [eventId, platformRequestId] of acked) {
  const { count } = await store.get("select count(*) as count from webhook_events where shop_id = ? and event_id = ?", shopId, eventId);
  if (count !== 1) problems.push(`event ${eventId} stored ${count} times`);
  const cards = (await store.get("select count(*) as count from requests where platform_request_id = ?", platformRequestId)).count;
  if (cards !== 1) problems.push(`request ${platformRequestId} has ${cards} cards`);
}
// Decisions on this run's requests, including those whose 200 was lost to a kill
const committed = [];
for (const platformRequestId of new Set(acked.values())) {
  const row = await store.get("select id from requests where shop_id = ? and platform_request_id = ? and decision is not null", shopId, platformRequestId);
  if (row) committed.push(row);
}
for (const { id } of committed) {
  const row = await store.get("select status from outbox where request_id = ?", id);
  if (!row) problems.push(`decision on ${id} has no outbox row`);
  else if (row.status !== "delivered") problems.push(`decision on ${id} is ${row.status}`);
  if (!receiver.deliveries.has(`dec_${id}`)) problems.push(`decision on ${id} never reached the platform`);
}
for (const id of decisions) if (!committed.some((row) => row.id === id)) problems.push(`decision on ${id} answered 200 but is not stored`);
for (const id of answeredTwice) problems.push(`decision on ${id} answered 200 twice`);
let resends = 0;
const keysByRequest = new Map();
for (const [key, seen] of receiver.deliveries) {
  resends += seen.count - 1;
  if (seen.requestIds.size !== 1) problems.push(`key ${key} carried ${seen.requestIds.size} different requests`);
  for (const requestId of seen.requestIds) keysByRequest.set(requestId, [...(keysByRequest.get(requestId) ?? []), key]);
}
for (const [requestId, keys] of keysByRequest) {
  if (keys.length > 1) problems.push(`request ${requestId} delivered under ${keys.length} keys`);
  // The platform heard only answers the desk stored (the demo's own decided cards among them)
  const row = await store.get("select decision from requests where shop_id = ? and platform_request_id = ?", shopId, requestId);
  if (!row?.decision) problems.push(`request ${requestId} delivered without a stored decision`);
}

const where = isPostgres ? `${instanceCount} instance${isSeveral ? "s" : ""} on PostgreSQL (${server.source}), ` : "";
console.log(`\n[crash-test] ${where}${rounds} rounds of SIGKILL${isSeveral ? " (one instance at a time)" : ""} while sending`);
console.log(`  events sent ${sentEvents} (of which replays of acked ids ${resentEvents}); 2xx distinct event ids ${acked.size}; each stored exactly once: ${problems.every((p) => !p.startsWith("event")) ? "yes" : "NO"}`);
console.log(`  decisions answered 200: ${decisions.size}; decisions committed (incl. answers lost to a kill): ${committed.length}; answered 200 twice: ${answeredTwice.size}`);
console.log(`  delivered to the platform: ${receiver.deliveries.size} distinct keys, ${resends} resends with the same key, ${receiver.badSignatures} bad signatures`);
console.log(problems.length === 0 ? "  OK: nothing lost, nothing doubled" : `  FAILED (${problems.length}):\n   ${problems.slice(0, 20).join("\n   ")}`);
await store.close();
await database?.drop();
await server?.stop();
fs.rmSync(workDir, { recursive: true, force: true });
process.exit(problems.length === 0 ? 0 : 1);
