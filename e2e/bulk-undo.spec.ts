import { expect, request as playwrightRequest, test } from "@playwright/test";
import { baseURL, cardByTitle, getOutboxRows, logins, openInbox, seedCard, signIn, signInApi } from "./helpers";

test("undo within 5 s restores the card, and the platform never hears of the decision", async ({ page }) => {
  const card = await seedCard({ shop: "tmall", receivedAgoMs: 7 * 60 * 60_000 });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  await cardByTitle(page, card.title).getByRole("button", { name: "同意" }).click();
  await expect(cardByTitle(page, card.title)).toHaveCount(0);
  await page.getByRole("button", { name: "撤销" }).click();
  await expect(page.getByText("已撤销，卡片已恢复")).toBeVisible();
  await expect(cardByTitle(page, card.title)).toBeVisible();
  const body = await (await page.request.get(`/api/requests/${card.id}`)).json();
  expect(body.card.status).toBe("pending");
  expect(body.audit.map((entry: { action: string }) => entry.action)).toEqual(["received", "approved", "undone"]);
  // Past the window there is still nothing to send.
  await page.waitForTimeout(5_500);
  expect(await getOutboxRows(card.id)).toHaveLength(0);
});

test("undo is the deciding agent's only, and refused once the decision is final", async ({ request }) => {
  const card = await seedCard({ shop: "tmall" });
  await signInApi(request, logins.wangfang);
  const decided = await request.post(`/api/requests/${card.id}/decision`, { data: { decision: "approve" }, headers: { origin: baseURL } });
  expect(decided.status()).toBe(200);
  const other = await playwrightRequest.newContext({ baseURL });
  await signInApi(other, logins.zhaoqiang);
  const foreign = await other.post(`/api/requests/${card.id}/undo`, { headers: { origin: baseURL } });
  expect(foreign.status()).toBe(409);
  expect((await foreign.json()).error).toMatchObject({ code: "undo_refused", reason: "not_yours" });
  await new Promise((resolve) => setTimeout(resolve, 5_200));
  const late = await request.post(`/api/requests/${card.id}/undo`, { headers: { origin: baseURL } });
  expect(late.status()).toBe(409);
  expect((await late.json()).error).toMatchObject({ code: "undo_refused", reason: "final" });
  expect(await getOutboxRows(card.id)).toHaveLength(1);
  await other.dispose();
});

test("bulk approve of 20 cards reports exactly the 2 decided meanwhile", async ({ page, browser }) => {
  const batch = `批量 ${Date.now()}`;
  const cards = [];
  for (let index = 0; index < 20; index++) {
    cards.push(await seedCard({ shop: "tmall", title: `${batch} 第${String(index + 1).padStart(2, "0")}张`, receivedAgoMs: 9 * 60 * 60_000 - index * 1000 }));
  }
  // This agent's live connection is down, so the two decided meanwhile are still on the screen.
  await page.context().route("**/api/stream*", (route) => route.abort());
  await signIn(page, logins.zhaoqiang);
  await openInbox(page, `?q=${encodeURIComponent(batch)}`);
  await page.getByRole("checkbox", { name: `选择 ${cards[0].title}` }).click();
  await page.getByRole("checkbox", { name: `选择 ${cards[3].title}` }).click({ modifiers: ["Shift"] });
  const bar = page.getByRole("region", { name: "批量操作" });
  await expect(bar).toContainText("已选 4 张 · 退款合计 ¥519.60");
  // The view holds exactly this batch; most of it is not even mounted, and all of it is selected.
  await bar.getByRole("button", { name: "全选本页 20 张" }).click();
  await expect(bar).toContainText("已选 20 张 · 退款合计 ¥2,598.00");

  const wang = await browser.newContext();
  await signInApi(wang.request, logins.wangfang);
  for (const card of [cards[3], cards[11]]) {
    expect((await wang.request.post(`/api/requests/${card.id}/decision`, { data: { decision: "approve" }, headers: { origin: baseURL } })).status()).toBe(200);
  }

  await bar.getByRole("button", { name: "批量同意" }).click();
  const confirm = page.getByRole("dialog", { name: "确认批量同意" });
  await expect(confirm).toContainText("20 张申请，退款合计 ¥2,598.00");
  await confirm.getByRole("button", { name: "同意 20 张" }).click();
  const skipped = page.getByRole("dialog", { name: "2 张未同意" });
  await expect(skipped).toBeVisible();
  await expect(skipped.getByRole("listitem")).toHaveCount(2);
  await expect(skipped).toContainText(cards[3].title);
  await expect(skipped).toContainText(cards[11].title);
  await expect(skipped).toContainText(/已由 王芳 于 \d\d:\d\d:\d\d 同意/);
  for (const [index, card] of cards.entries()) {
    const body = await (await page.request.get(`/api/requests/${card.id}`)).json();
    expect(body.card.decidedBy.name).toBe(index === 3 || index === 11 ? "王芳" : "赵强");
  }
  await wang.close();
});
