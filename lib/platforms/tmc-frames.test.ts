import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PlatformMessageError } from "@/lib/platforms/common";
import { signTmcConnect, signTop } from "@/lib/platforms/taobao/top-api";
import { decodeTmcFrame, encodeTmcFrame, getTmcReconnectDelayMs, type TmcFrame } from "@/lib/platforms/tmc-frames";
import { decodeTmcPacket, encodeTmcPacket, type TmcPacket } from "@/lib/platforms/tmc-packets";

// Frames below are written out byte by byte from the layout in docs/platforms/tmc.md (little-endian; a counted
// string is an int32 byte length then UTF-8), with these tiny helpers, never with the codec under test.
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");
const u8 = (value: number) => Buffer.from([value & 0xff]);
const le16 = (value: number) => Buffer.from([value & 0xff, (value >> 8) & 0xff]);
const le32 = (value: number) => Buffer.from([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]);
const le64 = (value: bigint) => {
  const out = Buffer.alloc(8);
  let rest = BigInt.asUintN(64, value);
  for (let index = 0; index < 8; index++, rest >>= BigInt(8)) out[index] = Number(rest & BigInt(0xff));
  return out;
};
const counted = (text: string) => Buffer.concat([le32(Buffer.byteLength(text)), Buffer.from(text, "utf8")]);
const bytes = (...parts: Buffer[]) => Buffer.concat(parts);
// Header tags and value formats, spelled out
const END = le16(0);
const token = (text: string) => bytes(le16(5), counted(text));
const custom = (name: string, format: number, value: Buffer) => bytes(le16(1), counted(name), u8(format), value);
const str = (name: string, text: string) => custom(name, 1, counted(text));
const kind = (value: number) => custom("__kind", 2, u8(value));
const int64 = (name: string, value: bigint) => custom(name, 5, le64(value));
const date = (name: string, ms: number) => custom(name, 6, le64(BigInt(ms)));

const messageId = "8104001234567890123";

describe("TMC CONNECT sign", () => {
  it("the TOP md5 recipe matches Taobao's published example (open.taobao.com docId=101617 'API调用方法详解': secret helloworld)", () => {
    const params = { method: "taobao.item.seller.get", app_key: "12345678", session: "test", timestamp: "2016-01-01 12:00:00", format: "json", v: "2.0", sign_method: "md5", fields: "num_iid,title,nick,price,num", num_iid: "11223344" };
    expect(signTop(params, "helloworld")).toBe("66987CB115214E59E6EC978214934FB8");
  });

  it.each([
    ["12345678", "helloworld", "default", 1451620800000],
    ["12497914", "s3cret", "other-group", 1763604130000],
  ])("is the TOP md5 sign over app_key, group_name, timestamp (as the Java SDK's TmcClient builds it): %s/%s", (appKey, secret, group, ms) => {
    expect(signTmcConnect(appKey, secret, group, ms)).toBe(signTop({ app_key: appKey, group_name: group, timestamp: String(ms) }, secret));
  });

  it("known answer: no public TMC vector exists; this one was computed with coreutils md5sum over the concatenated string", () => {
    // printf '%s' 'helloworldapp_key12345678group_namedefaulttimestamp1451620800000helloworld' | md5sum
    expect(signTmcConnect("12345678", "helloworld", "default", 1451620800000)).toBe("2E03D1348D7B65A366F8DB4BD1435983");
    expect(signTmcConnect("12345678", "helloworld", "default", 1451620800001)).not.toBe("2E03D1348D7B65A366F8DB4BD1435983");
  });
});

describe("TMC frames built by hand", () => {
  it("a confirm, literal bytes: version 2, SEND, token, __kind byte 2, id int64, end", () => {
    const wire = hex(`
      02 02
      05 00  02 00 00 00  74 31
      01 00  06 00 00 00  5f 5f 6b 69 6e 64  02  02
      01 00  02 00 00 00  69 64  05  cb 04 bf 9d 2f 32 77 70
      00 00`);
    expect(decodeTmcFrame(wire)).toEqual({ type: "confirm", token: "t1", id: messageId });
    expect(encodeTmcFrame({ type: "confirm", token: "t1", id: messageId })).toEqual(wire);
  });

  const connect = bytes(u8(2), u8(0), str("app_key", "12497914"), str("group_name", "default"), str("timestamp", "1763604130000"), str("sign", "ABCDEF"), str("sdk", "shouhoutai"), END);
  const decoded: [string, Buffer, TmcFrame][] = [
    ["CONNECT (timestamp as text, as the SDKs send it)", connect, { type: "connect", appKey: "12497914", groupName: "default", timestamp: 1763604130000, sign: "ABCDEF", sdk: "shouhoutai" }],
    [
      "CONNECT with flag, int64 timestamp and a void intranet_ip",
      bytes(u8(2), u8(0), le16(4), le32(1), str("app_key", "k"), str("group_name", "g"), int64("timestamp", BigInt(1763604130000)), str("sign", "S"), custom("intranet_ip", 0, Buffer.alloc(0)), END),
      { type: "connect", appKey: "k", groupName: "g", timestamp: 1763604130000, sign: "S" },
    ],
    ["CONNECTACK with a token", bytes(u8(2), u8(1), le16(4), le32(1), token("0b7c-uuid"), END), { type: "connected", token: "0b7c-uuid" }],
    ["CONNECTACK refused: status code int32 and phrase", bytes(u8(2), u8(1), le16(2), le32(400), le16(3), counted("sign 错误"), END), { type: "refused", code: 400, reason: "sign 错误" }],
    ["CONNECTACK refused by phrase alone", bytes(u8(2), u8(1), le16(3), counted("app_key 不存在"), END), { type: "refused", code: 0, reason: "app_key 不存在" }],
    ["pull", bytes(u8(2), u8(2), token("t1"), kind(1), END), { type: "pull", token: "t1" }],
    ["pull with __kind as int32", bytes(u8(2), u8(2), token("t1"), custom("__kind", 4, le32(1)), END), { type: "pull", token: "t1" }],
    ["failed (kind 20) with its reason", bytes(u8(2), u8(2), token("t1"), kind(20), int64("id", BigInt(messageId)), str("msg", "refund.get 超时"), END), { type: "failed", token: "t1", id: messageId, reason: "refund.get 超时" }],
    ["failed sent as SENDACK (tmc.js does so)", bytes(u8(2), u8(3), kind(20), custom("id", 4, le32(77)), END), { type: "failed", id: "77", reason: "" }],
    ["a SEND with a status is TMC's complaint", bytes(u8(2), u8(2), le16(2), le32(500), le16(3), counted("token 无效"), token("t1"), END), { type: "error", code: 500, reason: "token 无效" }],
    ["a bare SENDACK", bytes(u8(2), u8(3), token("t1"), END), { type: "other", messageType: 3, kind: null }],
    ["an unknown kind", bytes(u8(2), u8(2), kind(9), END), { type: "other", messageType: 2, kind: 9 }],
  ];

  it.each(decoded)("%s", (_name, wire, frame) => {
    expect(decodeTmcFrame(wire)).toEqual(frame);
  });

  it("the encoder writes CONNECT, pull and failed exactly as built by hand", () => {
    expect(encodeTmcFrame({ type: "connect", appKey: "12497914", groupName: "default", timestamp: 1763604130000, sign: "ABCDEF", sdk: "shouhoutai" })).toEqual(connect);
    expect(encodeTmcFrame({ type: "pull", token: "t1" })).toEqual(bytes(u8(2), u8(2), token("t1"), kind(1), END));
    expect(encodeTmcFrame({ type: "failed", token: "t1", id: "5", reason: "x" })).toEqual(bytes(u8(2), u8(2), token("t1"), kind(20), int64("id", BigInt(5)), str("msg", "x"), END));
  });

  const content = '{"refund_id":181784773340365852,"tid":2918463734761365258,"seller_nick":"木槿旗舰店"}';
  const dataFrame = bytes(
    u8(2),
    u8(2),
    token("t1"),
    kind(3),
    int64("id", BigInt(messageId)),
    str("topic", "taobao_refund_RefundCreated"),
    str("content", content),
    date("time", Date.UTC(2026, 10, 20, 2, 2, 10)),
    str("publisher", "4272"),
    int64("userid", BigInt("2200000000001")),
    str("nick", "木槿旗舰店"),
    int64("dataid", BigInt("181784773340365852")),
    date("outtime", Date.UTC(2026, 10, 20, 2, 2, 11, 500)),
    custom("retried", 4, le32(2)),
    END,
  );
  const dataMessage = {
    id: messageId,
    topic: "taobao_refund_RefundCreated",
    content,
    time: "2026-11-20T02:02:10.000Z",
    publisher: "4272",
    userid: "2200000000001",
    nick: "木槿旗舰店",
    dataid: "181784773340365852",
    outtime: "2026-11-20T02:02:11.500Z",
    retried: 2,
  };

  it("a data frame: int64 ids stay exact, dates become instants, UTF-8 nick, int32 retried", () => {
    expect(decodeTmcFrame(dataFrame)).toEqual({ type: "message", token: "t1", message: dataMessage });
  });

  it("a data frame without __kind, content as gzipped bytes, text times, int16 retried, the largest int64 id", () => {
    const gz = gzipSync(Buffer.from(content, "utf8"));
    const wire = bytes(u8(2), u8(2), int64("id", BigInt("9223372036854775807")), str("topic", "taobao_refund_RefundClosed"), custom("content", 7, bytes(le32(gz.length), gz)), str("time", "2026-11-20 10:02:10"), custom("retried", 3, le16(300)), END);
    expect(decodeTmcFrame(wire)).toEqual({
      type: "message",
      message: { id: "9223372036854775807", topic: "taobao_refund_RefundClosed", content, time: "2026-11-20 10:02:10", publisher: "", userid: "", nick: "", dataid: "", outtime: "", retried: 300 },
    });
  });

  it("a repeated header name: the last one counts; bytes after the end tag are ignored", () => {
    const wire = bytes(u8(2), u8(2), kind(1), kind(2), int64("id", BigInt(1)), int64("id", BigInt(2)), END, hex("de ad be ef"));
    expect(decodeTmcFrame(wire)).toEqual({ type: "confirm", id: "2" });
  });

  it("a packet keeps every value format and the header order", () => {
    const wire = bytes(
      u8(2),
      u8(3),
      le16(2),
      le32(-1),
      le16(4),
      le32(7),
      custom("v", 0, Buffer.alloc(0)),
      custom("b", 2, u8(-5)),
      custom("s", 3, le16(-300)),
      custom("i", 4, le32(-70000)),
      custom("l", 5, le64(BigInt(-2))),
      custom("d", 6, le64(BigInt(1000))),
      custom("a", 7, bytes(le32(3), hex("00 ff 10"))),
      str("e", ""),
      END,
    );
    const packet: TmcPacket = {
      messageType: 3,
      statusCode: -1,
      flag: 7,
      headers: [
        ["v", { format: "void" }],
        ["b", { format: "byte", value: -5 }],
        ["s", { format: "int16", value: -300 }],
        ["i", { format: "int32", value: -70000 }],
        ["l", { format: "int64", value: BigInt(-2) }],
        ["d", { format: "date", value: BigInt(1000) }],
        ["a", { format: "bytes", value: new Uint8Array([0, 255, 16]) }],
        ["e", { format: "string", value: "" }],
      ],
    };
    const decodedPacket = decodeTmcPacket(wire);
    expect({ ...decodedPacket, headers: decodedPacket.headers.map(([name, value]) => [name, value.format === "bytes" ? { ...value, value: [...value.value] } : value]) }).toEqual({
      ...packet,
      headers: packet.headers.map(([name, value]) => [name, value.format === "bytes" ? { ...value, value: [...value.value] } : value]),
    });
    expect(encodeTmcPacket(packet)).toEqual(wire);
  });
});

describe("TMC frame round trips", () => {
  const message = {
    id: messageId,
    topic: "taobao_refund_RefundCreated",
    content: '{"refund_id":181784773340365852}',
    time: "2026-11-20T02:02:10.000Z",
    publisher: "4272",
    userid: "2200000000001",
    nick: "demo_shop",
    dataid: "181784773340365852",
    outtime: "2026-11-20 10:02:10",
    retried: 0,
  };
  it.each<TmcFrame>([
    { type: "connect", appKey: "12497914", groupName: "default", timestamp: 1763604130000, sign: "ABC" },
    { type: "connected", token: "tok" },
    { type: "refused", code: 401, reason: "sign 错误" },
    { type: "pull", token: "tok" },
    { type: "pull" },
    { type: "message", token: "tok", message },
    { type: "message", message: { ...message, publisher: "", userid: "", nick: "", dataid: "", time: "", outtime: "", retried: 3 } },
    { type: "confirm", token: "tok", id: "9223372036854775807" },
    { type: "failed", token: "tok", id: messageId, reason: "refund.get failed" },
    { type: "error", code: 500, reason: "busy" },
    { type: "other", messageType: 3, kind: null },
  ])("$type round-trips", (frame) => {
    expect(decodeTmcFrame(encodeTmcFrame(frame))).toEqual(frame);
  });
});

describe("TMC frames from untrusted bytes", () => {
  const confirm = bytes(u8(2), u8(2), token("t1"), kind(2), int64("id", BigInt(messageId)), END);
  const message = bytes(u8(2), u8(2), kind(3), int64("id", BigInt(1)), str("topic", "t"), str("content", "{}"), END);

  it.each<[string, Buffer]>([
    ["empty", Buffer.alloc(0)],
    ["only the version", u8(2)],
    ["protocol version 1", bytes(u8(1), u8(2), END)],
    ["protocol version 3", bytes(u8(3), u8(2), END)],
    ["message type 7", bytes(u8(2), u8(7), END)],
    ["no end tag", bytes(u8(2), u8(2), kind(1))],
    ["an unknown header tag", bytes(u8(2), u8(2), le16(9), le32(0), END)],
    ["an unknown value format", bytes(u8(2), u8(2), custom("x", 8, le32(0)), END)],
    ["a negative string length", bytes(u8(2), u8(2), le16(5), le32(-1), END)],
    ["a string longer than the frame", bytes(u8(2), u8(2), le16(5), le32(0x7fffffff), hex("41 42"))],
    ["a byte array longer than the frame", bytes(u8(2), u8(2), custom("content", 7, le32(1000)), END)],
    ["invalid UTF-8", bytes(u8(2), u8(2), le16(5), le32(2), hex("c3 28"), END)],
    ["a confirm without id", bytes(u8(2), u8(2), kind(2), END)],
    ["a confirm with a negative id", bytes(u8(2), u8(2), kind(2), int64("id", BigInt(-1)), END)],
    ["a confirm whose id is text", bytes(u8(2), u8(2), kind(2), str("id", "12; DROP"), END)],
    ["a data frame without content", bytes(u8(2), u8(2), kind(3), int64("id", BigInt(1)), str("topic", "t"), END)],
    ["a data frame with an empty topic", bytes(u8(2), u8(2), kind(3), int64("id", BigInt(1)), str("topic", ""), str("content", "{}"), END)],
    ["a data frame whose content bytes are not gzip", bytes(u8(2), u8(2), kind(3), int64("id", BigInt(1)), str("topic", "t"), custom("content", 7, bytes(le32(2), hex("7b 7d"))), END)],
    ["a data frame with a date beyond any calendar", bytes(u8(2), u8(2), kind(3), int64("id", BigInt(1)), str("topic", "t"), str("content", "{}"), date("time", 9e15), END)],
    ["a data frame with a negative retried", bytes(u8(2), u8(2), kind(3), int64("id", BigInt(1)), str("topic", "t"), str("content", "{}"), custom("retried", 2, u8(-1)), END)],
    ["a CONNECT without sign", bytes(u8(2), u8(0), str("app_key", "k"), str("group_name", "g"), str("timestamp", "1"), END)],
    ["a CONNECT with a text timestamp that is not a number", bytes(u8(2), u8(0), str("app_key", "k"), str("group_name", "g"), str("timestamp", "yesterday"), str("sign", "S"), END)],
    ["a CONNECTACK with neither token nor status", bytes(u8(2), u8(1), END)],
  ])("refuses %s", (_name, wire) => {
    expect(() => decodeTmcFrame(wire)).toThrow(PlatformMessageError);
  });

  it.each([
    ["a confirm", confirm],
    ["a data frame", message],
  ])("refuses %s cut short at every length", (_name, wire) => {
    for (let length = 0; length < wire.length; length++) expect(() => decodeTmcFrame(wire.subarray(0, length)), `length ${length}`).toThrow(PlatformMessageError);
    expect(decodeTmcFrame(wire).type).not.toBe("other");
  });

  it("reads a view into a larger buffer only within the view", () => {
    // The bytes right after the cut would complete the frame: reading them would be a read past the buffer
    const backing = Buffer.concat([hex("ff ff ff"), confirm]);
    const cut = backing.subarray(3, 3 + confirm.length - 2);
    expect(() => decodeTmcFrame(cut)).toThrow(PlatformMessageError);
    expect(decodeTmcFrame(backing.subarray(3))).toEqual({ type: "confirm", token: "t1", id: messageId });
  });

  it("random bytes (fixed seed) either decode or throw PlatformMessageError, never anything else", () => {
    let seed = 20261120;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const outcomes = { decoded: 0, refused: 0 };
    for (let round = 0; round < 3000; round++) {
      const length = next() % 48;
      const wire = Buffer.from(Array.from({ length }, next));
      // Most rounds start like a real frame so the fuzz reaches the headers
      if (round % 4 !== 0 && length >= 2) [wire[0], wire[1]] = [2, next() % 4];
      if (round % 3 === 0 && length >= 4) [wire[2], wire[3]] = [next() % 6, 0];
      try {
        decodeTmcFrame(wire);
        outcomes.decoded++;
      } catch (error) {
        expect(error).toBeInstanceOf(PlatformMessageError);
        outcomes.refused++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.decoded + outcomes.refused).toBe(3000);
  });

  it("refuses what is not bytes (a text frame handed over as a string)", () => {
    expect(() => decodeTmcFrame('{"type":"pull"}' as unknown as Uint8Array)).toThrow(PlatformMessageError);
  });
});

describe("reconnect backoff", () => {
  it.each([
    [0, 0, 500],
    [0, 1, 1_000],
    [3, 1, 8_000],
    [10, 1, 60_000],
    [10, 0, 30_000],
  ])("attempt %i, random %f → %i ms", (attempt, random, expected) => {
    expect(getTmcReconnectDelayMs(attempt, random)).toBe(expected);
  });
});
