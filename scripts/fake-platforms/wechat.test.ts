import { describe, expect, it } from "vitest";
import { FakeWechat, fakeWechatDecrypt, fakeWechatEncrypt, fakeWechatMsgSignature } from "@/scripts/fake-platforms/wechat";

// The fake's own codec and checks, against WeChat's published vectors (the same ones the adapter's tests use, so
// both sides are pinned to the documents rather than to each other).

describe("the fake's safe-mode codec", () => {
  it("opens WeChat's 消息加解密 sample (SKIT TestCase_ToolsWxMsgCryptorTests.cs) and signs it to its msg_signature", () => {
    const encrypted =
      "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    const opened = fakeWechatDecrypt("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", encrypted);
    expect(opened.appId).toBe("wx5823bf96d3bd56c7");
    expect(opened.message).toContain("<Content><![CDATA[hello]]></Content>");
    expect(fakeWechatMsgSignature("QDG6eK", "1409659813", "1372623149", encrypted)).toBe("477715d11cdb4164915debcba66cb864d751f3e6");
  });

  it("encrypts WxJava's vector (WxCryptUtilTest.testAesEncrypt) to its published ciphertext", () => {
    expect(fakeWechatEncrypt("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "我是中文abcd123", "wxb11529c136998cb6", Buffer.from("aaaabbbbccccdddd"))).toBe(
      "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
    );
  });
});

describe("the fake's img/upload", () => {
  const keys = { token: "t", aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", appId: "wx1", accessToken: "tok" };
  const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, 1)]);
  const upload = (platform: FakeWechat, media: Buffer, query = "upload_type=0&resp_type=0&height=10&width=10") => {
    const body = Buffer.concat([Buffer.from('--b1\r\nContent-Disposition: form-data; name="media"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'), media, Buffer.from("\r\n--b1--\r\n")]);
    return platform.handle(new URL(`http://fake/channels/ec/basics/img/upload?access_token=tok&${query}`), body, "multipart/form-data; boundary=b1").body as Record<string, unknown>;
  };

  it.each([
    ["a JPEG of exactly 2 MB", jpeg(2 * 1024 * 1024), undefined, { errcode: 0 }],
    ["one byte more", jpeg(2 * 1024 * 1024 + 1), undefined, { errcode: 10020060 }],
    ["a text file", Buffer.from("not an image at all"), undefined, { errcode: 40005 }],
    ["no size in the query", jpeg(100), "upload_type=0&resp_type=0", { errcode: 9700224 }],
    ["resp_type 1 (links, not media ids)", jpeg(100), "upload_type=0&resp_type=1&height=10&width=10", { errcode: 9700224 }],
  ])("%s → %j", (_name, media, query, expected) => {
    expect(upload(new FakeWechat(keys), media, query)).toMatchObject(expected);
  });

  it("a rejection naming a media id it never issued is refused", () => {
    const platform = new FakeWechat(keys);
    const record = platform.addAftersale({ afterSaleOrderId: "2000000000000000001" }, 1_763_604_130);
    const { media_id: mediaId } = (upload(platform, jpeg(100)).pic_file as { media_id: string });
    const reject = (certificates: string[]) =>
      platform.handle(new URL("http://fake/channels/ec/aftersale/rejectapply?access_token=tok"), Buffer.from(JSON.stringify({ after_sale_order_id: record.afterSaleOrderId, reject_reason: "x", reject_reason_type: 6, reject_certificates: certificates }))).body;
    expect(reject(["made-up"])).toMatchObject({ errcode: 9700224 });
    expect(reject([mediaId])).toEqual({ errcode: 0, errmsg: "ok" });
  });
});
