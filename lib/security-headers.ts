// The desk's response headers (docs/security.md, "Response headers"). Pure: the nonce comes in from proxy.ts,
// which makes a fresh one per page request; next.config.ts and scripts/serve.mjs take the fixed ones from here.

/** Where the desk runs: neither changes per request. */
export type PagePolicyOptions = {
  /** `next dev`: React rebuilds server error stacks in the browser with eval (never in production). */
  isDevelopment: boolean;
  /** The desk's own address (APP_URL) is https: then every http subresource is upgraded. */
  isHttps: boolean;
};

// What Next accepts as a nonce source when it reads the request's policy (its get-script-nonce-from-header):
// base64 or base64url. Anything else would be dropped by Next (scripts without a nonce) or break the header.
const noncePattern = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

/** True for a nonce Next can read back from the policy and that cannot break out of the header. */
export function isUsableNonce(nonce: string): boolean {
  return noncePattern.test(nonce);
}

function joinPolicy(directives: readonly (readonly string[])[]): string {
  return directives.map((words) => words.join(" ")).join("; ");
}

/**
 * The Content-Security-Policy of a page, for one request's nonce.
 * - script-src: only scripts carrying this nonce (Next puts it on its framework and page scripts, the inline
 *   flight-data and bootstrap scripts and their preloads) and what those scripts load ('strict-dynamic': the
 *   Turbopack runtime adds chunk scripts itself). 'self' is ignored by browsers that know 'strict-dynamic' and
 *   only serves older ones. No 'unsafe-inline'.
 * - style-src keeps 'unsafe-inline': sonner adds its <style> element at run time and Radix dialogs add one
 *   through react-remove-scroll, neither with a nonce; server-rendered style attributes (the inbox's virtual
 *   rows, the heatmap's colours, recharts' containers) cannot carry one. A nonce in style-src would make
 *   browsers ignore 'unsafe-inline', so there is none.
 * - img-src: our own /api/evidence files and the platforms' evidence URLs shown on cards (https:). On a desk
 *   served over plain http (local demos: the simulator serves its evidence from http://localhost) http: too.
 *   No data: or blob: (nothing uses them).
 * - connect-src 'self': the fetches and the /api/stream event source are all same-origin.
 */
export function pageContentSecurityPolicy(nonce: string, options: PagePolicyOptions): string {
  if (!isUsableNonce(nonce)) throw new Error("A page nonce must be base64 of at least 12 random bytes");
  const scriptSources = ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(options.isDevelopment ? ["'unsafe-eval'"] : [])];
  const imageSources = ["'self'", "https:", ...(options.isHttps ? [] : ["http:"])];
  return joinPolicy([
    ["default-src", "'self'"],
    ["script-src", ...scriptSources],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", ...imageSources],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    ...(options.isHttps ? [["upgrade-insecure-requests"]] : []),
  ]);
}

/**
 * The policy of everything that is not a page: API answers (JSON, the event stream, CSV exports), static
 * files, and a page answer the proxy did not see (then its scripts, which carry no nonce, stay inert).
 */
export const lockedDownContentSecurityPolicy = joinPolicy([
  ["default-src", "'none'"],
  ["frame-ancestors", "'none'"],
  ["base-uri", "'none'"],
  ["form-action", "'none'"],
]);

/** An uploaded evidence file opened by itself: an SVG may keep its inline styles but never runs script. */
export const evidenceContentSecurityPolicy = joinPolicy([["default-src", "'none'"], ["style-src", "'unsafe-inline'"], ["frame-ancestors", "'none'"], ["sandbox"]]);

// Features the desk never uses, switched off for it and for anything it could ever embed.
const disabledFeatures = [
  "accelerometer",
  "browsing-topics",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "serial",
  "usb",
  "xr-spatial-tracking",
] as const;

/**
 * The headers every answer carries, whatever its kind (lower-case names, as Node and the proxy write them).
 * Referrer-Policy is strict-origin-when-cross-origin, not no-referrer: under no-referrer a browser sends
 * `Origin: null` on the desk's own POSTs, which our cross-origin check and better-auth's refuse. Other sites
 * still learn only the desk's origin, never a request id in a path; evidence images send no referrer at all.
 */
export const commonSecurityHeaders: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "permissions-policy": disabledFeatures.map((feature) => `${feature}=()`).join(", "),
  "cross-origin-opener-policy": "same-origin",
};

/** Everything an API answer carries, for answers written outside Next (scripts/serve.mjs). */
export const apiSecurityHeaders: Readonly<Record<string, string>> = {
  ...commonSecurityHeaders,
  "content-security-policy": lockedDownContentSecurityPolicy,
};

type HeaderRule = { source: string; headers: { key: string; value: string }[] };

const asPairs = (headers: Readonly<Record<string, string>>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/**
 * next.config.ts `headers()`: the common headers on every path; the evidence policy on every answer under
 * /api/evidence/ (the file, and its 401, invalid_id and 404 JSON too), and the locked-down one everywhere else.
 * Next keeps a header set here over the route's own, so each path gets exactly one policy from here.
 * On pages proxy.ts replaces that policy with the nonce one (same lower-case name, set after these).
 */
export function staticHeaderRules(): HeaderRule[] {
  return [
    { source: "/:path*", headers: asPairs(commonSecurityHeaders) },
    { source: "/:path((?!api/evidence/).*)", headers: [{ key: "content-security-policy", value: lockedDownContentSecurityPolicy }] },
    { source: "/api/evidence/:path+", headers: [{ key: "content-security-policy", value: evidenceContentSecurityPolicy }] },
  ];
}
