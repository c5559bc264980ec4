import { expect, test } from "@playwright/test";
import { baseURL, createAgent, createTestShop, logins, openInbox, seedCard, signIn, signInApi } from "./helpers";

test("auto-assignment gives new cards to the online agent up to the cap; the rest stay shared", async ({ page, request }) => {
  // Merchant B's own shop and agent: merchant A's all-shops agents, online in other specs, would share the cards.
  // A Taobao shop, as merchant B's others are (the tenancy spec tells B's data from A's by it)
  const shopId = await createTestShop(`分配测试店 ${Date.now()}`, { ownerEmail: logins.ownerB, platform: "taobao" });
  const agent = await createAgent("周分配", [shopId], logins.ownerB);
  await signInApi(request, logins.ownerB);
  const settings = await request.put(`/api/shops/${shopId}/assignment`, { data: { autoAssign: true, cap: 2 }, headers: { origin: baseURL } });
  expect(settings.status()).toBe(200);

  // The agent is online: their inbox holds a live connection.
  await signIn(page, agent.email);
  await openInbox(page);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");

  const cards: Awaited<ReturnType<typeof seedCard>>[] = [];
  for (let index = 0; index < 3; index++) cards.push(await seedCard({ shop: { id: shopId }, title: `分配 ${index}`, receivedAgoMs: 10_000 }));
  const claimedBy = async (id: string) => (await (await request.get(`/api/requests/${id}`)).json()).card.claimedBy?.name ?? null;
  // The assignment sweep (every second, docs/loops.md) hands them out in arrival order; the poll's timeout is a guard
  await expect.poll(async () => Promise.all(cards.map((card) => claimedBy(card.id)))).toEqual(["周分配", "周分配", null]);

  // The owner can hand the third card over by hand (past the cap: an owner's choice); an agent cannot.
  const assign = await request.post(`/api/requests/${cards[2].id}/assign`, { data: { userId: agent.id }, headers: { origin: baseURL } });
  expect(assign.status()).toBe(200);
  expect(await claimedBy(cards[2].id)).toBe("周分配");
  const agentAssign = await page.request.post(`/api/requests/${cards[0].id}/assign`, { data: { userId: agent.id }, headers: { origin: baseURL } });
  expect(agentAssign.status()).toBe(403);
});

test("claiming a card: one agent wins, the other sees who has it", async ({ page, request }) => {
  const card = await seedCard({ shop: "tmall" });
  await signInApi(request, logins.zhaoqiang);
  expect((await request.post(`/api/requests/${card.id}/claim`, { headers: { origin: baseURL } })).status()).toBe(200);
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  await expect(page.getByTestId("claimed-by")).toHaveText("赵强 认领中");
  const second = await page.request.post(`/api/requests/${card.id}/claim`, { headers: { origin: baseURL } });
  expect(second.status()).toBe(409);
  expect((await second.json()).error).toMatchObject({ code: "claimed_by_other", claimedBy: { name: "赵强" } });
});
