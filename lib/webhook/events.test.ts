import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  formatIssuePath,
  isBodyTooLarge,
  maxWebhookBodyBytes,
  parseWebhookEvent,
  platformParam,
  webhookEvent,
  webhookEventTypes,
} from "@/lib/webhook/events";

const order = {
  orderId: "3723456789012345678",
  category: "服饰",
  title: "羊毛围巾 灰色",
  amountFen: 8900,
  completedAt: "2026-11-10T10:00:00+08:00",
  receivedAt: "2026-11-12T15:30:00+08:00",
  supportedKinds: ["refund_only", "return_refund", "exchange"],
  priorRefund: "none",
};

const created = {
  id: "evt_01JD3X7Q9K",
  type: "request.created",
  occurredAt: "2026-11-20T10:02:10+08:00",
  data: {
    requestId: "7301500100200300401",
    kind: "return_refund",
    order,
    buyer: { id: "2200123456789", nick: "买家小王" },
    reasonCode: "7",
    reasonText: "拉链坏了",
    evidence: ["https://img.alicdn.com/evidence/1.jpg"],
    amountFen: 8900,
    platformDeadline: "2026-11-22T10:02:10Z",
  },
};

const validEvents = {
  "request.created": created,
  "request.created, minimal": {
    ...created,
    data: {
      requestId: "1",
      kind: "entry_reopen",
      order: { ...order, receivedAt: undefined, supportedKinds: [] },
      buyer: { id: "b", nick: "" },
      reasonCode: "other",
      evidence: [],
    },
  },
  "request.cancelled": { ...created, type: "request.cancelled", data: { requestId: "7301500100200300401" } },
  "request.updated": { ...created, type: "request.updated", data: { requestId: "1", amountFen: 0 } },
  "proposal.created": {
    ...created,
    type: "proposal.created",
    data: { requestId: "1", proposalId: "p1", expiresAt: "2026-11-20T22:02:10+08:00" },
  },
  "proposal.created without expiry": { ...created, type: "proposal.created", data: { requestId: "1", proposalId: "p1" } },
  "proposal.resolved": {
    ...created,
    type: "proposal.resolved",
    data: { requestId: "1", proposalId: "p1", outcome: "lapsed" },
  },
  "deadline.changed": {
    ...created,
    type: "deadline.changed",
    data: { requestId: "1", platformDeadline: "2026-11-23T00:00:00.000Z" },
  },
  "order.upserted": { ...created, type: "order.upserted", data: { order } },
};

function withData(patch: Record<string, unknown>) {
  return JSON.stringify({ ...created, data: { ...created.data, ...patch } });
}

// JSON.parse of a long numeric literal is where the precision loss happens, so write it raw
function withRawNumber(rawBody: string, digits: string) {
  return rawBody.replace('"__number__"', digits);
}

function withOrder(patch: Record<string, unknown>) {
  return withData({ order: { ...order, ...patch } });
}

describe("parseWebhookEvent accepts", () => {
  it.each(Object.entries(validEvents))("%s", (_label, event) => {
    const parsed = parseWebhookEvent(JSON.stringify(event));
    expect(parsed).toMatchObject({ ok: true, event: { type: event.type, id: event.id } });
  });

  it("keeps 19-digit ids exactly as sent", () => {
    const parsed = parseWebhookEvent(JSON.stringify(created));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.event.type === "request.created" && parsed.event.data.order.orderId).toBe("3723456789012345678");
  });

  it("drops unknown fields so the contract can grow without breaking older servers", () => {
    const parsed = parseWebhookEvent(withData({ futureField: 1 }));
    expect(parsed.ok && "futureField" in parsed.event.data).toBe(false);
  });
});

describe("order facts", () => {
  it.each([
    ["left out (unknown)", { completedAt: undefined, receivedAt: undefined, shippedAt: undefined, priorRefund: undefined }],
    ["null (not yet)", { completedAt: null, receivedAt: null, shippedAt: null }],
    ["given with unknownFacts", { shippedAt: "2026-11-11T09:00:00+08:00", unknownFacts: ["received", "prior_refund"], subOrderId: "3723456789012345679" }],
  ])("are accepted %s", (_label, order) => {
    const parsed = parseWebhookEvent(withOrder(order));
    expect(parsed.ok).toBe(true);
  });
});

describe("parseWebhookEvent refuses", () => {
  it.each([
    ["a body that is not JSON", "{", ""],
    ["an empty body", "", ""],
    ["a JSON array", "[]", ""],
    ["JSON null", "null", ""],
    ["a missing id", JSON.stringify({ ...created, id: undefined }), "id"],
    ["an id without evt_", JSON.stringify({ ...created, id: "01JD3X7Q9K" }), "id"],
    ["an id with spaces", JSON.stringify({ ...created, id: "evt_ 1" }), "id"],
    ["an id of 101 characters", JSON.stringify({ ...created, id: `evt_${"a".repeat(97)}` }), "id"],
    ["a missing type", JSON.stringify({ ...created, type: undefined }), "type"],
    ["a numeric type", JSON.stringify({ ...created, type: 1 }), "type"],
    ["occurredAt without offset", JSON.stringify({ ...created, occurredAt: "2026-11-20T10:02:10" }), "occurredAt"],
    ["occurredAt as Unix seconds", JSON.stringify({ ...created, occurredAt: 1795140130 }), "occurredAt"],
    ["an impossible date", JSON.stringify({ ...created, occurredAt: "2026-02-30T10:00:00Z" }), "occurredAt"],
    ["data as an array", JSON.stringify({ ...created, data: [] }), "data"],
    ["missing data", JSON.stringify({ ...created, data: undefined }), "data"],
    [
      "a request id as a JSON number",
      withRawNumber(withData({ requestId: "__number__" }), "7301500100200300401"),
      "data.requestId",
    ],
    [
      "a 19-digit order id written as a number",
      withRawNumber(withOrder({ orderId: "__number__" }), "3723456789012345678"),
      "data.order.orderId",
    ],
    ["a buyer id as a number", withData({ buyer: { id: 2200123456789, nick: "x" } }), "data.buyer.id"],
    ["an empty request id", withData({ requestId: "" }), "data.requestId"],
    ["a request id with a slash", withData({ requestId: "a/b" }), "data.requestId"],
    ["an unknown kind", withData({ kind: "price_protection" }), "data.kind"],
    ["a missing order", withData({ order: undefined }), "data.order"],
    ["money in yuan", withOrder({ amountFen: 89.5 }), "data.order.amountFen"],
    ["money as a string", withOrder({ amountFen: "8900" }), "data.order.amountFen"],
    ["negative money", withOrder({ amountFen: -1 }), "data.order.amountFen"],
    ["money past the safe integers", withOrder({ amountFen: 2 ** 53 }), "data.order.amountFen"],
    ["a negative request amount", withData({ amountFen: -100 }), "data.amountFen"],
    ["entry_reopen as a product kind", withOrder({ supportedKinds: ["entry_reopen"] }), "data.order.supportedKinds[0]"],
    ["an unknown prior refund state", withOrder({ priorRefund: "pending" }), "data.order.priorRefund"],
    ["a completedAt without offset", withOrder({ completedAt: "2026-11-10 10:00:00" }), "data.order.completedAt"],
    ["a shippedAt as Unix seconds", withOrder({ shippedAt: 1795140130 }), "data.order.shippedAt"],
    ["an unknown order fact", withOrder({ unknownFacts: ["weather"] }), "data.order.unknownFacts[0]"],
    ["a sub-order id as a number", withOrder({ subOrderId: 123 }), "data.order.subOrderId"],
    ["an evidence entry that is not a URL", withData({ evidence: ["photo.jpg"] }), "data.evidence[0]"],
    ["a javascript: evidence URL", withData({ evidence: ["javascript:alert(1)"] }), "data.evidence[0]"],
    ["51 evidence URLs", withData({ evidence: Array(51).fill("https://a.example/1.jpg") }), "data.evidence"],
    ["missing evidence", withData({ evidence: undefined }), "data.evidence"],
    ["an empty reason code", withData({ reasonCode: "" }), "data.reasonCode"],
    ["a reason code as a number", withData({ reasonCode: 7 }), "data.reasonCode"],
    ["a claim of 2001 characters", withData({ claim: "问".repeat(2001) }), "data.claim"],
    ["a platform deadline without offset", withData({ platformDeadline: "2026-11-22" }), "data.platformDeadline"],
    [
      "an update that changes nothing",
      JSON.stringify({ ...created, type: "request.updated", data: { requestId: "1" } }),
      "data",
    ],
    [
      "an update with a negative amount",
      JSON.stringify({ ...created, type: "request.updated", data: { requestId: "1", amountFen: -1 } }),
      "data.amountFen",
    ],
    [
      "a resolved proposal without outcome",
      JSON.stringify({ ...created, type: "proposal.resolved", data: { requestId: "1", proposalId: "p1" } }),
      "data.outcome",
    ],
    [
      "an unknown proposal outcome",
      JSON.stringify({
        ...created,
        type: "proposal.resolved",
        data: { requestId: "1", proposalId: "p1", outcome: "expired" },
      }),
      "data.outcome",
    ],
    [
      "a deadline change without the deadline",
      JSON.stringify({ ...created, type: "deadline.changed", data: { requestId: "1" } }),
      "data.platformDeadline",
    ],
    [
      "an order upsert without the order",
      JSON.stringify({ ...created, type: "order.upserted", data: order }),
      "data.order",
    ],
  ])("%s as invalid_event at %j", (_label, rawBody, path) => {
    const parsed = parseWebhookEvent(rawBody);
    expect(parsed).toMatchObject({ ok: false, code: "invalid_event" });
    expect(!parsed.ok && parsed.issues.map((issue) => issue.path)).toContain(path);
    expect(!parsed.ok && parsed.message).toContain(path === "" ? "" : `${path}: `);
  });

  it("explains that platform ids are strings", () => {
    const parsed = parseWebhookEvent(withRawNumber(withOrder({ orderId: "__number__" }), "3723456789012345678"));
    expect(parsed).toMatchObject({
      ok: false,
      message: "data.order.orderId: Platform ids are strings, never numbers",
    });
  });

  it.each([["refund.created"], ["request.Created"], ["request"], ["order.deleted"]])(
    "the unknown type %s as unknown_type, not a schema error",
    (type) => {
      const parsed = parseWebhookEvent(JSON.stringify({ ...created, type, data: { anything: true } }));
      expect(parsed).toMatchObject({ ok: false, code: "unknown_type", issues: [{ path: "type" }] });
      expect(!parsed.ok && parsed.message).toContain(`"${type}"`);
    },
  );

  it("an unknown type on a broken envelope as invalid_event", () => {
    const parsed = parseWebhookEvent(JSON.stringify({ ...created, type: "refund.created", id: "bad" }));
    expect(parsed).toMatchObject({ ok: false, code: "invalid_event", issues: [{ path: "id" }] });
  });
});

describe("isBodyTooLarge", () => {
  it.each([
    [0, false],
    [maxWebhookBodyBytes - 1, false],
    [262_144, false],
    [262_145, true],
  ])("%i bytes → %s", (bodyBytes, expected) => {
    expect(isBodyTooLarge(bodyBytes)).toBe(expected);
  });
});

describe("formatIssuePath", () => {
  it.each([
    [[], ""],
    [["type"], "type"],
    [["data", "order", "amountFen"], "data.order.amountFen"],
    [["data", "evidence", 0], "data.evidence[0]"],
  ])("%j → %s", (path, text) => {
    expect(formatIssuePath(path)).toBe(text);
  });
});

describe("the schemas", () => {
  it("name every event type once", () => {
    expect(webhookEventTypes).toEqual([
      "request.created",
      "request.cancelled",
      "request.updated",
      "proposal.created",
      "proposal.resolved",
      "deadline.changed",
      "order.upserted",
    ]);
  });

  it("convert to JSON Schema for the OpenAPI document", () => {
    expect(() => z.toJSONSchema(webhookEvent)).not.toThrow();
    expect(() => z.toJSONSchema(platformParam)).not.toThrow();
  });

  it.each([["taobao"], ["tmall"], ["douyin"]])("accept the platform %s in the path", (platform) => {
    expect(platformParam.safeParse(platform).success).toBe(true);
  });

  it("refuse a platform we do not connect", () => {
    expect(platformParam.safeParse("jd").success).toBe(false);
  });
});
