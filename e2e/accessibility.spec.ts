import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { logins, seedCard, signIn } from "./helpers";

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
}

test("login, inbox, detail and team pages have no serious or critical axe violations", async ({ page }) => {
  await page.goto("/login");
  await expectNoSeriousViolations(page);
  const card = await seedCard({ shop: "tmall" });
  await signIn(page, logins.owner);
  // Often the run's first inbox on a fresh server (nothing cached yet): on two busy cores it has taken ~10 s
  await expect(page.getByRole("article").first()).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page);
  await page.goto(`/requests/${card.id}`);
  await expect(page.getByRole("heading", { name: card.title })).toBeVisible();
  await expectNoSeriousViolations(page);
  await page.goto("/team");
  await expectNoSeriousViolations(page);
});
