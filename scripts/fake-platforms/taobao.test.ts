import { describe, expect, it } from "vitest";
import { topSign } from "@/scripts/fake-platforms/taobao";
import { tmcConnectSign } from "@/scripts/fake-platforms/taobao-tmc";

// The fake router's and the fake TMC server's own sign checks, against the same known answers the adapter's tests
// use (the inputs are written out here, not imported, so both sides are pinned to the documents rather than to each
// other or to a shared fixture).

describe("the fake TOP router's md5 sign", () => {
  // Taobao's own example: open.taobao.com docId=101617 "API调用方法详解" (also jellyfrank/taobao_sdk
  // taobao/tests/test_sign.py), secret helloworld
  const params = {
    method: "taobao.item.seller.get",
    app_key: "12345678",
    session: "test",
    timestamp: "2016-01-01 12:00:00",
    format: "json",
    v: "2.0",
    sign_method: "md5",
    fields: "num_iid,title,nick,price,num",
    num_iid: "11223344",
  };

  it("is Taobao's published sign for its example", () => {
    expect(topSign(params, "helloworld")).toBe("66987CB115214E59E6EC978214934FB8");
  });

  it("leaves the sign parameter itself out, and changes with any other parameter or the secret", () => {
    expect(topSign({ ...params, sign: "66987CB115214E59E6EC978214934FB8" }, "helloworld")).toBe("66987CB115214E59E6EC978214934FB8");
    expect(topSign({ ...params, num_iid: "11223345" }, "helloworld")).not.toBe("66987CB115214E59E6EC978214934FB8");
    expect(topSign(params, "helloworle")).not.toBe("66987CB115214E59E6EC978214934FB8");
  });
});

describe("the fake TMC server's CONNECT sign", () => {
  it("is the known answer for app_key, group_name, timestamp (no public TMC vector exists; computed with coreutils md5sum)", () => {
    // printf '%s' 'helloworldapp_key12345678group_namedefaulttimestamp1451620800000helloworld' | md5sum
    expect(tmcConnectSign({ app_key: "12345678", group_name: "default", timestamp: "1451620800000" }, "helloworld")).toBe("2E03D1348D7B65A366F8DB4BD1435983");
    expect(tmcConnectSign({ app_key: "12345678", group_name: "default", timestamp: "1451620800001" }, "helloworld")).not.toBe("2E03D1348D7B65A366F8DB4BD1435983");
  });

  it("sorts the headers by name, whatever order they come in", () => {
    expect(tmcConnectSign({ timestamp: "1451620800000", group_name: "default", app_key: "12345678" }, "helloworld")).toBe("2E03D1348D7B65A366F8DB4BD1435983");
  });
});
