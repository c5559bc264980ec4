// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, requestJson } from "@/components/request-json";

// The client's one API call: what goes out, what comes back on a 2xx, and the ApiError every other answer becomes.

const fetchMock = vi.fn<typeof fetch>();

function stubFetch(answer: Response | Error) {
  fetchMock.mockReset();
  if (answer instanceof Error) fetchMock.mockRejectedValue(answer);
  else fetchMock.mockResolvedValue(answer);
  vi.stubGlobal("fetch", fetchMock);
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("requestJson", () => {
  it("sends JSON with its content type and resolves to the 2xx body", async () => {
    stubFetch(Response.json({ card: { id: "r1" } }, { status: 200 }));
    const body = await requestJson<{ card: { id: string } }>("/api/requests/r1/decision", { method: "POST", json: { decision: "approve" } });
    expect(body).toEqual({ card: { id: "r1" } });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/requests/r1/decision");
    expect(init?.method).toBe("POST");
    expect(init?.credentials).toBe("same-origin");
    expect(new Headers(init?.headers).get("content-type")).toBe("application/json");
    expect(init?.body).toBe(JSON.stringify({ decision: "approve" }));
  });

  it("sends a GET without a body or content type, and a form as it is", async () => {
    stubFetch(Response.json({ ok: true }));
    await requestJson("/api/requests?status=pending");
    expect(fetchMock.mock.calls[0]![1]?.method).toBe("GET");
    expect(fetchMock.mock.calls[0]![1]?.body).toBeUndefined();
    expect(new Headers(fetchMock.mock.calls[0]![1]?.headers).has("content-type")).toBe(false);

    const form = new FormData();
    form.set("file", "x");
    stubFetch(Response.json({ evidence: { id: "e1" } }, { status: 201 }));
    await requestJson("/api/requests/r1/rejection-evidence", { method: "POST", form });
    expect(fetchMock.mock.calls[0]![1]?.body).toBe(form);
    expect(new Headers(fetchMock.mock.calls[0]![1]?.headers).has("content-type")).toBe(false);
  });

  it("resolves to undefined on an empty 204", async () => {
    stubFetch(new Response(null, { status: 204 }));
    await expect(requestJson("/api/freight/scenarios/s1", { method: "DELETE" })).resolves.toBeUndefined();
  });

  it("keeps a 4xx typed error whole: status, code, message and the route's extra fields", async () => {
    const problems = [{ code: "message_length", min: 5, max: 200, chars: 2 }];
    stubFetch(Response.json({ error: { code: "platform_refuses", message: "The platform would refuse this answer", problems } }, { status: 422 }));
    const error = await caught(requestJson("/api/requests/r1/decision", { method: "POST", json: {} }));
    expect(error.status).toBe(422);
    expect(error.code).toBe("platform_refuses");
    expect(error.message).toBe("The platform would refuse this answer");
    expect(error.detail).toEqual({ code: "platform_refuses", message: "The platform would refuse this answer", problems });
  });

  it("turns a non-JSON 5xx into bad_answer with its status", async () => {
    stubFetch(new Response("<html>Bad Gateway</html>", { status: 502, headers: { "content-type": "text/html" } }));
    const error = await caught(requestJson("/api/requests"));
    expect(error.status).toBe(502);
    expect(error.code).toBe("bad_answer");
    expect(error.message).toBe("HTTP 502");
  });

  it("turns JSON that is not a typed error into bad_answer too", async () => {
    stubFetch(Response.json({ message: "nope" }, { status: 500 }));
    const error = await caught(requestJson("/api/requests"));
    expect([error.status, error.code]).toEqual([500, "bad_answer"]);
  });

  it("refuses a 2xx whose body is not JSON", async () => {
    stubFetch(new Response("ok", { status: 200 }));
    const error = await caught(requestJson("/api/requests"));
    expect([error.status, error.code]).toEqual([200, "bad_answer"]);
  });

  it("turns a network failure into network_error with no status, keeping the browser's error as cause", async () => {
    const failure = new TypeError("Failed to fetch");
    stubFetch(failure);
    const error = await caught(requestJson("/api/requests"));
    expect(error.status).toBeNull();
    expect(error.code).toBe("network_error");
    expect(error.cause).toBe(failure);
  });

  it("rethrows an abort as it is", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    stubFetch(abort as unknown as Error);
    await expect(requestJson("/api/requests")).rejects.toBe(abort);
  });
});
