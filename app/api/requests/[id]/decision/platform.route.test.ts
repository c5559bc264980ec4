import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { addPendingRequest, callRoute, expectApiError, expectNothingChanged, setUpRouteDesk } from "@/app/_server/test-support";
import { createShop } from "@/db/factories";
import { evidenceFiles, requests } from "@/db/schema";
import { upsertPlatformApp } from "@/db/queries/platforms";
import { platformRefunds, platformRejectReasons } from "@/db/schema-platforms";
import { outbox } from "@/db/schema-webhooks";
import type { Platform, RequestKind } from "@/lib/domain";
import { newId } from "@/lib/ids";
import { getRejectReasonListKey } from "@/lib/platforms/reject-reasons";
import type { NativeRefund, PlatformRejectReason, Protocol } from "@/lib/platforms/types";
import { hourMs } from "@/lib/time";

vi.mock("server-only", () => ({}));

// The decision endpoint for a shop connected to its platform: what the platform's API cannot take is refused before
// the desk records anything (db/queries/decision-policy.ts, lib/platforms/answer-table.ts). Each shop here has its
// platform app, today's reason list cached (so no platform is called) and the refund's native state stored.

const { POST: decide } = await import("@/app/api/requests/[id]/decision/route");
const { GET: rejectReasons } = await import("@/app/api/requests/[id]/reject-reasons/route");
const { POST: counterOffer } = await import("@/app/api/requests/[id]/counter-offer/route");

const desk = setUpRouteDesk();
const png = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
const protocolOf: Record<Platform, Protocol> = { taobao: "taobao_tmc", tmall: "taobao_tmc", douyin: "douyin_push", wechat: "wechat_ec" };

const douyinReasons: PlatformRejectReason[] = [
  { id: "101", text: "买家已使用商品", tips: "请上传商品使用痕迹照片", isEvidenceRequired: true },
  { id: "102", text: "已与买家协商一致", tips: null, isEvidenceRequired: false },
];
const tmallReasons: PlatformRejectReason[] = [{ id: "3001", text: "商品无质量问题", tips: null, isEvidenceRequired: true }];

const reasonsOfShop = new Map<string, PlatformRejectReason[]>();

/** A shop connected to its platform; `reasons` is the list its platform gives, cached an hour ago for each card. */
async function connectShop(platform: Platform, reasons: PlatformRejectReason[]): Promise<string> {
  const shopId = await createShop(desk.db, { merchantId: desk.merchantId, platform, name: `A ${platform} 已连接 ${newId("shop").slice(-4)}` });
  // Stored as the settings page stores it: the secrets sealed
  await upsertPlatformApp(
    desk.db,
    {
      shopId,
      protocol: protocolOf[platform],
      appKey: "7001",
      appSecret: "secret",
      platformShopId: `p-${shopId}`,
      apiBaseUrl: "http://127.0.0.1:9/never-answers",
      accessToken: "token",
      settings: platform === "tmall" ? { isTmall: true } : {},
    },
    new Date(),
  );
  reasonsOfShop.set(shopId, reasons);
  return shopId;
}

/** A pending card on a shipped order with its platform state stored (the desk's own rules let it be refused). */
async function addConnectedCard(shopId: string, kind: RequestKind, native: Pick<NativeRefund, "protocol" | "status" | "platformType"> & Partial<NativeRefund>) {
  const platformRequestId = `rf-${newId("req").slice(-8)}`;
  const card = await addPendingRequest(desk.db, shopId, {
    kind,
    platformRequestId,
    order: { shippedAt: new Date(Date.now() - 48 * hourMs), receivedAt: new Date(Date.now() - 3 * hourMs) },
  });
  const stored: NativeRefund = { refundId: platformRequestId, orderId: "o-1", kind, version: "1", intervention: null, ...native };
  await desk.db.insert(platformRefunds).values({ shopId, platformRequestId, native: stored, updatedAt: new Date() });
  await desk.db
    .insert(platformRejectReasons)
    .values({ shopId, kind: getRejectReasonListKey(kind, stored), reasons: reasonsOfShop.get(shopId) ?? [], fetchedAt: new Date(Date.now() - hourMs) })
    .onConflictDoNothing();
  return card;
}

async function addProof(shopId: string): Promise<string> {
  const id = newId("evd");
  await desk.db.insert(evidenceFiles).values({ id, shopId, name: "签收照片.png", mimeType: "image/png", bytes: png });
  return id;
}

const reject = (id: string, body: Record<string, unknown>) => callRoute(decide, { as: desk.owner, method: "POST", params: { id }, json: { decision: "reject", ...body } });
const approve = (id: string) => callRoute(decide, { as: desk.owner, method: "POST", params: { id }, json: { decision: "approve" } });

/** Refused and nothing stored: the card is still pending and no answer waits in the outbox. */
async function expectRefusedUnchanged(requestId: string, call: () => Promise<Response>) {
  const response = await expectNothingChanged(desk.db, call);
  const [row] = await desk.db.select({ status: requests.status }).from(requests).where(eq(requests.id, requestId));
  expect(row.status).toBe("pending");
  expect(await desk.db.select().from(outbox).where(eq(outbox.requestId, requestId))).toEqual([]);
  return response;
}

describe("POST /api/requests/:id/decision for a connected platform shop", () => {
  it("422 platform_refuses for a Tmall message too long as TOP counts it (UTF-16 units), though short in characters", async () => {
    const shopId = await connectShop("tmall", tmallReasons);
    const { requestId } = await addConnectedCard(shopId, "refund_only", { protocol: "taobao_tmc", status: "WAIT_SELLER_AGREE", platformType: "REFUND", refundPhase: "onsale" });
    // 150 characters (the desk's own bound is 200) but 300 UTF-16 units: TOP refuses refuse_message over 200
    const message = "😀".repeat(150);
    const proof = await addProof(shopId);
    const withProof = await expectRefusedUnchanged(requestId, () => reject(requestId, { reasonCode: "3001", message, evidenceIds: [proof] }));
    expect((await expectApiError(withProof, 422, "platform_refuses")).problems).toEqual([{ code: "message_length", min: 2, max: 200, chars: 300 }]);
  });

  it("422 rejection_incomplete for two proof images on a Tmall shop: its refuse API takes one, and the desk never drops one", async () => {
    const shopId = await connectShop("tmall", tmallReasons);
    const { requestId } = await addConnectedCard(shopId, "refund_only", { protocol: "taobao_tmc", status: "WAIT_SELLER_AGREE", platformType: "REFUND", refundPhase: "onsale" });
    const proofs = [await addProof(shopId), await addProof(shopId)];
    const response = await expectRefusedUnchanged(requestId, () => reject(requestId, { reasonCode: "3001", message: "商品无质量问题", evidenceIds: proofs }));
    expect((await expectApiError(response, 422, "rejection_incomplete")).missing).toEqual([{ code: "evidence_too_many", maxFiles: 1, files: 2 }]);
    expect((await reject(requestId, { reasonCode: "3001", message: "商品无质量问题", evidenceIds: proofs.slice(0, 1) })).status).toBe(200);
  });

  it("422 answer_not_offered for refusing a Douyin 未发货仅退款 (aftersale_type 2): shipping the order is the refusal", async () => {
    const shopId = await connectShop("douyin", douyinReasons);
    const { requestId } = await addConnectedCard(shopId, "refund_only", { protocol: "douyin_push", status: "6", platformType: "2" });
    const response = await expectRefusedUnchanged(requestId, () => reject(requestId, { reasonCode: "102", message: "已与买家协商一致" }));
    expect(await expectApiError(response, 422, "answer_not_offered")).toMatchObject({ reason: "unshipped_refund_cannot_reject" });
  });

  it.each([
    ["approving a Tmall 维修, which has no open API", "tmall", "repair", { protocol: "taobao_tmc", status: "WAIT_SELLER_AGREE", platformType: "REPAIR" }, "no_api_for_kind"],
    ["approving a Douyin refund the platform has moved past the seller's answer", "douyin", "refund_only", { protocol: "douyin_push", status: "12", platformType: "1" }, "no_api_for_state"],
    // Cells no adapter ever sees: no Douyin or WeChat after-sale type becomes a re-opened entry, none of WeChat's a 维修
    ["approving a re-opened entry on Douyin, done in the 抖店 backend", "douyin", "entry_reopen", { protocol: "douyin_push", status: "6", platformType: "1" }, "entry_reopen_in_backend"],
    ["approving a re-opened entry on WeChat, done in the 小店 backend", "wechat", "entry_reopen", { protocol: "wechat_ec", status: "MERCHANT_PROCESSING", platformType: "REFUND" }, "entry_reopen_in_backend"],
    ["approving a WeChat 维修, which has no open API", "wechat", "repair", { protocol: "wechat_ec", status: "MERCHANT_PROCESSING", platformType: "REFUND" }, "no_api_for_kind"],
  ] as const)("422 answer_not_offered with the reason for %s", async (_label, platform, kind, native, reason) => {
    const shopId = await connectShop(platform, platform === "douyin" ? douyinReasons : tmallReasons);
    const { requestId } = await addConnectedCard(shopId, kind, native);
    const response = await expectRefusedUnchanged(requestId, () => approve(requestId));
    expect(await expectApiError(response, 422, "answer_not_offered")).toMatchObject({ reason });
  });

  it.each([
    ["taobao", { protocol: "taobao_tmc", status: "WAIT_SELLER_AGREE", platformType: "REFUND" }],
    ["tmall", { protocol: "taobao_tmc", status: "WAIT_SELLER_AGREE", platformType: "REFUND" }],
    ["douyin", { protocol: "douyin_push", status: "6", platformType: "1" }],
    ["wechat", { protocol: "wechat_ec", status: "MERCHANT_PROCESSING", platformType: "REFUND" }],
  ] as const)("422 answer_not_offered for a 还价 (counter-offer) on a %s shop: no platform's open API takes one", async (platform, native) => {
    const shopId = await connectShop(platform, platform === "douyin" ? douyinReasons : tmallReasons);
    const { requestId } = await addConnectedCard(shopId, "refund_only", native);
    // The same offer on a shop not connected is taken (route.test.ts): here only the platform refuses it
    const response = await expectRefusedUnchanged(requestId, () => callRoute(counterOffer, { as: desk.owner, method: "POST", params: { id: requestId }, json: { kind: "partial_refund", amountFen: 100 } }));
    expect(await expectApiError(response, 422, "answer_not_offered")).toMatchObject({ reason: "counter_offer_not_offered" });
  });

  it("422 rejection_incomplete when the platform's reason wants proof and none is attached; with it the rejection goes out", async () => {
    const shopId = await connectShop("douyin", douyinReasons);
    const { requestId } = await addConnectedCard(shopId, "return_refund", { protocol: "douyin_push", status: "6", platformType: "0" });
    const response = await expectRefusedUnchanged(requestId, () => reject(requestId, { reasonCode: "101", message: "买家已使用商品" }));
    expect((await expectApiError(response, 422, "rejection_incomplete")).missing).toEqual([{ code: "evidence_missing", requiredBy: "reason" }]);
    const proof = await addProof(shopId);
    const accepted = await reject(requestId, { reasonCode: "101", message: "买家已使用商品", evidenceIds: [proof] });
    expect(accepted.status).toBe(200);
  });

  it("keeps the platform's own words for the reason with the rejection, never words the request brings", async () => {
    const shopId = await connectShop("douyin", douyinReasons);
    const { requestId } = await addConnectedCard(shopId, "return_refund", { protocol: "douyin_push", status: "6", platformType: "0" });
    // The words cannot come with the request: the body takes no such field
    await expectApiError(await expectRefusedUnchanged(requestId, () => reject(requestId, { reasonCode: "102", message: "已与买家协商一致", reasonText: "买家同意了（伪造）" })), 422, "invalid_body");
    const accepted = await reject(requestId, { reasonCode: "102", message: "已与买家协商一致" });
    expect(accepted.status).toBe(200);
    const { card } = (await accepted.json()) as { card: { rejectReasonCode: string; rejectReasonText: string | null } };
    expect(card).toMatchObject({ rejectReasonCode: "102", rejectReasonText: "已与买家协商一致" });
    const [row] = await desk.db.select({ text: requests.rejectReasonText }).from(requests).where(eq(requests.id, requestId));
    expect(row.text).toBe("已与买家协商一致");
  });
});

describe("GET /api/requests/:id/reject-reasons for a connected platform shop", () => {
  it("returns the platform's own reason ids, whether each wants proof, and its tips, from today's list", async () => {
    const shopId = await connectShop("douyin", douyinReasons);
    const { requestId } = await addConnectedCard(shopId, "return_refund", { protocol: "douyin_push", status: "6", platformType: "0" });
    const response = await callRoute(rejectReasons, { as: desk.owner, params: { id: requestId } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({ source: "platform", reasons: douyinReasons, fetchedAt: expect.any(String), isStale: false });
    expect(body.reasons.map((reason: PlatformRejectReason) => [reason.id, reason.isEvidenceRequired, reason.tips])).toEqual([
      ["101", true, "请上传商品使用痕迹照片"],
      ["102", false, null],
    ]);
  });

  it("a Taobao/Tmall refund gets the list for its own phase and state, not another refund's: with none cached and the platform unreachable, none", async () => {
    const shopId = await connectShop("tmall", tmallReasons);
    const { requestId } = await addConnectedCard(shopId, "refund_only", { protocol: "taobao_tmc", status: "WAIT_SELLER_AGREE", platformType: "REFUND", refundPhase: "onsale" });
    // A refund of the same kind in the other phase: its list was never read, and the platform (a closed port) cannot be
    const other = await addPendingRequest(desk.db, shopId, { kind: "refund_only", platformRequestId: "rf-aftersale-1" });
    await desk.db.insert(platformRefunds).values({
      shopId,
      platformRequestId: "rf-aftersale-1",
      native: { protocol: "taobao_tmc", refundId: "rf-aftersale-1", orderId: "o-2", kind: "refund_only", status: "WAIT_SELLER_AGREE", platformType: "REFUND", refundPhase: "aftersale", version: "1", intervention: null },
      updatedAt: new Date(),
    });
    const mine = await (await callRoute(rejectReasons, { as: desk.owner, params: { id: requestId } })).json();
    expect(mine.reasons).toEqual(tmallReasons);
    const theirs = await (await callRoute(rejectReasons, { as: desk.owner, params: { id: other.requestId } })).json();
    expect(theirs).toEqual({ source: "platform", reasons: null, fetchedAt: null, isStale: false });
  });
});
