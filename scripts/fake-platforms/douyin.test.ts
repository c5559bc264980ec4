import { describe, expect, it } from "vitest";
import { apiSign, pushSign } from "@/scripts/fake-platforms/douyin";

// The fake 抖店's own signers, against the same known answers the adapter's tests use (written out here, not
// imported). No public known-answer vector exists for either signature: Douyin's guides give the algorithm and
// sample parameters but no resulting sign, and the public SDKs test only the length or nothing. These were computed
// apart from both the fake and the adapter with the openssl command line (and again with Python's hashlib/hmac):
//   printf '%s' "$app_key$body$app_secret" | openssl dgst -md5
//   printf '%s' "${secret}app_key${key}method${method}param_json${json}timestamp${ts}v2${secret}" | openssl dgst -sha256 -hmac "$secret"
// The API inputs are the sample parameters of Douyin's API调用指南 (app_key 3409409348479354011, method
// product.getGoodsCategory, param_json {"cid":"12","page":"1"}) with 2020-09-15 14:48:13 +08:00 as Unix seconds and
// an invented secret (the guide publishes none).

describe("the fake's push event-sign", () => {
  it.each([
    { body: '[{"tag":"200","msg_id":"7301122334455667788","data":"{\\"aftersale_id\\":7301500100200300401}"}]', sign: "6e82ab10b5ad762e15a18838ebeaaae6" },
    { body: '[{"tag":"200","msg_id":"7301122334455667788","data":"{\\"aftersale_id\\":7301500100200300401,\\"note\\":\\"橙子\\"}"}]', sign: "964e89aa8bf4ea33a6e1d0ffc797839c" },
  ])("md5(app_key + body + app_secret), UTF-8, lowercase hex: $sign", ({ body, sign }) => {
    expect(pushSign("7123456789012345678", "fixture-secret-douyin", body)).toBe(sign);
  });
});

describe("the fake's API sign", () => {
  it.each([
    { method: "product.getGoodsCategory", timestamp: "1600152493", paramJson: '{"cid":"12","page":"1"}', sign: "4ba5d1ff8ea1cdd1958c8e505191c9434b196127bc1e0349018b27c43aa53a5f" },
    {
      method: "afterSale.operate",
      timestamp: "1763604130",
      paramJson: '{"items":[{"aftersale_id":"7301500100200300401","reason":"商品无质量问题"}],"type":202}',
      sign: "d6493cd43abb5dfb5fd38a912f80a14ba750e11c819ec9a800f68a67e92f24df",
    },
  ])("hmac-sha256 keyed by the secret over the secret-wrapped param string: $method", ({ method, timestamp, paramJson, sign }) => {
    expect(apiSign("3409409348479354011", "app-secret-for-test", method, paramJson, timestamp)).toBe(sign);
  });
});
