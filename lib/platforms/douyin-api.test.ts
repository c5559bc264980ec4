import { describe, expect, it } from "vitest";
import { PlatformMessageError, parseJsonLossless } from "@/lib/platforms/common";
import { parseDouyinBinaryUpload, parseDouyinMaterial, parseDouyinRejectReasons, parseDouyinTokenGrant } from "@/lib/platforms/douyin-api";
import { rejectReasonListBody } from "@/lib/platforms/fixtures/douyin";

const now = new Date("2026-11-20T02:00:00.000Z");

describe("/afterSale/rejectReasonCodeList → the shop's reject reasons", () => {
  it("one reason per code (evidence wanted if any row wants it), virtual-goods reasons left out", () => {
    expect(parseDouyinRejectReasons(parseJsonLossless(rejectReasonListBody))).toEqual([
      { id: "2", text: "商品无质量问题", tips: "请上传商品完好的照片", isEvidenceRequired: true },
      { id: "8", text: "其他", tips: "请上传凭证", isEvidenceRequired: true },
    ]);
  });

  it("evidence_need N is not required; an error answer throws", () => {
    expect(parseDouyinRejectReasons({ code: 10000, data: { items: [{ reject_reason_code: 3, reason: "已超出售后期", evidence_need: "N", evidence_description: "", order_type: -1, pkg: -1 }] } })).toEqual([
      { id: "3", text: "已超出售后期", tips: null, isEvidenceRequired: false },
    ]);
    expect(() => parseDouyinRejectReasons({ code: 30001, msg: "操作权限不足", sub_code: "isv.app-permissions-insufficient", sub_msg: "应用无权限调用该接口" })).toThrow(/应用无权限/);
  });
});

describe("/token/refresh → a token grant", () => {
  it.each([
    { name: "expires_in as seconds left", expiresIn: 604800, expiresAt: "2026-11-27T02:00:00.000Z" },
    { name: "expires_in as a Unix time", expiresIn: 1795140130, expiresAt: "2026-11-20T02:02:10.000Z" },
  ])("$name", ({ expiresIn, expiresAt }) => {
    const grant = parseDouyinTokenGrant({ code: 10000, msg: "success", data: { access_token: "a2", expires_in: expiresIn, refresh_token: "r2", shop_id: 10437917 } }, now, "10437917");
    expect(grant).toEqual({ accessToken: "a2", accessTokenExpiresAt: new Date(expiresAt), refreshToken: "r2", refreshTokenExpiresAt: new Date("2026-12-04T02:00:00.000Z") });
  });

  it("refuses an error, a missing token, or another shop's token", () => {
    expect(() => parseDouyinTokenGrant({ code: 50001, msg: "平台处理失败", sub_code: "dop.token-generate-failed:token-expired", sub_msg: "生成token失败，token已过期" }, now)).toThrow(/token已过期/);
    expect(() => parseDouyinTokenGrant({ code: 10000, data: { expires_in: 100 } }, now)).toThrow(PlatformMessageError);
    expect(() => parseDouyinTokenGrant({ code: 10000, data: { access_token: "a", expires_in: 100, shop_id: 1 } }, now, "10437917")).toThrow(/shop 1/);
  });
});

describe("proof upload answers", () => {
  it("/open/binaryupload gives the store_uri", () => {
    expect(parseDouyinBinaryUpload({ code: 10000, data: { store_uri: "tos-cn-i-7veqoeduo3/fb4613ec70694bf2ad0c548e946af583" } })).toBe("tos-cn-i-7veqoeduo3/fb4613ec70694bf2ad0c548e946af583");
    expect(() => parseDouyinBinaryUpload({ code: 10000, data: {} })).toThrow(PlatformMessageError);
  });

  it("/material/uploadImageSync and /material/queryMaterialDetail: audit status and byte_url", () => {
    expect(parseDouyinMaterial({ code: 10000, data: { material_id: "7000", folder_id: "0", is_new: true, audit_status: 1 } })).toEqual({ materialId: "7000", auditStatus: 1, byteUrl: null, rejectReason: null });
    expect(parseDouyinMaterial({ code: 10000, data: { material_info: { material_id: "7000", audit_status: 3, byte_url: "https://p3-aio.ecombdimg.com/obj/m/7000.jpg" } } })).toEqual({
      materialId: "7000",
      auditStatus: 3,
      byteUrl: "https://p3-aio.ecombdimg.com/obj/m/7000.jpg",
      rejectReason: null,
    });
    expect(parseDouyinMaterial({ code: 10000, data: { material_info: { material_id: "7000", audit_status: 4, audit_reject_desc: "图片违规" } } })).toMatchObject({ auditStatus: 4, rejectReason: "图片违规" });
  });
});
