import { expect, test, type Locator, type Page } from "@playwright/test";
import { cardByTitle, logins, onePixelPng, openInbox, seedCard, signIn } from "./helpers";

// A phone: 390 × 844 CSS pixels, touch (docs/inbox-layout.md)
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

const phoneWidth = 390;
const fingertipPx = 44;


/** How far the page reaches sideways; a page that fits has nothing past the screen's right edge. */
async function getPageWidths(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth }));
}

async function expectFingertipSize(target: Locator) {
  const box = await target.boundingBox();
  expect(box, "the target is laid out").not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(fingertipPx);
  expect(box!.width).toBeGreaterThanOrEqual(fingertipPx);
  // Not cut off: wholly on the screen
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(phoneWidth);
}

test("no page of the desk scrolls sideways on a phone, and the menu reaches every page and 退出登录", async ({ page }) => {
  const card = await seedCard({ shop: "tmall", kind: "return_refund", title: `手机宽度 ${Date.now()} 加长的商品标题用来测试换行和截断是否正常工作` });
  await signIn(page, logins.owner);
  const pages: [string, Locator][] = [
    ["/inbox", page.getByRole("heading", { name: "售后卡片" })],
    [`/requests/${card.id}`, page.getByRole("heading", { name: card.title })],
    ["/metrics", page.getByRole("heading", { name: "数据看板" })],
    ["/freight", page.getByRole("heading", { level: 1 })],
    ["/rules", page.getByRole("heading", { name: "自动规则" })],
    ["/orders", page.getByRole("heading", { name: "订单", exact: true })],
    ["/team", page.getByRole("heading", { name: "团队与店铺" })],
    ["/settings", page.getByRole("heading", { name: "平台连接", exact: true })],
  ];
  const tooWide: string[] = [];
  for (const [path, heading] of pages) {
    await page.goto(path);
    await expect(heading).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    const { scrollWidth, viewport } = await getPageWidths(page);
    expect(viewport).toBe(phoneWidth);
    if (scrollWidth > viewport) tooWide.push(`${path}: ${scrollWidth} px`);
  }
  expect(tooWide).toEqual([]);

  // The links do not fit beside the account on a phone: one 菜单 button, opened by keyboard or by touch
  await expect(page.getByRole("navigation", { name: "main" })).toBeHidden();
  const menuButton = page.getByRole("button", { name: "菜单" });
  await expectFingertipSize(menuButton);
  await menuButton.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem", { name: "退货宝" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(menuButton).toBeFocused();

  await menuButton.tap();
  await menu.getByRole("menuitem", { name: "数据" }).tap();
  await expect(page).toHaveURL(/\/metrics/);
  await menuButton.tap();
  const logout = menu.getByRole("menuitem", { name: "退出登录" });
  await expect(logout).toBeInViewport({ ratio: 1 });
  await expectFingertipSize(logout);
  await logout.tap();
  await expect(page).toHaveURL(/\/login/);
});

test("on a phone an agent approves, undoes and rejects by touch, every target a fingertip wide", async ({ page }) => {
  const toApprove = await seedCard({ shop: "tmall", kind: "repair", title: `手机同意 ${Date.now()}` });
  // A return on Tmall may be refused with proof (an unshipped refund-only may not)
  const toReject = await seedCard({ shop: "tmall", kind: "return_refund", title: `手机拒绝 ${Date.now()}` });
  await signIn(page, logins.wangfang);

  await openInbox(page, `?q=${encodeURIComponent(toApprove.title)}`);
  const card = cardByTitle(page, toApprove.title);
  const approve = card.getByRole("button", { name: "同意" });
  await expectFingertipSize(approve);
  await approve.tap();
  await expect(card).toHaveCount(0);
  const undo = page.getByRole("button", { name: "撤销" });
  await expect(undo).toBeVisible();
  await expectFingertipSize(undo);
  await undo.tap();
  await expect(page.getByText("已撤销，卡片已恢复")).toBeVisible();
  await expect(card).toBeVisible();
  await expect.poll(async () => (await (await page.request.get(`/api/requests/${toApprove.id}`)).json()).card.status).toBe("pending");

  await openInbox(page, `?q=${encodeURIComponent(toReject.title)}`);
  const rejectCard = cardByTitle(page, toReject.title);
  await rejectCard.getByRole("button", { name: "拒绝" }).tap();
  const dialog = page.getByRole("dialog", { name: "拒绝申请" });
  await expect(dialog).toBeVisible();
  // The dialog fits the screen; what does not fit scrolls inside it
  const dialogBox = await dialog.boundingBox();
  expect(dialogBox!.x).toBeGreaterThanOrEqual(0);
  expect(dialogBox!.x + dialogBox!.width).toBeLessThanOrEqual(phoneWidth);
  expect(dialogBox!.y).toBeGreaterThanOrEqual(0);
  expect(dialogBox!.y + dialogBox!.height).toBeLessThanOrEqual(844);
  await dialog.getByLabel("拒绝原因").selectOption({ label: "商品无质量问题，凭证不足" });
  await dialog.getByLabel("拒绝说明").fill("亲，照片显示商品完好，无质量问题哦");
  await dialog.getByLabel("上传凭证").setInputFiles({ name: "proof.png", mimeType: "image/png", buffer: onePixelPng });
  await expect(dialog.getByRole("link", { name: "proof.png" })).toBeVisible();
  const submit = dialog.getByRole("button", { name: "确认拒绝" });
  await submit.scrollIntoViewIfNeeded();
  await expectFingertipSize(submit);
  await submit.tap();
  await expect(dialog).toHaveCount(0);
  await expect(rejectCard).toHaveCount(0);
  await expect.poll(async () => (await (await page.request.get(`/api/requests/${toReject.id}`)).json()).card.status).toBe("rejected");
});
