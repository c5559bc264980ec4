import { describe, expect, it } from "vitest";
import {
  apiSecurityHeaders,
  commonSecurityHeaders,
  evidenceContentSecurityPolicy,
  isUsableNonce,
  lockedDownContentSecurityPolicy,
  pageContentSecurityPolicy,
  staticHeaderRules,
  type PagePolicyOptions,
} from "@/lib/security-headers";

const nonce = "q83vEjRWeJq83vEjRWeJqw==";
const production: PagePolicyOptions = { isDevelopment: false, isHttps: true };

/** A policy as directive name → its sources, so a test names what it means instead of matching the string. */
function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const directive of policy.split(";")) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (!name) continue;
    expect(directives.has(name), `${name} appears once`).toBe(false);
    directives.set(name, sources);
  }
  return directives;
}

// Next's own reading of the nonce (next/dist/server/app-render/get-script-nonce-from-header.js), restated:
// the first 'nonce-…' source of script-src, or of default-src when there is no script-src.
function nonceNextReads(policy: string): string | undefined {
  const directives = policy.split(";").map((directive) => directive.trim());
  const directive = directives.find((item) => item.startsWith("script-src")) ?? directives.find((item) => item.startsWith("default-src"));
  for (const source of directive?.split(/\s+/).slice(1) ?? []) {
    const match = /^'nonce-([A-Za-z0-9+/_-]+={0,2})'$/.exec(source);
    if (match) return match[1];
  }
  return undefined;
}

describe("pageContentSecurityPolicy", () => {
  it.each([
    ["production over https", production, ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"], ["'self'", "https:"], true],
    ["production over plain http", { isDevelopment: false, isHttps: false }, ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"], ["'self'", "https:", "http:"], false],
    ["next dev", { isDevelopment: true, isHttps: false }, ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", "'unsafe-eval'"], ["'self'", "https:", "http:"], false],
  ] as const)("%s: scripts by nonce only, images from us and the platforms", (_name, options, scriptSources, imageSources, upgrades) => {
    const policy = parsePolicy(pageContentSecurityPolicy(nonce, options));
    expect(policy.get("script-src")).toEqual(scriptSources);
    expect(policy.get("img-src")).toEqual(imageSources);
    expect(policy.has("upgrade-insecure-requests")).toBe(upgrades);
    expect(policy.get("script-src")).not.toContain("'unsafe-inline'");
  });

  it("puts the nonce where Next reads it back, and a new nonce gives a new policy", () => {
    expect(nonceNextReads(pageContentSecurityPolicy(nonce, production))).toBe(nonce);
    const other = "AAECAwQFBgcICQoLDA0ODw==";
    expect(nonceNextReads(pageContentSecurityPolicy(other, production))).toBe(other);
    expect(pageContentSecurityPolicy(other, production)).not.toBe(pageContentSecurityPolicy(nonce, production));
  });

  it("keeps framing, plugins, <base> and foreign form targets out; the stream and fetches stay same-origin", () => {
    const policy = parsePolicy(pageContentSecurityPolicy(nonce, production));
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
  });

  it("allows inline styles without a nonce (a nonce would switch 'unsafe-inline' off)", () => {
    const styles = parsePolicy(pageContentSecurityPolicy(nonce, production)).get("style-src");
    expect(styles).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it.each([
    ["empty", ""],
    ["too short", "abc="],
    ["a quote that would end the source", "q83vEjRWeJq83vEjRW'eJq"],
    ["a semicolon that would start a directive", "q83vEjRWeJq83vEjRWeJ; script-src *"],
    ["a line break that would split the header", "q83vEjRWeJq83vEjRWeJ\r\nset-cookie: a=b"],
    ["a space", "q83vEjRWeJq83v EjRWeJqw"],
  ])("refuses a nonce that is %s", (_name, badNonce) => {
    expect(isUsableNonce(badNonce)).toBe(false);
    expect(() => pageContentSecurityPolicy(badNonce, production)).toThrow();
  });

  it.each([
    ["base64", "q83vEjRWeJq83vEjRWeJqw=="],
    ["base64url", "q83vEjRWeJq83vEjRWe_-w"],
  ])("takes a %s nonce", (_name, goodNonce) => {
    expect(isUsableNonce(goodNonce)).toBe(true);
  });
});

describe("fixed headers", () => {
  it.each([
    ["x-content-type-options", "nosniff"],
    ["referrer-policy", "strict-origin-when-cross-origin"],
    ["x-frame-options", "DENY"],
    ["cross-origin-opener-policy", "same-origin"],
  ])("every answer carries %s: %s", (name, value) => {
    expect(commonSecurityHeaders[name]).toBe(value);
    expect(apiSecurityHeaders[name]).toBe(value);
  });

  it.each(["camera", "microphone", "geolocation", "payment", "usb", "display-capture"])("switches %s off for the desk and anything it embeds", (feature) => {
    const features = commonSecurityHeaders["permissions-policy"].split(", ");
    expect(features).toContain(`${feature}=()`);
  });

  it("names every header in lower case, so the proxy's policy replaces the fixed one instead of doubling it", () => {
    for (const rule of staticHeaderRules()) for (const { key } of rule.headers) expect(key).toBe(key.toLowerCase());
    expect(Object.keys(apiSecurityHeaders).every((key) => key === key.toLowerCase())).toBe(true);
  });

  it("locks API answers and evidence files down: nothing loads, nothing frames them", () => {
    const api = parsePolicy(lockedDownContentSecurityPolicy);
    expect(api.get("default-src")).toEqual(["'none'"]);
    expect(api.get("frame-ancestors")).toEqual(["'none'"]);
    expect(apiSecurityHeaders["content-security-policy"]).toBe(lockedDownContentSecurityPolicy);
    const evidence = parsePolicy(evidenceContentSecurityPolicy);
    expect(evidence.get("default-src")).toEqual(["'none'"]);
    expect(evidence.get("frame-ancestors")).toEqual(["'none'"]);
    expect(evidence.has("sandbox")).toBe(true);
  });
});
