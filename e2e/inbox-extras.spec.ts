import { expect, test } from "@playwright/test";
import { cardByTitle, collectConsoleErrors, logins, openInbox, seedCard, signIn } from "./helpers";


test("the inbox and a detail page load without a console error (no hydration mismatch, no missing icon)", async ({ page }) => {
  // An overdue card: its clock text changes every second, which is what used to differ between server and browser
  const card = await seedCard({ shop: "tmall", kind: "return_refund" });
  await signIn(page, logins.wangfang);
  const errors = collectConsoleErrors(page);
  await openInbox(page);
  await expect(page.getByRole("article").first()).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await page.reload();
  await expect(page.locator("section[data-inbox-ready=true]")).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  await page.goto(`/requests/${card.id}`);
  await expect(page.getByRole("heading", { name: card.title })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
  expect(errors).toEqual([]);
  // The tab's icon is served (it was a 404)
  const iconHref = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(iconHref).toBeTruthy();
  expect((await page.request.get(iconHref!)).status()).toBe(200);
});

test("Shift+A opens the bulk approval of the selected cards, and it is listed among the shortcuts", async ({ page }) => {
  const stamp = Date.now();
  const first = await seedCard({ shop: "tmall", kind: "repair", title: `批量快捷键 ${stamp} 一` });
  const second = await seedCard({ shop: "tmall", kind: "repair", title: `批量快捷键 ${stamp} 二` });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(`批量快捷键 ${stamp}`)}`);
  await expect(page.getByRole("article")).toHaveCount(2);

  // Nothing selected yet: the shortcut says what to do instead of doing nothing
  await page.keyboard.press("Shift+A");
  await expect(page.getByText("还没有选中卡片：按 x 或勾选卡片左侧的方框")).toBeVisible();

  await page.keyboard.press("x");
  await page.keyboard.press("j");
  await page.keyboard.press("x");
  await expect(page.getByText(/已选 2 张/)).toBeVisible();
  await page.keyboard.press("Shift+A");
  const confirm = page.getByRole("dialog", { name: "确认批量同意" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "同意 2 张" }).press("Enter");
  await expect(page.getByText("已同意 2 张")).toBeVisible();
  for (const card of [first, second]) {
    await expect.poll(async () => (await (await page.request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("approved");
  }

  await page.keyboard.press("Shift+Slash");
  const help = page.getByRole("dialog", { name: "键盘快捷键" });
  await expect(help).toContainText("Shift + A");
  await expect(help).toContainText("批量同意选中的卡片");
});

test("the evidence viewer steps through the photos with buttons and arrow keys, and its close button says 关闭", async ({ page }) => {
  const card = await seedCard({ shop: "tmall", kind: "return_refund", evidenceCount: 3 });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  await cardByTitle(page, card.title).getByRole("button", { name: "查看大图: 买家凭证 1" }).click();
  const viewer = page.getByRole("dialog", { name: "买家凭证 1" });
  await expect(viewer).toContainText("第 1 张，共 3 张");
  await viewer.getByRole("button", { name: "下一张" }).click();
  await expect(page.getByRole("dialog", { name: "买家凭证 2" })).toBeVisible();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("dialog", { name: "买家凭证 3" })).toBeVisible();
  // Past the last photo comes the first again
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("dialog", { name: "买家凭证 1" })).toBeVisible();
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByRole("dialog", { name: "买家凭证 3" })).toBeVisible();
  await page.getByRole("button", { name: "上一张" }).click();
  await expect(page.getByRole("dialog", { name: "买家凭证 2" })).toBeVisible();
  await expect(page.getByRole("button", { name: "查看大图", exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "关闭" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("the detail page names the category in words and offers 还价 where the card does", async ({ page }) => {
  const card = await seedCard({ shop: "tmall", kind: "return_refund", category: "apparel" });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  await expect(cardByTitle(page, card.title).getByRole("button", { name: "还价" })).toBeVisible();
  await page.goto(`/requests/${card.id}`);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const order = page.getByRole("region", { name: "订单信息" });
  await expect(order).toContainText("服饰");
  await expect(order).not.toContainText("apparel");
  await page.getByRole("button", { name: "还价" }).click();
  await expect(page.getByRole("dialog", { name: "向买家还价" })).toBeVisible();
});

test("the undo toast sits clear of the inbox filters, in readable colours", async ({ page }) => {
  const card = await seedCard({ shop: "tmall", kind: "repair" });
  await signIn(page, logins.wangfang);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  await cardByTitle(page, card.title).getByRole("button", { name: "同意" }).click();
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: "已同意" });
  await expect(toast).toBeVisible();
  const toastBox = (await toast.boundingBox())!;
  const filtersBox = (await page.getByRole("group", { name: "筛选" }).boundingBox())!;
  const overlaps =
    toastBox.x < filtersBox.x + filtersBox.width && filtersBox.x < toastBox.x + toastBox.width && toastBox.y < filtersBox.y + filtersBox.height && filtersBox.y < toastBox.y + toastBox.height;
  expect(overlaps).toBe(false);
  const ratio = await toast.evaluate((element) => {
    const channel = (value: number) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const luminance = (color: string) => {
      const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const style = getComputedStyle(element);
    const [light, dark] = [luminance(style.backgroundColor), luminance(style.color)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
  });
  expect(ratio).toBeGreaterThanOrEqual(4.5);
});
