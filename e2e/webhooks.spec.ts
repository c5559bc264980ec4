import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { requests } from "@/db/schema";
import { outbox, webhookEvents } from "@/db/schema-webhooks";
import { dayMs, hourMs } from "@/lib/time";
import { getSignedHeaders, verifySignature } from "@/lib/webhook/signature";
import { e2eDatabasePath } from "../playwright.config";
import { baseURL, cardByTitle, logins, signIn, signInApi, uniqueDigits } from "./helpers";

// The seed's local-only demo connection for 木槿旗舰店（天猫） (db/seed-webhooks.ts)
const shopId = "shop_0000000000000000tma1";
const secret = "local-demo-secret-tmall";
const db = openDb(e2eDatabasePath);

function createdEvent(title: string) {
  const requestId = uniqueDigits("9");
  return {
    requestId,
    event: {
      id: `evt_e2e_${requestId}`,
      type: "request.created",
      // Two hours ago, so the card is overdue and sorts to the top of the open inbox
      occurredAt: new Date(Date.now() - 2 * hourMs).toISOString(),
      data: {
        requestId,
        kind: "refund_only",
        order: {
          orderId: uniqueDigits("9"),
          category: "apparel",
          title,
          amountFen: 12_990,
          completedAt: new Date(Date.now() - 3 * dayMs).toISOString(),
          supportedKinds: ["refund_only", "return_refund"],
          priorRefund: "none",
        },
        buyer: { id: "2200123456789", nick: "e2e买家" },
        reasonCode: "quality_issue",
        reasonText: "收到就坏了",
        evidence: [],
        amountFen: 12_990,
      },
    },
  };
}

function signed(rawBody: string, signWith = secret) {
  return { "content-type": "application/json", ...getSignedHeaders(shopId, signWith, new Date(), rawBody) };
}

test("a signed request.created appears in the open inbox, and its replay is a duplicate", async ({ page, request }) => {
  const title = `Webhook 围巾 ${Math.random().toString(36).slice(2, 8)}`;
  const { event } = createdEvent(title);
  const rawBody = JSON.stringify(event);
  const first = await request.post("/api/platforms/tmall/events", { headers: signed(rawBody), data: rawBody });
  expect(first.status()).toBe(200);
  expect(await first.json()).toEqual({ received: true, duplicate: false });
  const again = await request.post("/api/platforms/tmall/events", { headers: signed(rawBody), data: rawBody });
  expect(await again.json()).toEqual({ received: true, duplicate: true });

  await signIn(page, logins.wangfang);
  // The list mounts only what is on screen: search for the card, as an agent would.
  await page.goto(`/inbox?q=${encodeURIComponent(title)}`);
  await expect(cardByTitle(page, title)).toHaveCount(1);
});

test("a bad signature gets 401 and changes nothing", async ({ request }) => {
  const { event, requestId } = createdEvent("不该出现的卡片");
  const rawBody = JSON.stringify(event);
  const response = await request.post("/api/platforms/tmall/events", { headers: signed(rawBody, "wrong-secret"), data: rawBody });
  expect(response.status()).toBe(401);
  expect((await response.json()).error.code).toBe("bad_signature");
  expect(await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, event.id))).toEqual([]);
  expect(await db.select().from(requests).where(eq(requests.platformRequestId, requestId))).toEqual([]);
});

test("an approval is delivered, signed, to the shop's platform endpoint and shows as delivered to the owner", async ({ page, playwright }) => {
  const received: { key: string; body: string; isSigned: boolean }[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const isSigned = verifySignature([secret], String(req.headers["x-timestamp"]), body, String(req.headers["x-signature"]));
      received.push({ key: String(req.headers["idempotency-key"]), body, isSigned });
      res.writeHead(isSigned ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/decisions`;
  try {
    const owner = await playwright.request.newContext({ baseURL });
    await signInApi(owner, logins.owner);
    const agent = await playwright.request.newContext({ baseURL });
    await signInApi(agent, logins.wangfang);
    const endpointUrl = `/api/settings/shops/${shopId}/endpoint`;
    expect((await agent.put(endpointUrl, { data: { url: receiverUrl }, headers: { origin: baseURL } })).status()).toBe(403);
    expect((await owner.put(endpointUrl, { data: { url: receiverUrl }, headers: { origin: baseURL } })).status()).toBe(200);

    const title = `回传测试 ${Math.random().toString(36).slice(2, 8)}`;
    const { event, requestId } = createdEvent(title);
    const rawBody = JSON.stringify(event);
    expect((await owner.post("/api/platforms/tmall/events", { headers: signed(rawBody), data: rawBody })).status()).toBe(200);
    const [card] = await db.select().from(requests).where(eq(requests.platformRequestId, requestId));
    const decided = await owner.post(`/api/requests/${card.id}/decision`, { data: { decision: "approve" }, headers: { origin: baseURL } });
    expect(decided.status()).toBe(200);

    await expect.poll(() => received.filter((delivery) => delivery.key === `dec_${card.id}`).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const delivery = received.find((candidate) => candidate.key === `dec_${card.id}`)!;
    expect(delivery.isSigned).toBe(true);
    expect(JSON.parse(delivery.body).data).toMatchObject({ requestId, decision: "approve", amountFen: 12_990 });
    await expect.poll(async () => (await db.select().from(outbox).where(eq(outbox.requestId, card.id)))[0]?.status).toBe("delivered");

    await signIn(page, logins.owner);
    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "平台连接" })).toBeVisible();
    await expect(page.getByTestId("delivery-row").filter({ hasText: requestId })).toHaveAttribute("data-status", "delivered");
    await owner.dispose();
    await agent.dispose();
  } finally {
    receiver.close();
  }
});

test("agents do not see the settings page", async ({ page }) => {
  await signIn(page, logins.wangfang);
  await expect(page.getByRole("link", { name: "平台连接" })).toHaveCount(0);
  const response = await page.goto("/settings");
  expect(response?.status()).toBe(404);
});
