import { expect, test } from "@playwright/test";
import { compareUrgency, getUrgencyKey, toUrgencyInput, type UrgencyCard, type UrgencyKey } from "@/lib/urgency";
import { baseURL, logins, seedCard, signInApi } from "./helpers";

test.beforeEach(async ({ request }) => {
  await signInApi(request, logins.wangfang);
});

const badBodies: [string, unknown, number, string][] = [
  ["an unknown decision", { decision: "maybe" }, 422, "invalid_body"],
  ["a rejection without a reason", { decision: "reject", message: "不同意哦" }, 422, "invalid_body"],
  ["a 1-character message", { decision: "reject", reasonCode: "other", message: "不" }, 422, "invalid_body"],
  ["a 201-character message", { decision: "reject", reasonCode: "other", message: "好".repeat(201) }, 422, "invalid_body"],
  ["an unknown reason code", { decision: "reject", reasonCode: "made_up", message: "不同意哦" }, 422, "invalid_body"],
  ["an extra field", { decision: "approve", amountFen: 1 }, 422, "invalid_body"],
];

for (const [label, body, status, code] of badBodies) {
  test(`${label} gets ${status} ${code} and changes nothing`, async ({ request }) => {
    const card = await seedCard({ shop: "tmall" });
    const response = await request.post(`/api/requests/${card.id}/decision`, { data: body as object, headers: { origin: baseURL } });
    expect(response.status()).toBe(status);
    const error = (await response.json()).error;
    expect(error.code).toBe(code);
    expect(error.issues.length).toBeGreaterThan(0);
    expect((await (await request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("pending");
  });
}

test("malformed JSON gets 400, an id that is not an id gets 400, a cross-origin POST gets 403", async ({ request }) => {
  const card = await seedCard({ shop: "tmall" });
  const malformed = await request.post(`/api/requests/${card.id}/decision`, {
    data: Buffer.from("{not json"),
    headers: { origin: baseURL, "content-type": "application/json" },
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.code).toBe("malformed_json");

  const badId = await request.post(`/api/requests/..%2F1/decision`, { data: { decision: "approve" }, headers: { origin: baseURL } });
  expect(badId.status()).toBe(400);
  expect((await badId.json()).error.code).toBe("invalid_id");

  const crossOrigin = await request.post(`/api/requests/${card.id}/decision`, {
    data: { decision: "approve" },
    headers: { origin: "http://evil.example" },
  });
  expect(crossOrigin.status()).toBe(403);
  expect((await crossOrigin.json()).error.code).toBe("cross_origin");
  expect((await (await request.get(`/api/requests/${card.id}`)).json()).card.status).toBe("pending");
});

test("a bad query string gets 400 with the field named", async ({ request }) => {
  for (const query of ["status=bogus", "platform=jd", "kind=x", "limit=0", "limit=abc", "cursor=nonsense", "shop=1"]) {
    const response = await request.get(`/api/requests?${query}`);
    expect(response.status(), query).toBe(400);
    const error = (await response.json()).error;
    expect(error.code).toBe("invalid_query");
    expect(error.issues[0].path).toBe(query.split("=")[0]);
  }
});

test("pages of the pending list keep the urgency order across pages and never repeat", async ({ request }) => {
  // The rule itself is unit-tested (lib/urgency.test.ts); here the server's SQL order, page after page, must agree
  // with it as of the first page's instant (docs/inbox-order.md)
  const seen = new Set<string>();
  let cursor: string | null = null;
  let orderedAtMs: number | null = null;
  let last: UrgencyKey | null = null;
  do {
    const response = await request.get(`/api/requests?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
    expect(response.status()).toBe(200);
    const page: { items: UrgencyCard[]; nextCursor: string | null; orderedAt: string } = await response.json();
    orderedAtMs ??= Date.parse(page.orderedAt);
    expect(Date.parse(page.orderedAt)).toBe(orderedAtMs);
    for (const item of page.items) {
      expect(seen.has(item.id)).toBe(false);
      const key = getUrgencyKey(toUrgencyInput(item), orderedAtMs);
      if (last) expect(compareUrgency(last, key)).toBeLessThan(0);
      seen.add(item.id);
      last = key;
    }
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen.size).toBeGreaterThanOrEqual(60);
});
