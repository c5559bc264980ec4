// The one way the desk's pages call their own API (the error shape in docs/architecture.md): JSON or a form out, JSON back, and
// on anything but a 2xx an ApiError carrying the answer's status, its typed `{ error: { code, message, ... } }`
// whole, or a code of our own when no typed answer came. Callers pick the words the user reads by `code`.

/** Codes the client gives an answer that is not a typed API error: none came, or it was not what the API writes. */
type ClientErrorCode = "network_error" | "bad_answer";

/** The `error` object of a typed answer: code and message, and whatever else the route adds (problems, issues, …). */
export type ApiErrorDetail = { code: string; message: string; [key: string]: unknown };

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: string;
  /** The whole `error` object the server sent (or one built here for network_error / bad_answer). */
  readonly detail: ApiErrorDetail;

  constructor(
    /** The HTTP status of the answer; null when no answer came. */
    readonly status: number | null,
    detail: ApiErrorDetail,
    options?: { cause?: unknown },
  ) {
    super(detail.message, options);
    this.code = detail.code;
    this.detail = detail;
  }
}

export type RequestJsonInit = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as the JSON body, with its content type. */
  json?: unknown;
  /** Sent as multipart; the browser writes the boundary's content type. */
  form?: FormData;
  signal?: AbortSignal;
};

function clientError(status: number | null, code: ClientErrorCode, message: string, cause?: unknown): ApiError {
  return new ApiError(status, { code, message }, cause === undefined ? undefined : { cause });
}

function isApiErrorDetail(value: unknown): value is ApiErrorDetail {
  return typeof value === "object" && value !== null && typeof (value as ApiErrorDetail).code === "string" && typeof (value as ApiErrorDetail).message === "string";
}

/**
 * Calls a same-origin API route; resolves to its JSON body (undefined for an empty 2xx such as 204), throws ApiError
 * otherwise. Same-origin fetches carry the session cookie and the browser's Origin header, which the routes'
 * cross-origin guard checks (lib/origin.ts); an abort is rethrown as the browser's own AbortError.
 */
export async function requestJson<T = unknown>(url: string, init: RequestJsonInit = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  let body: BodyInit | undefined;
  if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  } else if (init.form) {
    body = init.form;
  }
  let response: Response;
  try {
    response = await fetch(url, { method: init.method ?? "GET", headers, body, cache: "no-store", credentials: "same-origin", signal: init.signal });
  } catch (caught) {
    if (caught instanceof DOMException && caught.name === "AbortError") throw caught;
    throw clientError(null, "network_error", caught instanceof Error ? caught.message : String(caught), caught);
  }
  const text = await response.text().catch(() => null);
  let parsed: unknown = undefined;
  let isJson = text === "";
  if (text) {
    try {
      parsed = JSON.parse(text);
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  if (!response.ok) {
    const error = typeof parsed === "object" && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    throw isApiErrorDetail(error) ? new ApiError(response.status, error) : clientError(response.status, "bad_answer", `HTTP ${response.status}`);
  }
  if (!isJson || text === null) throw clientError(response.status, "bad_answer", `HTTP ${response.status}: not JSON`);
  return parsed as T;
}
