import { expect, test } from "@playwright/test";
import { cardByTitle, logins, onePixelPng, openInbox, seedCard, signIn } from "./helpers";


test("an agent approves a card: it leaves the pending list at once and is recorded", async ({ page }) => {
  const card = await seedCard({ shop: "tmall", kind: "repair", receivedAgoMs: 20_000 });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  const article = cardByTitle(page, card.title);
  await expect(article).toBeVisible();
  await expect(article.getByTestId("reply-clock")).toHaveText(/剩余 2:\d\d/);
  await expect(article.getByTestId("reply-clock")).toHaveAttribute("data-state", "normal");
  await article.getByRole("button", { name: "同意" }).click();
  await expect(article).toHaveCount(0);
  // The card leaves at the click; the server's answer follows.
  await expect.poll(async () => (await (await page.request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("approved");
  const body = await (await page.request.get(`/api/requests/${card.id}`)).json();
  expect(body.card).toMatchObject({ status: "approved", decision: "approve", decidedBy: { name: "王芳" } });
  expect(body.audit.map((entry: { action: string }) => entry.action)).toEqual(["received", "approved"]);
});

test("rejecting needs a reason and a 2–200 character message; a 1-character message is refused", async ({ page }) => {
  // A return (an unshipped refund-only may not be rejected on Tmall), with the proof Tmall requires (docs/domain/rejections.md)
  const card = await seedCard({ shop: "tmall", kind: "return_refund" });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  const article = cardByTitle(page, card.title);
  await article.getByRole("button", { name: "拒绝" }).click();
  const dialog = page.getByRole("dialog", { name: "拒绝申请" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "确认拒绝" }).click();
  await expect(dialog.getByText("请选择拒绝原因")).toBeVisible();
  await dialog.getByLabel("拒绝原因").selectOption({ label: "商品无质量问题，凭证不足" });
  await dialog.getByLabel("拒绝说明").fill("不");
  await dialog.getByRole("button", { name: "确认拒绝" }).click();
  await expect(dialog.getByText("说明至少 2 个字")).toBeVisible();
  await expect(dialog).toBeVisible();
  expect((await (await page.request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("pending");

  await dialog.getByLabel("拒绝说明").fill("亲，照片显示商品完好，无质量问题哦");
  await dialog.getByLabel("上传凭证").setInputFiles({ name: "proof.png", mimeType: "image/png", buffer: onePixelPng });
  await expect(dialog.getByRole("link", { name: "proof.png" })).toBeVisible();
  // The card leaves the inbox at once (optimistically); the decision is stored when its request is answered
  const decided = page.waitForResponse((response) => response.url().endsWith(`/api/requests/${card.id}/decision`) && response.request().method() === "POST");
  await dialog.getByRole("button", { name: "确认拒绝" }).click();
  expect((await decided).status()).toBe(200);
  await expect(dialog).toHaveCount(0);
  await expect(article).toHaveCount(0);
  const body = await (await page.request.get(`/api/requests/${card.id}`)).json();
  expect(body.card).toMatchObject({ status: "rejected", rejectReasonCode: "no_quality_issue", rejectMessage: "亲，照片显示商品完好，无质量问题哦" });
});

test("the detail page shows the order, the request and its history", async ({ page }) => {
  const card = await seedCard({ shop: "douyin", kind: "return_refund" });
  await signIn(page, logins.lilei);
  await page.goto(`/requests/${card.id}`);
  await expect(page.getByRole("heading", { name: card.title })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("region", { name: "订单信息" })).toContainText("¥129.90");
  await page.getByRole("button", { name: "同意" }).click();
  await expect(page.getByRole("region", { name: "处理记录" })).toContainText("李雷");
  await expect(page.getByRole("region", { name: "处理记录" })).toContainText("待处理 → 已同意");
});

test("filters are kept in the URL and a bookmarked view opens as it was", async ({ page }) => {
  await signIn(page, logins.owner);
  await page.getByLabel("平台", { exact: true }).selectOption({ label: "抖音" });
  await expect(page).toHaveURL(/platform=douyin/);
  await page.getByRole("tab", { name: "已同意" }).click();
  await expect(page).toHaveURL(/status=approved/);
  await page.reload();
  await expect(page.getByRole("tab", { name: "已同意" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByLabel("平台", { exact: true })).toHaveValue("douyin");
  const platforms = await page.getByRole("article").locator("header span").first().allTextContents();
  expect(platforms.every((text) => text === "抖音")).toBe(true);
});
