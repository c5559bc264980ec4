import { expect, test } from "@playwright/test";
import { cardByTitle, logins, openInbox, seedCard, signIn } from "./helpers";

test("a keyboard-only session decides five cards: j/k move, a approves and moves on", async ({ page }) => {
  const batch = `键盘 ${Date.now()}`;
  const cards = [];
  // Arrival times a second apart: deadline order is the order they were made in.
  // Six cards: five to decide, and one left over to show the focus has moved on.
  for (let index = 0; index < 6; index++) {
    cards.push(await seedCard({ shop: "tmall", kind: "exchange", title: `${batch} 第${index + 1}张`, receivedAgoMs: 3 * 60 * 60_000 - index * 1000 }));
  }
  await signIn(page, logins.zhaoqiang);
  await openInbox(page, `?q=${encodeURIComponent(batch)}`);
  const focused = page.locator('li[aria-current="true"]');
  await expect(focused).toContainText(cards[0].title);
  await page.keyboard.press("j");
  await expect(focused).toContainText(cards[1].title);
  await page.keyboard.press("k");
  await expect(focused).toContainText(cards[0].title);

  for (const card of cards.slice(0, 5)) {
    await expect(focused).toContainText(card.title);
    await page.keyboard.press("a");
    await expect(cardByTitle(page, card.title)).toHaveCount(0);
  }
  await expect(focused).toContainText(cards[5].title);
  for (const card of cards.slice(0, 5)) {
    const body = await (await page.request.get(`/api/requests/${card.id}`)).json();
    expect(body.card).toMatchObject({ status: "approved", decidedBy: { name: "赵强" } });
  }

  await page.keyboard.press("Shift+Slash");
  await expect(page.getByRole("dialog", { name: "键盘快捷键" })).toBeVisible();
  // While a dialog is open, shortcuts stay quiet: "a" decides nothing.
  await page.keyboard.press("a");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(focused).toContainText(cards[5].title);
  expect((await (await page.request.get(`/api/requests/${cards[5].id}`)).json()).card.status).toBe("pending");
});

test("r opens the reject dialog for the focused card and Enter submits it", async ({ page }) => {
  const card = await seedCard({ shop: "douyin", kind: "exchange", receivedAgoMs: 4 * 60 * 60_000 });
  await signIn(page, logins.lilei);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  await expect(page.locator('li[aria-current="true"]')).toContainText(card.title);
  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "拒绝申请" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("拒绝原因").selectOption("fresh_no_return");
  await dialog.getByLabel("拒绝说明").fill("生鲜商品签收后不支持无理由退换，敬请谅解");
  await dialog.getByLabel("拒绝说明").press("Enter");
  await expect(dialog).toHaveCount(0);
  await expect(cardByTitle(page, card.title)).toHaveCount(0);
  const body = await (await page.request.get(`/api/requests/${card.id}`)).json();
  expect(body.card).toMatchObject({ status: "rejected", rejectReasonCode: "fresh_no_return" });
});
