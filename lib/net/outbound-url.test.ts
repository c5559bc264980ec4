import { describe, expect, it } from "vitest";
import { checkOutboundUrl, classifyAddress, classifyHost, getOutboundPolicy, isAddressAllowed, isRedirectStatus, type AddressKind, type OutboundPolicy } from "@/lib/net/outbound-url";

const production: OutboundPolicy = { allowLocal: false, isProduction: true };
const productionLocal: OutboundPolicy = { allowLocal: true, isProduction: true };
const development: OutboundPolicy = { allowLocal: false, isProduction: false };
const developmentLocal: OutboundPolicy = { allowLocal: true, isProduction: false };

describe("classifyAddress: every range at and just past its edges", () => {
  it.each<[string, AddressKind]>([
    // IPv4 loopback 127.0.0.0/8
    ["126.255.255.255", "public"],
    ["127.0.0.0", "loopback"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.255", "loopback"],
    ["128.0.0.0", "public"],
    // unspecified 0.0.0.0/8 (0.0.0.0 reaches this machine)
    ["0.0.0.0", "unspecified"],
    ["0.255.255.255", "unspecified"],
    ["1.0.0.0", "public"],
    // private 10.0.0.0/8
    ["9.255.255.255", "public"],
    ["10.0.0.0", "private"],
    ["10.255.255.255", "private"],
    ["11.0.0.0", "public"],
    // private 172.16.0.0/12
    ["172.15.255.255", "public"],
    ["172.16.0.0", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.0", "public"],
    // private 192.168.0.0/16
    ["192.167.255.255", "public"],
    ["192.168.0.0", "private"],
    ["192.168.255.255", "private"],
    ["192.169.0.0", "public"],
    // shared address space (CGNAT) 100.64.0.0/10
    ["100.63.255.255", "public"],
    ["100.64.0.0", "sharedCgnat"],
    ["100.127.255.255", "sharedCgnat"],
    ["100.128.0.0", "public"],
    // link-local 169.254.0.0/16 and the metadata service inside it
    ["169.253.255.255", "public"],
    ["169.254.0.0", "linkLocal"],
    ["169.254.169.253", "linkLocal"],
    ["169.254.169.254", "metadata"],
    ["169.254.169.255", "linkLocal"],
    ["169.254.255.255", "linkLocal"],
    ["169.255.0.0", "public"],
    // Alibaba Cloud's metadata address (inside CGNAT, named as metadata)
    ["100.100.100.200", "metadata"],
    // multicast 224.0.0.0/4, reserved 240.0.0.0/4, broadcast
    ["223.255.255.255", "public"],
    ["224.0.0.0", "multicast"],
    ["239.255.255.255", "multicast"],
    ["240.0.0.0", "reserved"],
    ["255.255.255.254", "reserved"],
    ["255.255.255.255", "broadcast"],
    // documentation and benchmarking ranges
    ["192.0.2.1", "reserved"],
    ["198.18.0.0", "reserved"],
    ["198.19.255.255", "reserved"],
    ["198.20.0.0", "public"],
    ["203.0.113.9", "reserved"],
    // odd IPv4 spellings mean the address they spell
    ["2130706433", "loopback"],
    ["0x7f000001", "loopback"],
    ["0x7f.1", "loopback"],
    ["017700000001", "loopback"],
    ["0177.0.0.1", "loopback"],
    ["127.1", "loopback"],
    ["2852039166", "metadata"],
    ["0xa9fea9fe", "metadata"],
    ["167772161", "private"],
    ["012.0.0.1", "private"],
    ["0", "unspecified"],
    // IPv6
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::", "unspecified"],
    ["::2", "reserved"],
    ["fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"],
    ["fe80::", "linkLocal"],
    ["fe80::1%eth0", "linkLocal"],
    ["febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "linkLocal"],
    ["fec0::1", "private"],
    ["fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"],
    ["fc00::", "private"],
    ["fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "private"],
    ["fd00:ec2::254", "metadata"],
    ["fd00:ec2:0:0:0:0:0:254", "metadata"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"],
    ["2400:3200::1", "public"],
    ["3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "reserved"],
    ["3fff:1000::", "public"],
    ["4000::", "reserved"],
    // IPv6 carrying an IPv4 address is that address
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["::ffff:0:127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["64:ff9b::808:808", "public"],
    ["64:ff9b:1::1", "reserved"],
    ["2002:7f00:1::", "loopback"],
    ["2002:c0a8:101::1", "private"],
    ["2002:808:808::1", "public"],
    // IPv4-compatible (deprecated), as the URL parser writes [::127.0.0.1]
    ["::7f00:1", "reserved"],
    ["2001::1", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(["localhost", "example.com", "", "256.1.1.1", "08.1.1.1", "1.2.3.4.5", "::g", "[127.0.0.1]"])("%j is not an IP address", (text) => {
    expect(classifyAddress(text)).toBeNull();
  });

  it.each([
    ["localhost", "loopback"],
    ["LOCALHOST.", "loopback"],
    ["api.localhost", "loopback"],
    ["localhost.example.com", null],
    ["example.com", null],
    ["127.0.0.1", "loopback"],
    ["10.0.0.1", "private"],
  ])("classifyHost(%j) is %s", (host, kind) => {
    expect(classifyHost(host)).toBe(kind);
  });
});

describe("isAddressAllowed: ALLOW_LOCAL_ENDPOINTS opens loopback and nothing else", () => {
  const kinds: AddressKind[] = ["public", "loopback", "unspecified", "linkLocal", "metadata", "private", "sharedCgnat", "multicast", "broadcast", "reserved"];
  it.each(kinds)("%s", (kind) => {
    expect(isAddressAllowed(kind, production)).toBe(kind === "public");
    expect(isAddressAllowed(kind, development)).toBe(kind === "public");
    expect(isAddressAllowed(kind, productionLocal)).toBe(kind === "public" || kind === "loopback");
    expect(isAddressAllowed(kind, developmentLocal)).toBe(kind === "public" || kind === "loopback");
  });
});

describe("getOutboundPolicy reads exactly NODE_ENV=production and ALLOW_LOCAL_ENDPOINTS=1", () => {
  it.each([
    [{}, { allowLocal: false, isProduction: false }],
    [{ NODE_ENV: "production" }, { allowLocal: false, isProduction: true }],
    [{ NODE_ENV: "production", ALLOW_LOCAL_ENDPOINTS: "1" }, { allowLocal: true, isProduction: true }],
    [{ NODE_ENV: "test", ALLOW_LOCAL_ENDPOINTS: "true" }, { allowLocal: false, isProduction: false }],
    [{ NODE_ENV: "development", ALLOW_LOCAL_ENDPOINTS: "0" }, { allowLocal: false, isProduction: false }],
  ])("%j", (env, policy) => {
    expect(getOutboundPolicy(env)).toEqual(policy);
  });
});

type Verdict = "ok" | "scheme" | "address" | "redirect";
const verdict = (raw: string, use: "http" | "ws", policy: OutboundPolicy): Verdict => {
  const checked = checkOutboundUrl(raw, use, policy);
  return checked.ok ? "ok" : checked.reason;
};

describe("checkOutboundUrl: scheme and literal address, before any DNS", () => {
  // [url, use, production, production + ALLOW_LOCAL_ENDPOINTS, development, development + ALLOW_LOCAL_ENDPOINTS]
  it.each<[string, "http" | "ws", Verdict, Verdict, Verdict, Verdict]>([
    ["https://open.example.com/decisions", "http", "ok", "ok", "ok", "ok"],
    ["http://open.example.com/decisions", "http", "scheme", "scheme", "ok", "ok"],
    ["http://93.184.215.14/decisions", "http", "scheme", "scheme", "ok", "ok"],
    ["https://93.184.215.14/decisions", "http", "ok", "ok", "ok", "ok"],
    ["ftp://open.example.com/", "http", "scheme", "scheme", "scheme", "scheme"],
    ["wss://open.example.com/", "http", "scheme", "scheme", "scheme", "scheme"],
    ["not a url", "http", "scheme", "scheme", "scheme", "scheme"],
    // loopback: refused unless ALLOW_LOCAL_ENDPOINTS=1; then plain http too, even in production
    ["http://127.0.0.1:4010/decisions", "http", "scheme", "ok", "address", "ok"],
    ["https://127.0.0.1/", "http", "address", "ok", "address", "ok"],
    ["https://127.255.0.9/", "http", "address", "ok", "address", "ok"],
    ["http://localhost:4010/decisions", "http", "scheme", "ok", "address", "ok"],
    ["https://localhost./", "http", "address", "ok", "address", "ok"],
    ["https://[::1]:8443/", "http", "address", "ok", "address", "ok"],
    ["https://[::ffff:127.0.0.1]/", "http", "address", "ok", "address", "ok"],
    ["https://2130706433/", "http", "address", "ok", "address", "ok"],
    ["https://0x7f.1/", "http", "address", "ok", "address", "ok"],
    ["https://017700000001/", "http", "address", "ok", "address", "ok"],
    // everything else local stays refused, whatever the flag
    ["https://0.0.0.0/", "http", "address", "address", "address", "address"],
    ["https://0/", "http", "address", "address", "address", "address"],
    ["https://[::]/", "http", "address", "address", "address", "address"],
    ["https://169.254.169.254/latest/meta-data/", "http", "address", "address", "address", "address"],
    ["https://2852039166/", "http", "address", "address", "address", "address"],
    ["https://[fd00:ec2::254]/", "http", "address", "address", "address", "address"],
    ["https://[::ffff:169.254.169.254]/", "http", "address", "address", "address", "address"],
    ["https://169.254.10.10/", "http", "address", "address", "address", "address"],
    ["https://[fe80::1]/", "http", "address", "address", "address", "address"],
    ["https://10.0.0.8/", "http", "address", "address", "address", "address"],
    ["https://012.0.0.1/", "http", "address", "address", "address", "address"],
    ["https://172.16.5.4/", "http", "address", "address", "address", "address"],
    ["https://192.168.1.10/", "http", "address", "address", "address", "address"],
    ["https://[fc00::1]/", "http", "address", "address", "address", "address"],
    ["https://100.64.0.1/", "http", "address", "address", "address", "address"],
    ["https://224.0.0.1/", "http", "address", "address", "address", "address"],
    ["https://255.255.255.255/", "http", "address", "address", "address", "address"],
    // plain http to a private address is refused for its scheme first in production
    ["http://10.0.0.8/", "http", "scheme", "scheme", "address", "address"],
    // WebSocket (TMC)
    ["wss://tmc.example.com/", "ws", "ok", "ok", "ok", "ok"],
    ["ws://tmc.example.com/", "ws", "scheme", "scheme", "ok", "ok"],
    ["ws://mc.api.taobao.com/", "ws", "ok", "ok", "ok", "ok"],
    ["ws://MC.API.TAOBAO.COM/", "ws", "ok", "ok", "ok", "ok"],
    ["http://mc.api.taobao.com/", "http", "scheme", "scheme", "ok", "ok"],
    ["ws://127.0.0.1:9001/", "ws", "scheme", "ok", "address", "ok"],
    ["wss://[::1]/", "ws", "address", "ok", "address", "ok"],
    ["wss://10.1.1.1/", "ws", "address", "address", "address", "address"],
    ["https://tmc.example.com/", "ws", "scheme", "scheme", "scheme", "scheme"],
  ])("%s (%s)", (raw, use, inProduction, inProductionLocal, inDevelopment, inDevelopmentLocal) => {
    expect([verdict(raw, use, production), verdict(raw, use, productionLocal), verdict(raw, use, development), verdict(raw, use, developmentLocal)]).toEqual([
      inProduction,
      inProductionLocal,
      inDevelopment,
      inDevelopmentLocal,
    ]);
  });

  it("answers the host without brackets and what kind of literal it is", () => {
    expect(checkOutboundUrl("https://[::1]:8443/x", "http", productionLocal)).toMatchObject({ ok: true, hostname: "::1", literalKind: "loopback" });
    expect(checkOutboundUrl("https://open.example.com/x", "http", production)).toMatchObject({ ok: true, hostname: "open.example.com", literalKind: null });
    expect(checkOutboundUrl("https://8.8.8.8/x", "http", production)).toMatchObject({ ok: true, hostname: "8.8.8.8", literalKind: "public" });
  });
});

describe("isRedirectStatus", () => {
  it.each([
    [200, false],
    [299, false],
    [300, false],
    [301, true],
    [302, true],
    [303, true],
    [304, false],
    [307, true],
    [308, true],
    [400, false],
  ])("%i: %s", (status, isRedirect) => {
    expect(isRedirectStatus(status)).toBe(isRedirect);
  });
});
