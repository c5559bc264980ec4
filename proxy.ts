import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy } from "@/lib/security-headers";

// Next 16's Proxy (formerly middleware): a fresh nonce per page request, in the page's Content-Security-Policy
// (docs/security.md, "Response headers"). Next reads the nonce back from the request's policy header while it
// renders and puts it on every script it writes; server components can read it from `x-nonce`.

/** 16 random bytes, base64: unguessable and new on every request. */
function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce, {
    isDevelopment: process.env.NODE_ENV === "development",
    isHttps: process.env.APP_URL?.startsWith("https:") ?? false,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only (the /api-docs page included): API answers and static files get the fixed headers of
      // next.config.ts. A request with a body never comes here: Next would read all of it (up to 10 MB) for
      // the proxy before the route's own byte cap. "Content-Length: 0" (which some reverse proxies add to a
      // GET) is no body. Server actions (next-action) answer data, not a page.
      source: "/((?!api(?:/|$)|_next/static/|_next/image|favicon\\.ico$).*)",
      missing: [
        { type: "header", key: "next-action" },
        { type: "header", key: "content-length", value: "(?!0$).*" },
        { type: "header", key: "transfer-encoding" },
      ],
    },
  ],
};
