// What went wrong with a request from an owner page, as one of a few words the page can say (ownerPages.
// requestError) instead of an API's English message or "TypeError: Failed to fetch".

export type RequestErrorKey = "network" | "signedOut" | "forbidden" | "notFound" | "conflict" | "invalid" | "tooLarge" | "tooMany" | "server" | "unknown";

/**
 * `error` is what a fetch helper threw: an error with the HTTP `status` of the answer, or, when no answer came, one
 * with code network_error (components/request-json.ts) or the browser's own.
 */
export function classifyRequestError(error: unknown): RequestErrorKey {
  const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : null;
  if (status === null) {
    // fetch() rejects with a TypeError when the network fails (WHATWG Fetch, "network error")
    const isNetworkCode = typeof error === "object" && error !== null && "code" in error && error.code === "network_error";
    return isNetworkCode || error instanceof TypeError ? "network" : "unknown";
  }
  if (status === 401) return "signedOut";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  if (status === 409) return "conflict";
  if (status === 413) return "tooLarge";
  if (status === 429) return "tooMany";
  if (status === 400 || status === 422) return "invalid";
  if (status >= 500) return "server";
  return "unknown";
}
