import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import pg from "pg";
import { e2eDistDir, e2ePort } from "../playwright.config";
import {
  createDatabase,
  postPlatformEvent,
  setUpDatabase,
  sharedInstanceEnv,
  startDecisionReceiver,
  startInstance,
  type DecisionReceiver,
  type DeskInstance,
  type ThrowawayDatabase,
} from "../scripts/desk-instances.mjs";
import { providePostgres, type PostgresServer } from "../scripts/postgres.mjs";
import { cardByTitle, demoPassword, logins, openInbox, signIn } from "./helpers";

// Three desk instances on one PostgreSQL database (docs/loops.md#several-instances), run by
// playwright.multi-instance.config.ts after the normal e2e. Platform events go round-robin to the three; one is
// SIGKILLed while events are in flight to it. Then: every event answered 2xx is stored exactly once (read from
// PostgreSQL itself), nothing is doubled, and the loops (assignment, outbox) go on on the two that are left.
// Without a PostgreSQL server the run fails here with what was tried (scripts/postgres.mjs), it is never skipped.

const shops = {
  // The load: merchant B's shop, which no signed-in agent sees
  taobao: { platform: "taobao", id: "shop_0000000000000000tb01", secret: "local-demo-secret-taobao" },
  // Auto-assignment on, 王芳 online: every card of it must be handed to her, whichever instance holds the sweep's lock
  tmall: { platform: "tmall", id: "shop_0000000000000000tma1", secret: "local-demo-secret-tmall" },
} as const;
type ShopKey = keyof typeof shops;

// A, B and C, beside the normal e2e's port (which it does not use)
const ports = [1, 2, 3].map((offset) => e2ePort + offset);
const newEvents = 360;
// Every 12th new event is a Tmall card: 30, under the shop's cap of 50 open claims
const tmallEvery = 12;
const killAfterAcks = 120;
const senders = 6;

let postgres: PostgresServer | undefined;
let database: ThrowawayDatabase | undefined;
let receiver: DecisionReceiver | undefined;
const instances: DeskInstance[] = [];
let sql: pg.Client | undefined;
let workDir = "";
let passed = false;

// The browser signs in on B
test.use({ baseURL: `http://localhost:${ports[1]}` });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  postgres = await providePostgres();
  database = await createDatabase(postgres.url, `e2e_multi_${e2ePort}`);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-multi-"));
  receiver = await startDecisionReceiver(shops.tmall.secret);
  const env = sharedInstanceEnv({
    databaseUrl: database.url,
    dataDir: path.join(workDir, "data"),
    distDir: e2eDistDir,
    // Decisions go to the fake platform above, on loopback (docs/security.md)
    extra: { DEMO_PLATFORM_ENDPOINT: receiver.url, ALLOW_LOCAL_ENDPOINTS: "1", AUTH_SIGN_IN_PER_MINUTE: "30" },
  });
  setUpDatabase(env);
  // One after another: three Next servers preparing at once on a two-core machine take longer than in turn
  for (const port of ports) instances.push(await startInstance({ port, env, logDir: workDir }));
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
});

test.afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.kill()));
  await sql?.end();
  await receiver?.close();
  await database?.drop();
  await postgres?.stop();
  // The instances' logs stay for a failed run
  if (passed) fs.rmSync(workDir, { recursive: true, force: true });
  else if (workDir) console.log(`[multi-instance] the instances' logs: ${workDir}`);
});

type Sent = { id: string; shop: ShopKey; requestId: string };

let counter = 0;
function newEvent(shop: ShopKey, title = `多实例 ${shop} ${counter + 1}`) {
  counter++;
  const requestId = `7${String(Date.now()).slice(-9)}${String(counter).padStart(6, "0")}`;
  const now = new Date().toISOString();
  return {
    id: `evt_multi_${requestId}`,
    type: "request.created",
    occurredAt: now,
    data: {
      requestId,
      kind: "refund_only",
      order: { orderId: `9${requestId}`, category: "apparel", title, amountFen: 1990, completedAt: now, supportedKinds: ["refund_only"], priorRefund: "none" },
      buyer: { id: "b1", nick: "多实例" },
      reasonCode: "quality_issue",
      evidence: [],
    },
  };
}

async function count(query: string, values: unknown[]): Promise<number> {
  const { rows } = await sql!.query<{ count: string }>(query, values);
  return Number(rows[0].count);
}

test("three instances, one SIGKILLed mid-ingest: nothing acknowledged lost or doubled, the loops go on, a card shows live across instances", async ({ page }) => {
  test.setTimeout(180_000);
  const [instanceA, instanceB, instanceC] = instances;

  // The owner turns auto-assignment on through A; 王芳 is online through B (her inbox's live stream)
  const owner = await playwrightRequest.newContext({ baseURL: instanceA.url });
  expect((await owner.post("/api/auth/sign-in/email", { data: { email: logins.owner, password: demoPassword }, headers: { origin: instanceA.url } })).status()).toBe(200);
  const assignment = await owner.put(`/api/shops/${shops.tmall.id}/assignment`, { data: { autoAssign: true, cap: 50 }, headers: { origin: instanceA.url } });
  expect(assignment.status()).toBe(200);
  await owner.dispose();
  await signIn(page, logins.wangfang);
  const liveTitle = `多实例 实时 ${Date.now()}`;
  await openInbox(page, `?q=${encodeURIComponent(liveTitle)}`);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");

  // ---- the load: new events round-robin over A, B and C, a tenth of them replays of acknowledged ones; an event
  // without a 2xx is sent again to the next instance, as a platform retries
  const acked = new Map<string, Sent>();
  const inFlight = new Map<DeskInstance, number>(instances.map((instance) => [instance, 0]));
  let next = 0;
  let created = 0;
  let replays = 0;
  let failedPosts = 0;
  let inFlightToAAtKill = -1;
  const post = async (event: ReturnType<typeof newEvent>, shop: ShopKey) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const instance = instances[next++ % instances.length];
      inFlight.set(instance, inFlight.get(instance)! + 1);
      try {
        const answer = await postPlatformEvent({ baseUrl: instance.url, platform: shops[shop].platform, shopId: shops[shop].id, secret: shops[shop].secret, event });
        if (answer.status >= 200 && answer.status < 300) {
          acked.set(event.id, { id: event.id, shop, requestId: event.data.requestId });
          return;
        }
        failedPosts++;
      } catch {
        // A killed instance: no answer, no promise made
        failedPosts++;
      } finally {
        inFlight.set(instance, inFlight.get(instance)! - 1);
      }
    }
    throw new Error(`event ${event.id} got no 2xx in 20 attempts`);
  };
  const sender = async () => {
    while (created < newEvents) {
      const ackedEvents = [...acked.values()];
      if (ackedEvents.length > 0 && Math.random() < 0.1) {
        replays++;
        const again = ackedEvents[Math.floor(Math.random() * ackedEvents.length)];
        // The same event id again: must stay one event and one card
        await post({ ...newEvent(again.shop), id: again.id, data: { ...newEvent(again.shop).data, requestId: again.requestId } }, again.shop);
      } else {
        const shop: ShopKey = ++created % tmallEvery === 0 ? "tmall" : "taobao";
        await post(newEvent(shop), shop);
      }
    }
  };
  const killer = async () => {
    // SIGKILL A at a moment some event is on its way to it, once a third of the load is acknowledged
    while (acked.size < killAfterAcks || inFlight.get(instanceA) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    inFlightToAAtKill = inFlight.get(instanceA)!;
    await instanceA.kill("SIGKILL");
  };
  await Promise.all([killer(), ...Array.from({ length: senders }, sender)]);
  expect(instanceA.isRunning).toBe(false);
  expect(inFlightToAAtKill).toBeGreaterThan(0);
  test.info().annotations.push({
    type: "load",
    description: `${created} new events and ${replays} replays, ${acked.size} acknowledged, ${failedPosts} posts without a 2xx (sent again elsewhere); A killed with ${inFlightToAAtKill} in flight to it`,
  });

  // ---- after the kill: a Tmall card through C appears live on 王芳's inbox on B
  const liveEvent = newEvent("tmall", liveTitle);
  const liveAnswer = await postPlatformEvent({ baseUrl: instanceC.url, platform: "tmall", shopId: shops.tmall.id, secret: shops.tmall.secret, event: liveEvent });
  expect(liveAnswer.status).toBe(200);
  acked.set(liveEvent.id, { id: liveEvent.id, shop: "tmall", requestId: liveEvent.data.requestId });
  await expect(cardByTitle(page, liveTitle)).toBeVisible();

  // ---- every acknowledged event stored exactly once, one card each with one "received" row; nothing else of this run
  const ackedEvents = [...acked.values()];
  const stored = await sql!.query<{ event_id: string; events: string }>(
    `select event_id, count(*) as events from webhook_events where event_id like 'evt_multi_%' group by event_id`,
  );
  const storedCounts = new Map(stored.rows.map((row) => [row.event_id, Number(row.events)]));
  expect(ackedEvents.filter((event) => storedCounts.get(event.id) !== 1).map((event) => `${event.id}: ${storedCounts.get(event.id) ?? 0}`)).toEqual([]);
  const cards = await sql!.query<{ platform_request_id: string; cards: string; received: string }>(
    `select r.platform_request_id, count(distinct r.id) as cards, count(a.id) as received
       from requests r left join audit_log a on a.request_id = r.id and a.action = 'received'
      where r.platform_request_id = any($1) group by r.platform_request_id`,
    [ackedEvents.map((event) => event.requestId)],
  );
  expect(cards.rows.length).toBe(ackedEvents.length);
  expect(cards.rows.filter((row) => Number(row.cards) !== 1 || Number(row.received) !== 1)).toEqual([]);
  // An event whose answer was lost to the kill was sent again until it got a 2xx: so every stored event of the run
  // is an acknowledged one
  expect(stored.rows.length).toBe(ackedEvents.length);

  // ---- the assignment loop went on: every Tmall card of the run (before, during and after the kill) is 王芳's, once
  const [wangfang] = (await sql!.query<{ id: string }>(`select id from "user" where email = $1`, [logins.wangfang])).rows;
  const tmallRequestIds = ackedEvents.filter((event) => event.shop === "tmall").map((event) => event.requestId);
  const assignedQuery = `select count(*) from requests r
     where r.shop_id = $1 and r.platform_request_id = any($2) and r.claimed_by = $3
       and (select count(*) from audit_log a where a.request_id = r.id and a.action = 'assigned') = 1`;
  await expect.poll(() => count(assignedQuery, [shops.tmall.id, tmallRequestIds, wangfang.id]), { timeout: 30_000 }).toBe(tmallRequestIds.length);

  // ---- the outbox loop went on: 王芳 approves the live card on B; the platform hears it exactly once
  const liveCard = cardByTitle(page, liveTitle);
  await liveCard.getByRole("button", { name: "同意" }).click();
  await expect(liveCard).toHaveCount(0);
  // The card leaves the inbox at once; the decision is stored when the server has answered
  const liveDecision = async () => (await sql!.query<{ id: string; decision: string | null }>(`select id, decision from requests where platform_request_id = $1`, [liveEvent.data.requestId])).rows[0];
  await expect.poll(async () => (await liveDecision()).decision).toBe("approve");
  const decided = await liveDecision();
  // Sent once the 5-second undo window has passed, by whichever instance holds the outbox lock
  await expect.poll(() => receiver!.deliveries.get(`dec_${decided.id}`)?.count ?? 0, { timeout: 30_000 }).toBe(1);
  expect(await count(`select count(*) from outbox where request_id = $1 and status = 'delivered'`, [decided.id])).toBe(1);
  expect(receiver!.badSignatures).toBe(0);
  expect([instanceB.isRunning, instanceC.isRunning]).toEqual([true, true]);
  passed = true;
});
