import { describe, expect, it } from "vitest";
import { bodyLimits } from "@/lib/body-limits";
import { capRequestBody, decodeBody, hasBody, readBodyWithin } from "./read-body";
import { countingBody } from "./read-body.fixture";

const url = "http://desk/api/anything";

function post(body: BodyInit | null, headers: Record<string, string> = {}) {
  return new Request(url, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("readBodyWithin", () => {
  it.each([
    // [label, chunks, chunk bytes, cap, ok, chunks pulled]
    ["under the cap: every chunk", 4, 1_000, 10_000, true, 4],
    ["exactly the cap: accepted", 10, 1_000, 10_000, true, 10],
    ["cap + 1 byte: refused at the chunk that crossed", 10, 1_000, 9_999, false, 10],
    ["8 MiB chunked at a 256 KiB cap: stops after the crossing chunk", 128, 64 * 1024, 256 * 1024, false, 5],
    ["8 MiB chunked at the upload cap", 512, 16 * 1024, bodyLimits.evidenceUpload, false, Math.floor(bodyLimits.evidenceUpload / (16 * 1024)) + 1],
  ])("%s", async (_label, chunks, chunkBytes, cap, ok, pulled) => {
    const { stream, seen } = countingBody(chunks, chunkBytes);
    const read = await readBodyWithin(post(stream), cap);
    expect(read.ok).toBe(ok);
    expect(seen.pulled).toBe(pulled);
    // Stopped means cancelled: the rest is never asked for
    expect(seen.cancelled).toBe(!ok);
    if (read.ok) expect(read.bytes.byteLength).toBe(chunks * chunkBytes);
    else expect(read).toEqual({ ok: false, reason: "too_large", maxBytes: cap });
  });

  it("never holds more than the cap plus the chunk that crossed it", async () => {
    const { stream, seen } = countingBody(1_000, 7_000);
    await readBodyWithin(post(stream), 100_000);
    expect(seen.pulled * 7_000).toBeLessThanOrEqual(100_000 + 7_000);
  });

  it.each([
    ["one byte over", String(256 * 1024 + 1), false],
    ["8 MiB", String(8 * 1024 * 1024), false],
  ])("a declared Content-Length over the cap (%s) is refused before a chunk is pulled", async (_label, contentLength, ok) => {
    const { stream, seen } = countingBody(128, 64 * 1024);
    const read = await readBodyWithin(post(stream, { "content-length": contentLength }), bodyLimits.platformPush);
    expect(read.ok).toBe(ok);
    expect(seen.pulled).toBe(0);
    expect(seen.cancelled).toBe(true);
  });

  it("a declared length at the cap is read and counted (a lying header still stops at the cap)", async () => {
    const { stream, seen } = countingBody(10, 1_000);
    const read = await readBodyWithin(post(stream, { "content-length": "5000" }), 5_000);
    expect(read).toMatchObject({ ok: false, reason: "too_large" });
    expect(seen.pulled).toBe(6);
  });

  it("a stream that errors: unreadable, not a partial body", async () => {
    const { stream, seen } = countingBody(10, 1_000, { failAt: 3 });
    expect(await readBodyWithin(post(stream), 100_000)).toEqual({ ok: false, reason: "unreadable" });
    expect(seen.pulled).toBe(3);
  });

  it("a body already read: unreadable", async () => {
    const request = post("{}");
    await request.text();
    expect(await readBodyWithin(request, 100)).toEqual({ ok: false, reason: "unreadable" });
  });

  it("no body: empty bytes", async () => {
    const read = await readBodyWithin(new Request(url, { method: "POST" }), 10);
    expect(read.ok && read.bytes.byteLength).toBe(0);
  });

  it("text decodes as request.text() does (UTF-8, BOM dropped, bad bytes replaced)", async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("退款"), 0xff]);
    const read = await readBodyWithin(post(bytes), 100);
    expect(read.ok && decodeBody(read.bytes)).toBe(await post(bytes).text());
    expect(read.ok && decodeBody(read.bytes)).toBe("退款\ufffd");
  });
});

describe("capRequestBody", () => {
  it("within the cap: a new Request over the bytes, so json() and formData() read what was read", async () => {
    const capped = await capRequestBody(post(JSON.stringify({ ids: ["a"] }), { "content-type": "application/json", origin: "http://desk" }), 100);
    if ("error" in capped) throw new Error("expected a request");
    expect(await capped.request.json()).toEqual({ ids: ["a"] });
    expect(capped.request.headers.get("origin")).toBe("http://desk");
    expect(capped.request.method).toBe("POST");

    const form = new FormData();
    form.set("file", new File([new Uint8Array(3_000)], "photo.jpg", { type: "image/jpeg" }));
    const upload = await capRequestBody(post(form), bodyLimits.evidenceUpload);
    if ("error" in upload) throw new Error("expected a request");
    const file = (await upload.request.formData()).get("file");
    expect(file instanceof File && file.size).toBe(3_000);
  });

  it("over the cap: the typed 413, closing the connection", async () => {
    const { stream } = countingBody(100, 1_000);
    const capped = await capRequestBody(post(stream), 10_000);
    if (!("error" in capped)) throw new Error("expected an error");
    expect(capped.error.status).toBe(413);
    expect(capped.error.headers.get("connection")).toBe("close");
    expect(await capped.error.json()).toEqual({ error: { code: "payload_too_large", message: expect.any(String), maxBytes: 10_000 } });
  });

  it("a stream that errors: 422 invalid_body", async () => {
    const { stream } = countingBody(10, 1_000, { failAt: 1 });
    const capped = await capRequestBody(post(stream), 10_000);
    expect("error" in capped && capped.error.status).toBe(422);
  });

  it("a GET is handed on untouched", async () => {
    const request = new Request(url, { headers: { "content-length": "999999" } });
    expect(await capRequestBody(request, 10)).toEqual({ request });
  });
});

describe("hasBody", () => {
  it.each([
    [{}, false],
    [{ "content-length": "0" }, false],
    [{ "content-length": "12" }, true],
    [{ "transfer-encoding": "chunked" }, true],
  ])("%o → %s", (headers, expected) => {
    expect(hasBody(new Request(url, { method: "POST", headers }))).toBe(expected);
  });
});
