import { expect, test, type Page } from "@playwright/test";
import { createAgent, createTestShop, openInbox, seedCard, signIn } from "./helpers";

/** The README's pictures are written into docs/ only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the tree as it was. */
function screenshotPath(name: string): string {
  return process.env.UPDATE_SCREENSHOTS === "1" ? `docs/${name}` : `test-results/${name}`;
}

// The screen the issue measured on: 1440 × 900, where about three full cards fit
test.use({ viewport: { width: 1440, height: 900 } });

const minute = 60_000;

// A morning's queue as the demo shop would see it: fresh, nearly due and overdue cards of every kind
const queue = [
  { title: "木槿 2026秋冬新款羊毛双面呢大衣 女 中长款 驼色 M", category: "apparel", kind: "return_refund", amountFen: 89_900, buyerNick: "t***9 小鹿", reasonCode: "size_mismatch", claim: "肩宽偏大，想换小一码或者退掉", receivedAgoMs: 40_000 },
  { title: "法式复古碎花连衣裙 收腰显瘦 雪纺长裙 S", category: "apparel", kind: "refund_only", amountFen: 25_900, buyerNick: "夏天的风", reasonCode: "not_as_described", claim: "颜色和图片差很多，偏黄", receivedAgoMs: 95_000 },
  { title: "木槿智能 蓝牙降噪耳机 Pro 主动降噪 40小时续航 白色", category: "3c_digital", kind: "repair", amountFen: 59_900, buyerNick: "阿杰_1992", reasonCode: "needs_repair", claim: "右耳没有声音，充电仓指示灯一直闪", receivedAgoMs: 150_000 },
  { title: "高腰直筒牛仔裤 女 宽松垂感 浅蓝 27码", category: "apparel", kind: "exchange", amountFen: 15_900, buyerNick: "momo酱", reasonCode: "size_mismatch", claim: "腰围小了，换 28 码", receivedAgoMs: 170_000 },
  { title: "65W 氮化镓快充充电器 三口 PD 快充头", category: "3c_digital", kind: "refund_only", amountFen: 12_900, buyerNick: "数码控老王", reasonCode: "quality_issue", claim: "插上笔记本不充电，换了线也不行", receivedAgoMs: 4 * minute },
  { title: "100%桑蚕丝衬衫 女 长袖 真丝上衣 象牙白 L", category: "apparel", kind: "return_refund", amountFen: 45_900, buyerNick: "Lily_杭州", reasonCode: "quality_issue", claim: "袖口有抽丝", receivedAgoMs: 9 * minute },
  { title: "轻薄羽绒服 女 短款 90白鸭绒 黑色 M", category: "apparel", kind: "refund_only", amountFen: 39_900, buyerNick: "小橘子", reasonCode: "changed_mind", claim: "买重复了", receivedAgoMs: 25 * minute },
  { title: "针织开衫 女 慵懒风 燕麦色 均码", category: "apparel", kind: "return_refund", amountFen: 19_900, buyerNick: "一只猫", reasonCode: "no_reason_7d", claim: "不太适合我", receivedAgoMs: 48 * minute },
  { title: "便携挂脖风扇 无叶静音 USB充电 薄荷绿", category: "home_appliance", kind: "exchange", amountFen: 8_900, buyerNick: "凉快一夏", reasonCode: "quality_issue", claim: "风力档位切换不了", receivedAgoMs: 70 * minute },
  { title: "真丝眼罩 遮光睡眠 双面桑蚕丝 藕粉色", category: "apparel", kind: "refund_only", amountFen: 6_900, buyerNick: "早睡早起", reasonCode: "missing_parts", claim: "少发了收纳袋", receivedAgoMs: 2 * 60 * minute },
  { title: "木槿智能 智能手表 S3 血氧心率监测 NFC 黑色", category: "3c_digital", kind: "return_refund", amountFen: 109_900, buyerNick: "跑步的阿哲", reasonCode: "not_as_described", claim: "不支持我的门禁卡", receivedAgoMs: 3 * 60 * minute },
  { title: "羊毛混纺围巾 格纹 加厚保暖 燕麦灰", category: "apparel", kind: "refund_only", amountFen: 12_900, buyerNick: "北方的冬", reasonCode: "damaged_in_transit", claim: "包装破了，围巾上有污渍", receivedAgoMs: 5 * 60 * minute },
] as const;

async function seedQueue() {
  // Its own shop (names need not be unique), so the two agents below see this queue and nothing else
  const shopId = await createTestShop("木槿家居旗舰店（天猫）");
  for (const item of queue) await seedCard({ shop: { id: shopId }, ...item });
  return shopId;
}

/** Cards whose whole box is on the screen (scrolled to the top): what the agent sees without scrolling. */
async function countCardsInView(page: Page) {
  return page.getByRole("article").evaluateAll((articles) =>
    articles.filter((article) => {
      const box = article.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
    }).length,
  );
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
}

test("the compact view shows at least 8 cards on a 1440 × 900 screen, kept per user across reloads", async ({ page }) => {
  const shopId = await seedQueue();
  const first = await createAgent("周敏", [shopId]);
  const second = await createAgent("孙悦", [shopId]);

  await signIn(page, first.email);
  await openInbox(page);
  const standard = page.getByRole("button", { name: "标准" });
  const compact = page.getByRole("button", { name: "紧凑" });
  await expect(standard).toHaveAttribute("aria-pressed", "true");
  // The queue's most urgent cards lead the list; the rest are mounted as the list scrolls
  await expect(page.getByRole("article").first()).toBeVisible();
  await expect(page.getByRole("article")).not.toHaveCount(0);
  const standardInView = await countCardsInView(page);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshotPath("inbox-standard.png") });

  await compact.click();
  await expect(compact).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator('article[data-density="compact"]').first()).toBeVisible();
  // The virtual list mounts the rows the shorter cards make room for once it has measured them (a frame or two)
  await expect.poll(() => countCardsInView(page)).toBeGreaterThanOrEqual(8);
  expect(await countCardsInView(page)).toBeGreaterThan(standardInView);
  // What a compact card keeps: title, kind, platform, amount, both clocks, 同意 and 拒绝
  const row = page.getByRole("article").filter({ hasText: queue[0].title });
  await expect(row).toContainText("退货退款");
  await expect(row).toContainText("天猫");
  await expect(row).toContainText("¥899.00");
  await expect(row.getByTestId("reply-clock")).toBeVisible();
  await expect(row.getByTestId("platform-clock")).toBeVisible();
  await expect(row.getByRole("button", { name: "同意" })).toBeVisible();
  await expect(row.getByRole("button", { name: "拒绝" })).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshotPath("inbox-compact.png") });

  // The rest of the card opens in place
  await page.getByRole("button", { name: `展开 ${queue[0].title}` }).click();
  await expect(page.getByRole("button", { name: `收起 ${queue[0].title}` })).toHaveAttribute("aria-expanded", "true");
  await expect(row).toContainText(queue[0].claim);

  // The server paints the choice at once (no standard-then-compact flash) and a reload keeps it
  expect(await (await page.request.get("/inbox")).text()).toContain('data-density="compact"');
  await page.reload();
  await expect(page.locator("section[data-inbox-ready=true]")).toBeVisible();
  await expect(compact).toHaveAttribute("aria-pressed", "true");
  await expect.poll(() => countCardsInView(page)).toBeGreaterThanOrEqual(8);

  // Another user on the same browser has their own choice
  await signOut(page);
  await signIn(page, second.email);
  await openInbox(page);
  await expect(standard).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator('article[data-density="compact"]')).toHaveCount(0);
  await signOut(page);
  await signIn(page, first.email);
  await openInbox(page);
  await expect(compact).toHaveAttribute("aria-pressed", "true");
});
