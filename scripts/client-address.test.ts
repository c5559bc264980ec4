import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddressHeader as appHeader, limitKeyFor, readClientAddress, unknownClientKey } from "@/lib/client-address";
import { clientAddressHeader, normalizeAddress, parseTrustedProxies, resolveClientAddress, stampClientAddress } from "./client-address.mjs";

describe("normalizeAddress", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:127.0.0.1", "127.0.0.1"],
    ["2001:DB8::1", "2001:db8::1"],
    ["203.0.113.7:51234", "203.0.113.7"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["unknown", null],
    ["", null],
    [undefined, null],
    ["203.0.113.256", null],
    ["1.2.3.4, 5.6.7.8", null],
  ])("%j → %j", (value, normalized) => {
    expect(normalizeAddress(value)).toBe(normalized);
  });
});

describe("parseTrustedProxies", () => {
  it("reads addresses and CIDR ranges, and lists what is neither", () => {
    const trusted = parseTrustedProxies(" 10.0.0.0/8, 192.0.2.10 ,fd00::/8,, nonsense, 10.0.0.0/33, 1.2.3.4/x ");
    expect(trusted.size).toBe(3);
    expect(trusted.invalid).toEqual(["nonsense", "10.0.0.0/33", "1.2.3.4/x"]);
  });

  it.each([
    ["10.1.2.3", true],
    ["11.0.0.1", false],
    ["192.0.2.10", true],
    ["192.0.2.11", false],
    ["fd12::1", true],
    ["fe80::1", false],
  ])("%s trusted: %s", (address, isTrusted) => {
    expect(parseTrustedProxies("10.0.0.0/8,192.0.2.10,fd00::/8").isTrusted(address)).toBe(isTrusted);
  });

  it("trusts nobody when unset", () => {
    expect(parseTrustedProxies(undefined).isTrusted("127.0.0.1")).toBe(false);
    expect(parseTrustedProxies("").size).toBe(0);
  });
});

describe("resolveClientAddress", () => {
  const none = parseTrustedProxies(undefined);
  const proxy = parseTrustedProxies("10.0.0.5, 10.9.0.0/16");

  it.each<[string, string | undefined, string | undefined, ReturnType<typeof parseTrustedProxies>, string | null]>([
    ["no proxy configured: X-Forwarded-For is ignored", "::ffff:198.51.100.4", "203.0.113.99", none, "198.51.100.4"],
    ["a forged chain from an untrusted peer is ignored", "198.51.100.4", "10.0.0.5, 203.0.113.99", proxy, "198.51.100.4"],
    ["the trusted proxy's last entry is the client", "10.0.0.5", "203.0.113.7", proxy, "203.0.113.7"],
    ["a client's forged entries left of it are not read", "10.0.0.5", "1.1.1.1, 2.2.2.2, 203.0.113.7", proxy, "203.0.113.7"],
    ["trusted hops in the chain are skipped", "10.0.0.5", "6.6.6.6, 203.0.113.7, 10.9.3.4", proxy, "203.0.113.7"],
    ["a port on an entry is dropped", "10.0.0.5", "203.0.113.7:4711", proxy, "203.0.113.7"],
    ["only trusted hops: the leftmost", "10.0.0.5", "10.9.0.1, 10.9.0.2", proxy, "10.9.0.1"],
    ["garbage where the client should be: the proxy itself", "10.0.0.5", "203.0.113.7, not-an-ip", proxy, "10.0.0.5"],
    ["a trusted proxy without the header: the proxy", "10.0.0.5", undefined, proxy, "10.0.0.5"],
    ["no socket address: unknown", undefined, "203.0.113.7", proxy, null],
  ])("%s", (_label, socket, forwardedFor, trusted, client) => {
    expect(resolveClientAddress(socket, forwardedFor, trusted)).toBe(client);
  });
});

describe("stampClientAddress on a real socket", () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function stampedHeaders(trustedProxies: string, headers: Record<string, string>) {
    const trusted = parseTrustedProxies(trustedProxies);
    let seen: http.IncomingHttpHeaders = {};
    server = http.createServer((request, response) => {
      stampClientAddress(request, trusted);
      seen = request.headers;
      response.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      http.get({ host: "127.0.0.1", port, headers }, (response) => response.resume().on("end", resolve)).on("error", reject);
    });
    return seen;
  }

  it("replaces a client-sent copy of the header with the socket's address", async () => {
    const headers = await stampedHeaders("", { "X-Desk-Client-IP": "203.0.113.66", "x-forwarded-for": "203.0.113.99" });
    expect(headers[clientAddressHeader]).toBe("127.0.0.1");
  });

  it("takes X-Forwarded-For's client when the socket's peer is a trusted proxy", async () => {
    const headers = await stampedHeaders("127.0.0.0/8", { "x-forwarded-for": "6.6.6.6, 203.0.113.7" });
    expect(headers[clientAddressHeader]).toBe("203.0.113.7");
  });
});

describe("lib/client-address", () => {
  it("names the same header as the server", () => {
    expect(appHeader).toBe(clientAddressHeader);
  });

  it("reads the header only when the server in front stamps it", () => {
    const headers = new Headers({ [clientAddressHeader]: "203.0.113.7" });
    expect(readClientAddress(headers, true)).toBe("203.0.113.7");
    expect(readClientAddress(headers, false)).toBeNull();
    expect(readClientAddress(new Headers(), true)).toBeNull();
  });

  it.each([
    [null, unknownClientKey],
    ["203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:0db8:0001:0002::/64"],
    ["2001:db8:1:2::99", "2001:0db8:0001:0002::/64"],
    ["2001:db8::1", "2001:0db8:0000:0000::/64"],
    ["::1", "0000:0000:0000:0000::/64"],
    ["64:ff9b::1.2.3.4", "0064:ff9b:0000:0000::/64"],
  ])("limits %j as %j", (address, key) => {
    expect(limitKeyFor(address)).toBe(key);
  });
});
