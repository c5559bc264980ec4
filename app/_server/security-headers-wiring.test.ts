import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch, unstable_getResponseFromNextConfig } from "next/experimental/testing/server";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config as proxyConfig, proxy } from "@/proxy";
import { commonSecurityHeaders, evidenceContentSecurityPolicy, lockedDownContentSecurityPolicy } from "@/lib/security-headers";

// How the headers reach answers, checked with Next's own matchers (the ones its build and router use).

const desk = "http://localhost:3000";

describe("proxy.ts matcher", () => {
  it.each([
    ["/inbox", {}, true],
    ["/", {}, true],
    ["/login", {}, true],
    ["/requests/req_1", {}, true],
    ["/api-docs", {}, true],
    ["/no-such-page", {}, true],
    ["/inbox", { rsc: "1" }, true],
    ["/api/requests", {}, false],
    ["/api", {}, false],
    ["/api/stream", {}, false],
    ["/api/platforms/douyin/push", {}, false],
    ["/_next/static/chunks/main.js", {}, false],
    ["/favicon.ico", {}, false],
    // A server action or any request with a body: Next would read the whole body for the proxy first
    ["/inbox", { "next-action": "7f00" }, false],
    ["/login", { "content-length": "12" }, false],
    ["/login", { "content-length": "0" }, true],
    ["/inbox", { "transfer-encoding": "chunked" }, false],
  ] as const)("%s %o runs the proxy: %s", (path, headers, expected) => {
    expect(unstable_doesMiddlewareMatch({ config: proxyConfig, url: `${desk}${path}`, headers })).toBe(expected);
  });
});

describe("proxy()", () => {
  function policiesOf(response: Response) {
    const policy = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    return { policy, nonce };
  }

  it("answers with a nonce policy and hands the same policy and nonce on to the render", () => {
    const response = proxy(new NextRequest(`${desk}/inbox`));
    const { policy, nonce } = policiesOf(response);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(policy).toContain("script-src 'self' 'nonce-");
    // NextResponse.next({ request: { headers } }) carries request headers as x-middleware-request-*
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(response.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("makes a new nonce for every request, whatever nonce the client sent", () => {
    const nonces = new Set<string | undefined>();
    for (let i = 0; i < 20; i++) {
      const request = new NextRequest(`${desk}/inbox`, { headers: { "x-nonce": "chosen-by-client", "content-security-policy": "script-src 'nonce-chosenbyclient00'" } });
      const response = proxy(request);
      nonces.add(policiesOf(response).nonce);
      expect(response.headers.get("x-middleware-request-x-nonce")).not.toBe("chosen-by-client");
    }
    expect(nonces.size).toBe(20);
  });
});

describe("next.config.ts headers()", () => {
  it.each(["/inbox", "/api/requests", "/api/platforms/douyin/push", "/api/evidence/evd_1", "/_next/static/chunks/main.js", "/"])("%s gets the common headers", async (path) => {
    const response = await unstable_getResponseFromNextConfig({ url: `${desk}${path}`, nextConfig });
    for (const [name, value] of Object.entries(commonSecurityHeaders)) expect(response.headers.get(name), name).toBe(value);
  });

  it.each([
    ["/api/requests", lockedDownContentSecurityPolicy],
    ["/api/stream", lockedDownContentSecurityPolicy],
    ["/inbox", lockedDownContentSecurityPolicy],
    ["/_next/static/chunks/main.js", lockedDownContentSecurityPolicy],
    ["/api/evidence", lockedDownContentSecurityPolicy],
    // Every answer of the evidence route, its 401, invalid_id and 404 JSON as well as the file: the image policy
    ["/api/evidence/evd_1", evidenceContentSecurityPolicy],
    ["/api/evidence/not-an-id", evidenceContentSecurityPolicy],
    ["/api/evidence/evd_1/extra", evidenceContentSecurityPolicy],
  ])("%s gets the fixed policy %s", async (path, policy) => {
    const response = await unstable_getResponseFromNextConfig({ url: `${desk}${path}`, nextConfig });
    expect(response.headers.get("content-security-policy")).toBe(policy);
  });

  it("gives the evidence files a policy of their own that still forbids framing", () => {
    expect(evidenceContentSecurityPolicy).toContain("frame-ancestors 'none'");
  });
});
