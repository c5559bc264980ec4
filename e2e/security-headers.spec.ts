import { expect, test, type APIResponse, type Page, type Response } from "@playwright/test";
import { cardByTitle, logins, openInbox, seedCard, signIn } from "./helpers";

// The response headers of docs/security.md ("Response headers") on the built server (scripts/serve.mjs in
// front of Next), and the pages still working under the nonce policy.

type Answer = Response | APIResponse;

/** All values of one header (a header sent twice would be two policies, both enforced). */
async function headerValues(answer: Answer, name: string): Promise<string[]> {
  return (await answer.headersArray()).filter((header) => header.name.toLowerCase() === name).map((header) => header.value);
}

function directive(policy: string, name: string): string[] | undefined {
  for (const part of policy.split(";")) {
    const [directiveName, ...sources] = part.trim().split(/\s+/);
    if (directiveName === name) return sources;
  }
  return undefined;
}

/** The headers every answer carries; returns its one Content-Security-Policy. */
async function expectSecurityHeaders(answer: Answer): Promise<string> {
  expect(await headerValues(answer, "x-content-type-options")).toEqual(["nosniff"]);
  expect(await headerValues(answer, "x-frame-options")).toEqual(["DENY"]);
  expect(await headerValues(answer, "referrer-policy")).toEqual(["strict-origin-when-cross-origin"]);
  const [permissions, ...extraPermissions] = await headerValues(answer, "permissions-policy");
  expect(extraPermissions).toEqual([]);
  for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(permissions).toContain(`${feature}=()`);
  const policies = await headerValues(answer, "content-security-policy");
  expect(policies).toHaveLength(1);
  expect(directive(policies[0], "frame-ancestors")).toEqual(["'none'"]);
  return policies[0];
}

/** A page's policy: scripts by this response's nonce only, and every script tag Next wrote carries it. */
async function expectPagePolicy(answer: Response): Promise<string> {
  const policy = await expectSecurityHeaders(answer);
  expect(await headerValues(answer, "cross-origin-opener-policy")).toEqual(["same-origin"]);
  const scriptSources = directive(policy, "script-src") ?? [];
  const nonce = scriptSources.map((source) => /^'nonce-([A-Za-z0-9+/=_-]+)'$/.exec(source)?.[1]).find(Boolean);
  expect(nonce, policy).toBeTruthy();
  expect(scriptSources).toContain("'strict-dynamic'");
  expect(scriptSources).not.toContain("'unsafe-inline'");
  expect(scriptSources).not.toContain("'unsafe-eval'");
  expect(directive(policy, "object-src")).toEqual(["'none'"]);
  expect(directive(policy, "connect-src")).toEqual(["'self'"]);
  expect(directive(policy, "img-src")).toEqual(expect.arrayContaining(["'self'", "https:"]));

  const html = await answer.text();
  const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(2);
  for (const tag of scriptTags) expect(tag, "a script without this response's nonce").toContain(`nonce="${nonce}"`);
  for (const tag of html.match(/<link\b[^>]*\bas="script"[^>]*>/g) ?? []) expect(tag, "a script preload without the nonce").toContain(`nonce="${nonce}"`);
  return nonce!;
}

/** An API answer's policy: nothing may load in it, nothing may frame it. */
async function expectApiPolicy(answer: APIResponse) {
  const policy = await expectSecurityHeaders(answer);
  expect(directive(policy, "default-src")).toEqual(["'none'"]);
  expect(directive(policy, "script-src")).toBeUndefined();
}

test("pages carry a nonce policy, a new nonce per answer, and every script Next writes carries it", async ({ page }) => {
  const login = await page.goto("/login");
  expect(login?.status()).toBe(200);
  const loginNonce = await expectPagePolicy(login!);

  await signIn(page, logins.wangfang);
  const inbox = await page.goto("/inbox");
  expect(inbox?.status()).toBe(200);
  expect(inbox?.url()).toMatch(/\/inbox$/);
  const inboxNonce = await expectPagePolicy(inbox!);
  const again = await page.goto("/inbox");
  const againNonce = await expectPagePolicy(again!);
  expect(new Set([loginNonce, inboxNonce, againNonce]).size).toBe(3);
});

test("API answers carry the locked-down policy and the common headers, signed out and in", async ({ page, request }) => {
  const signedOut = await request.get("/api/requests");
  expect(signedOut.status()).toBe(401);
  await expectApiPolicy(signedOut);

  await signIn(page, logins.wangfang);
  const signedIn = await page.request.get("/api/requests");
  expect(signedIn.status()).toBe(200);
  await expectApiPolicy(signedIn);
});

/** The evidence route's policy, for an image: nothing loads, nothing frames it, nothing in it runs. */
async function expectEvidencePolicy(answer: APIResponse) {
  const policy = await expectSecurityHeaders(answer);
  expect(directive(policy, "default-src")).toEqual(["'none'"]);
  expect(directive(policy, "script-src")).toBeUndefined();
  expect(directive(policy, "sandbox")).toEqual([]);
}

test("every evidence answer carries the evidence policy: the file, and the 401, invalid_id and 404 JSON", async ({ page, request }) => {
  const card = await seedCard({ shop: "tmall", evidenceCount: 1 });
  const signedOut = await request.get("/api/evidence/evd_doesnotexist00000000");
  expect(signedOut.status()).toBe(401);
  await expectEvidencePolicy(signedOut);

  await signIn(page, logins.owner);
  const detail = await (await page.request.get(`/api/requests/${card.id}`)).json();
  const fileUrl = detail.card.evidence[0].url as string;
  expect(fileUrl).toMatch(/^\/api\/evidence\/evd_/);
  const file = await page.request.get(fileUrl);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-type"]).toBe("image/svg+xml");
  await expectEvidencePolicy(file);

  const invalid = await page.request.get("/api/evidence/not-an-id");
  expect(invalid.status()).toBe(400);
  await expectEvidencePolicy(invalid);
  const missing = await page.request.get(`/api/evidence/evd_${"0".repeat(20)}`);
  expect(missing.status()).toBe(404);
  await expectEvidencePolicy(missing);
});

test("platform pushes are answered with the headers, through Next and through serve.mjs's own events path", async ({ request }) => {
  // Douyin's push route runs in Next: an unsigned push is refused
  const push = await request.post("/api/platforms/douyin/push", { data: "[]", headers: { "content-type": "application/json" } });
  expect(push.status()).toBe(401);
  await expectApiPolicy(push);
  // The events route is answered by the node:http layer before Next (scripts/platform-events.mjs)
  const event = await request.post("/api/platforms/tmall/events", { data: "{}", headers: { "content-type": "application/json" } });
  expect(event.status()).toBe(401);
  await expectApiPolicy(event);
});

/** Every policy violation the page reports: console lines, page errors and the DOM's own violation events. */
async function watchPolicyViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  const record = (text: string) => {
    if (/Content[- ]Security[- ]Policy/i.test(text)) violations.push(text);
  };
  page.on("console", (message) => record(message.text()));
  page.on("pageerror", (error) => record(`${error.name}: ${error.message}`));
  await page.exposeFunction("reportPolicyViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { reportPolicyViolation: (text: string) => void }).reportPolicyViolation;
      report(`Content Security Policy: ${event.effectiveDirective} refused ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return violations;
}

test("signing in, the inbox, approving a card, the metrics, settings and API docs pages run without a policy violation", async ({ page }) => {
  const violations = await watchPolicyViolations(page);
  const card = await seedCard({ shop: "tmall", kind: "repair", receivedAgoMs: 20_000 });

  await signIn(page, logins.owner);
  // The open inbox first: the demo's cards show their evidence images (/api/evidence)
  await openInbox(page);
  await openInbox(page, `?q=${encodeURIComponent(card.title)}`);
  const article = cardByTitle(page, card.title);
  await article.getByRole("button", { name: "同意" }).click();
  await expect(article).toHaveCount(0);
  // The undo toast: sonner adds its own style element when it first shows
  await expect(page.getByRole("button", { name: "撤销" })).toBeVisible();
  await expect.poll(async () => (await (await page.request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("approved");

  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "数据" }).click();
  await expect(page.getByRole("heading", { name: "数据看板" })).toBeVisible();
  await expect(page.getByTestId("staffing-sentences")).toBeVisible();

  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "平台连接" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");

  await page.goto("/api-docs");
  await expect(page.getByRole("heading", { name: "平台接口文档" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");

  // A client-side navigation back: the router loads the inbox's code into the same document
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "售后卡片" }).click();
  await expect(page.locator("section[data-inbox-ready=true]")).toBeVisible();
  expect(violations).toEqual([]);
});
