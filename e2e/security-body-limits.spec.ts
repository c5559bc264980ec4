import net from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { bodyLimits } from "@/lib/body-limits";
import { baseURL, logins, seedCard, signInApi } from "./helpers";

// Every body is read within its route's cap (docs/security.md, "Request bodies"): 8 MiB sent to a push route, the
// evidence upload or a JSON API is answered 413 while the client is still sending, having read at most the cap and
// one socket read (64 KiB) more, and the server then closes the connection instead of reading the rest.
//
// How "read" is measured from outside: up to the cap the client writes as fast as the socket takes it (the server
// may read all of that); past the cap it writes 4 KiB at a time and gives the server 500 ms to answer after each.
// The server cannot have read more than the client had written when the answer came, so that count is the bound.
// The client is a plain TCP socket speaking HTTP/1.1 itself, so that it never closes or stops on its own: an end of
// the connection it sees is the server's.

const eightMiB = 8 * 1024 * 1024;
/** What the server may read past its cap: the chunk that crossed it, at most one 64 KiB socket read. */
const slack = 64 * 1024;
const fastChunkBytes = 16 * 1024;
const slowChunkBytes = 4 * 1024;
const slowStepMs = 500;
const boundary = "----desk-e2e-body-limits";

type Sent = {
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** Body bytes the client had handed to its socket when the answer's head arrived (null: no answer). */
  bytesWrittenAtAnswer: number | null;
  bytesWrittenInAll: number;
  /** The server ended or reset the connection after answering (the client asked to keep it open). */
  isClosedByServer: boolean;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseHead(head: string): Pick<Sent, "status" | "headers"> {
  const [statusLine, ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers };
}

/** The payload of a chunked HTTP body (as much of it as arrived). */
function decodeChunked(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString("latin1"), 16);
    if (!size) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** POSTs up to 8 MiB to `path` (chunked, with no Content-Length, unless declareLength), `prefix` first, then filler bytes. */
async function sendSlowly(path: string, options: { cap: number; headers?: Record<string, string>; prefix?: Buffer; declareLength?: boolean }): Promise<Sent> {
  const target = new URL(path, baseURL);
  const socket = net.connect({ host: target.hostname, port: Number(target.port), allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const isChunked = !options.declareLength;
  const headerLines = Object.entries({
    host: target.host,
    ...options.headers,
    ...(isChunked ? { "transfer-encoding": "chunked" } : { "content-length": String(eightMiB) }),
    connection: "keep-alive",
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(`POST ${target.pathname}${target.search} HTTP/1.1\r\n${headerLines.join("")}\r\n`);

  let written = 0;
  let received = Buffer.alloc(0);
  let answer: (Pick<Sent, "status" | "headers"> & { bytesWrittenAtAnswer: number; bodyStart: number }) | null = null;
  let isClosedByServer = false;
  let resolveAnswered = () => {};
  const answered = new Promise<void>((resolve) => (resolveAnswered = resolve));
  socket.on("data", (data: Buffer) => {
    received = Buffer.concat([received, data]);
    const headEnd = received.indexOf("\r\n\r\n");
    if (answer || headEnd < 0) return;
    answer = { ...parseHead(received.subarray(0, headEnd).toString("latin1")), bytesWrittenAtAnswer: written, bodyStart: headEnd + 4 };
    resolveAnswered();
  });
  // A FIN, or a reset while we still write (EPIPE / ECONNRESET): the server let go of the connection
  const closed = new Promise<void>((resolve) => {
    const onClosed = () => {
      isClosedByServer = true;
      resolve();
    };
    socket.once("end", onClosed);
    socket.on("error", onClosed);
  });

  /** Writes body bytes unless answered; resolves once the socket took them, or on the answer, whichever is first. */
  const write = async (bytes: Buffer): Promise<boolean> => {
    if (answer || isClosedByServer) return false;
    written += bytes.byteLength;
    const framed = isChunked ? Buffer.concat([Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, Buffer.from("\r\n")]) : bytes;
    const flushed = new Promise<boolean>((resolve) => socket.write(framed, (error) => resolve(!error)));
    return Promise.race([flushed, answered.then(() => false), closed.then(() => false)]);
  };
  const filler = (bytes: number) => Buffer.alloc(bytes, 0x61);

  // A declared length over the cap is answered before a body byte is sent
  if (options.declareLength) await Promise.race([answered, closed, sleep(2_000)]);
  const prefix = options.prefix ?? Buffer.alloc(0);
  if (prefix.byteLength) await write(prefix);
  // Up to the cap: the server may read every byte of this
  while (!answer && written + fastChunkBytes <= options.cap) if (!(await write(filler(fastChunkBytes)))) break;
  // Past it: a little at a time, each given time to be answered
  while (!answer && written < options.cap + 2 * slack) {
    if (!(await write(filler(slowChunkBytes)))) break;
    await Promise.race([answered, closed, sleep(slowStepMs)]);
  }
  // Still no answer: the test fails on the count; the rest goes at once to see what the server makes of all 8 MiB
  while (!answer && written < eightMiB) if (!(await write(filler(Math.min(64 * 1024, eightMiB - written))))) break;
  if (!answer && !isClosedByServer && isChunked) socket.write("0\r\n\r\n");
  await Promise.race([answered, closed, sleep(15_000)]);
  // Answered: does the server close, or keep the connection and read on?
  await Promise.race([closed, sleep(3_000)]);
  socket.destroy();

  const settled = answer as (Pick<Sent, "status" | "headers"> & { bytesWrittenAtAnswer: number; bodyStart: number }) | null;
  const rawBody = settled ? received.subarray(settled.bodyStart) : Buffer.alloc(0);
  const body = settled?.headers["transfer-encoding"]?.includes("chunked") ? decodeChunked(rawBody) : rawBody.subarray(0, Number(settled?.headers["content-length"] ?? rawBody.byteLength));
  return {
    status: settled?.status ?? null,
    headers: settled?.headers ?? {},
    body: body.toString("utf8"),
    bytesWrittenAtAnswer: settled?.bytesWrittenAtAnswer ?? null,
    bytesWrittenInAll: written,
    isClosedByServer: settled !== null && isClosedByServer,
  };
}

async function cookieHeader(request: APIRequestContext): Promise<string> {
  const { cookies } = await request.storageState();
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
}

function multipartPrefix(fileName: string): Buffer {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0`, "latin1");
}

/** A 1×1 PNG: a real image the upload stores (201), so the route is known to work before it is flooded. */
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==", "base64");

function expectCapHeld(sent: Sent, cap: number) {
  expect(sent.status, `answered ${sent.status} after ${sent.bytesWrittenAtAnswer} of ${sent.bytesWrittenInAll} bytes written`).toBe(413);
  expect(sent.bytesWrittenAtAnswer).not.toBeNull();
  expect(sent.bytesWrittenAtAnswer!).toBeLessThanOrEqual(cap + slack);
  expect(sent.headers.connection).toBe("close");
  expect(sent.isClosedByServer).toBe(true);
}

test.describe("platform pushes: 8 MiB chunked, no Content-Length, from anyone", () => {
  test("Douyin push → 413 in Douyin's shape, at most 256 KiB + 64 KiB read", async ({ request }) => {
    // The route is loaded (a bad sign is 401), so its first load is not counted against the cap
    expect((await request.post("/api/platforms/douyin/push", { data: "{}" })).status()).toBe(401);
    const sent = await sendSlowly("/api/platforms/douyin/push", { cap: bodyLimits.platformPush, headers: { "content-type": "application/json" } });
    expectCapHeld(sent, bodyLimits.platformPush);
    expect(JSON.parse(sent.body)).toEqual({ code: 1, msg: "body too large" });
  });

  test("WeChat push → 413 as text, at most 256 KiB + 64 KiB read", async ({ request }) => {
    const path = "/api/platforms/wechat/push?signature=0&timestamp=0&nonce=0";
    expect((await request.post(path, { data: "{}" })).status()).toBe(401);
    const sent = await sendSlowly(path, { cap: bodyLimits.platformPush, headers: { "content-type": "application/json" } });
    expectCapHeld(sent, bodyLimits.platformPush);
    expect(sent.body).toBe("body too large");
  });

  test("our signed webhook (node:http in front of Next) → 413 typed, at most 256 KiB + 64 KiB read", async ({ request }) => {
    expect((await request.post("/api/platforms/tmall/events", { data: "{}" })).status()).toBe(401);
    const sent = await sendSlowly("/api/platforms/tmall/events", { cap: bodyLimits.platformPush, headers: { "content-type": "application/json" } });
    expectCapHeld(sent, bodyLimits.platformPush);
    expect(JSON.parse(sent.body).error.code).toBe("payload_too_large");
  });
});

test.describe("signed in", () => {
  test("the rejection-evidence upload: 8 MiB chunked → 413 typed, at most 5 MiB + 16 KiB + 64 KiB read", async ({ request }) => {
    await signInApi(request, logins.owner);
    const card = await seedCard({ shop: "tmall" });
    const path = `/api/requests/${card.id}/rejection-evidence`;
    const stored = await request.post(path, { multipart: { file: { name: "签收照片.png", mimeType: "image/png", buffer: png } }, headers: { origin: baseURL } });
    expect(stored.status()).toBe(201);
    const headers = { cookie: await cookieHeader(request), origin: baseURL, "content-type": `multipart/form-data; boundary=${boundary}` };
    const sent = await sendSlowly(path, { cap: bodyLimits.evidenceUpload, headers, prefix: multipartPrefix("big.jpg") });
    expectCapHeld(sent, bodyLimits.evidenceUpload);
    expect(JSON.parse(sent.body).error.code).toBe("payload_too_large");
  });

  test("the rejection-evidence upload: a declared 8 MiB Content-Length → 413 before the body is read", async ({ request }) => {
    await signInApi(request, logins.owner);
    const card = await seedCard({ shop: "tmall" });
    const headers = { cookie: await cookieHeader(request), origin: baseURL, "content-type": `multipart/form-data; boundary=${boundary}` };
    const sent = await sendSlowly(`/api/requests/${card.id}/rejection-evidence`, { cap: bodyLimits.evidenceUpload, headers, prefix: multipartPrefix("big.jpg"), declareLength: true });
    expectCapHeld(sent, bodyLimits.evidenceUpload);
    expect(sent.bytesWrittenAtAnswer).toBe(0);
    expect(JSON.parse(sent.body).error.code).toBe("payload_too_large");
  });

  test("a JSON API (bulk decision): 8 MiB chunked → 413 typed, at most 64 KiB + 64 KiB read", async ({ request }) => {
    await signInApi(request, logins.owner);
    const empty = await request.post("/api/requests/bulk-decision", { data: { decision: "approve", ids: [] }, headers: { origin: baseURL } });
    expect(empty.status()).toBe(422);
    const headers = { cookie: await cookieHeader(request), origin: baseURL, "content-type": "application/json" };
    const sent = await sendSlowly("/api/requests/bulk-decision", { cap: bodyLimits.json, headers, prefix: Buffer.from('{"decision":"approve","ids":["') });
    expectCapHeld(sent, bodyLimits.json);
    expect(JSON.parse(sent.body).error.code).toBe("payload_too_large");
  });
});

test("signing in (better-auth reads the body it is handed): 8 MiB chunked → 413 typed, at most 64 KiB + 64 KiB read", async () => {
  const headers = { origin: baseURL, "content-type": "application/json" };
  const sent = await sendSlowly("/api/auth/sign-in/email", { cap: bodyLimits.json, headers, prefix: Buffer.from(`{"email":"${logins.owner}","password":"`) });
  expectCapHeld(sent, bodyLimits.json);
  expect(JSON.parse(sent.body).error.code).toBe("payload_too_large");
});

test("a multipart POST to a page declaring 8 MiB, signed out → 413 typed before a byte is read, and the connection closes", async () => {
  // scripts/fast-routes.mjs refuses a page POST declaring more than the Server Actions cap before Next sees it
  const headers = { origin: baseURL, "content-type": `multipart/form-data; boundary=${boundary}` };
  const sent = await sendSlowly("/login", { cap: bodyLimits.serverAction, headers, declareLength: true, prefix: Buffer.from(`--${boundary}\r\n`) });
  expectCapHeld(sent, bodyLimits.serverAction);
  expect(sent.bytesWrittenAtAnswer).toBe(0);
  expect(JSON.parse(sent.body)).toMatchObject({ error: { code: "payload_too_large" } });
});

test("a multipart POST to a page (Next reads it as a possible Server Action), signed out: 8 MiB chunked → 413 typed, at most 16 KiB + 64 KiB read", async () => {
  // scripts/fast-routes.mjs reads a page body itself within the Server Actions cap (bodyLimits.serverAction, as
  // next.config.ts gives Next), counting as it arrives, so Next never reads past it (Next's own cap answers a 500 page)
  const headers = { origin: baseURL, "content-type": `multipart/form-data; boundary=${boundary}` };
  const sent = await sendSlowly("/login", { cap: bodyLimits.serverAction, headers, prefix: Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n`) });
  expectCapHeld(sent, bodyLimits.serverAction);
  expect(JSON.parse(sent.body)).toMatchObject({ error: { code: "payload_too_large" } });
});
