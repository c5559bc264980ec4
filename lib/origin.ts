/**
 * Mutating requests must come from our own pages: a browser sends Origin (and Sec-Fetch-Site) on
 * cross-site POSTs; a request with neither is a non-browser client and carries no ambient cookie risk.
 */
export function isCrossOriginRequest(headers: Headers, requestUrl: string): boolean {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite === "cross-site" || fetchSite === "same-site") return true;
  const origin = headers.get("origin");
  if (!origin) return false;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? new URL(requestUrl).host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
