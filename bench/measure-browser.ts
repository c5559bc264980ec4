// The measure in Chromium: an agent's approve click until the card leaves the inbox.
import { chromium } from "@playwright/test";
import { baseUrl } from "@/bench/config";
import { percentile } from "@/bench/table";
import { benchPassword } from "@/db/bench-seed";

export async function measureApproveInteraction(email: string) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${baseUrl}/login`);
  await page.locator("html[data-hydrated=true]").waitFor();
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(benchPassword);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL("**/inbox");
  await page.locator("html[data-hydrated=true]").waitFor();
  await page.getByRole("article").first().waitFor();
  const mountedCards = await page.getByRole("article").count();
  const latencies: number[] = [];
  for (let index = 0; index < 20; index++) {
    // From the click to the card leaving the DOM (the optimistic update), measured inside the page.
    const latency = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const article = document.querySelector("article[data-request-id]")!;
          const button = article.querySelector<HTMLButtonElement>('[data-action="approve"]') ?? [...article.querySelectorAll("button")].find((candidate) => candidate.textContent === "同意")!;
          const started = performance.now();
          const observer = new MutationObserver(() => {
            if (!article.isConnected) {
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - started));
            }
          });
          observer.observe(document.body, { childList: true, subtree: true });
          button.click();
        }),
    );
    latencies.push(latency);
    await page.waitForTimeout(150);
  }
  await browser.close();
  return { p95: percentile(latencies, 95), p50: percentile(latencies, 50), mountedCards };
}
