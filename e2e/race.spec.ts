import { expect, request as playwrightRequest, test } from "@playwright/test";
import { baseURL, cardByTitle, logins, openInbox, seedCard, signIn, signInApi } from "./helpers";

test("two agents decide the same card: one wins, the other is told who and when", async ({ browser }) => {
  const card = await seedCard({ shop: "tmall" });
  const wangContext = await browser.newContext();
  const zhaoContext = await browser.newContext();
  const wang = await wangContext.newPage();
  const zhao = await zhaoContext.newPage();
  // 赵强's connection is down (a network blip), so his view is stale when he clicks.
  await zhaoContext.route("**/api/stream*", (route) => route.abort());
  await signIn(wang, logins.wangfang);
  await signIn(zhao, logins.zhaoqiang);
  await openInbox(wang, `?q=${encodeURIComponent(card.title)}`);
  await openInbox(zhao, `?q=${encodeURIComponent(card.title)}`);
  await expect(cardByTitle(wang, card.title)).toBeVisible();
  await expect(cardByTitle(zhao, card.title)).toBeVisible();

  await cardByTitle(wang, card.title).getByRole("button", { name: "同意" }).click();
  await expect(cardByTitle(wang, card.title)).toHaveCount(0);
  await cardByTitle(zhao, card.title).getByRole("button", { name: "同意" }).click();
  await expect(zhao.getByText(/已由 王芳 于 \d\d:\d\d:\d\d 同意/)).toBeVisible();
  await expect(cardByTitle(zhao, card.title)).toHaveCount(0);
  await wangContext.close();
  await zhaoContext.close();
});

test("truly concurrent API decisions on one card: exactly one 200, every other a 409 naming the winner", async () => {
  // Douyin, with a reason that needs no proof: every rejection here is one the rules allow (docs/domain/rejections.md)
  const card = await seedCard({ shop: "douyin" });
  const agents = [logins.wangfang, logins.zhaoqiang, logins.owner];
  const contexts = await Promise.all(agents.map(() => playwrightRequest.newContext({ baseURL })));
  await Promise.all(contexts.map((context, index) => signInApi(context, agents[index])));
  // Fire all at once: 4 requests per agent, approve and reject mixed.
  const responses = await Promise.all(
    contexts.flatMap((context) =>
      [0, 1, 2, 3].map((index) =>
        context.post(`/api/requests/${card.id}/decision`, {
          data: index % 2 ? { decision: "reject", reasonCode: "past_period", message: "并发测试拒绝" } : { decision: "approve" },
          headers: { origin: baseURL },
        }),
      ),
    ),
  );
  const statuses = responses.map((response) => response.status());
  expect(statuses.filter((status) => status === 200)).toHaveLength(1);
  expect(statuses.filter((status) => status === 409)).toHaveLength(11);
  const winner = (await responses[statuses.indexOf(200)].json()).card;
  for (const response of responses.filter((candidate) => candidate.status() === 409)) {
    const body = await response.json();
    expect(body.error).toMatchObject({
      code: "already_decided",
      decidedBy: winner.decidedBy,
      decision: winner.decision,
      decidedAt: winner.decidedAt,
    });
    expect(typeof body.error.message).toBe("string");
  }
  const detail = await (await contexts[0].get(`/api/requests/${card.id}`)).json();
  expect(detail.audit.filter((entry: { action: string }) => entry.action !== "received")).toHaveLength(1);
  await Promise.all(contexts.map((context) => context.dispose()));
});
