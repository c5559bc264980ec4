import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { baseURL, collectConsoleErrors, logins, seedCard, signIn } from "./helpers";

// Every page of the desk, as the owner sees it (the owner reaches them all): no console error on any load, and axe
// finds nothing serious on the pages the agent and owner specs do not already run it on. The agent pages
// (e2e/agent-desk.spec.ts) and the owner's figures pages (e2e/owner-language.spec.ts) have their own checks.

test("every page of the desk loads without a console error", async ({ page }) => {
  test.setTimeout(180_000);
  const card = await seedCard({ shop: "tmall", kind: "return_refund" });
  const errors = collectConsoleErrors(page);
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await signIn(page, logins.owner);
  const paths = ["/inbox", `/requests/${card.id}`, "/metrics", "/freight", "/rules", "/orders", "/team", "/settings", "/api-docs"];
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
    await expect(page.getByRole("main")).toBeVisible();
    await page.waitForLoadState("networkidle").catch(() => undefined);
  }
  expect(errors).toEqual([]);
});

for (const locale of ["zh-CN", "en"] as const) {
  test(`the team, settings, API and sign-in pages have no serious accessibility violations (${locale})`, async ({ page, context, browser }) => {
    test.setTimeout(180_000);
    const check = async (page: Page, path: string) => {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
      expect(serious.map((violation) => `${path} ${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
    };
    // Signed out, in a browser of its own that has only the language chosen
    const signedOut = await browser.newContext({ baseURL, locale: "zh-CN" });
    await signedOut.addCookies([{ name: "locale", value: locale, url: baseURL }]);
    await check(await signedOut.newPage(), "/login");
    await signedOut.close();
    await signIn(page, logins.owner);
    await context.addCookies([{ name: "locale", value: locale, url: baseURL }]);
    for (const path of ["/team", "/settings", "/api-docs"]) await check(page, path);
  });
}
