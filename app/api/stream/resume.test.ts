import { afterEach, describe, expect, it, vi } from "vitest";
import { addPendingRequest, callRoute, expectApiError, setUpRouteDesk, type Member } from "@/app/_server/test-support";

vi.mock("server-only", () => ({}));

// Resuming the live stream (route.test.ts beside this covers how it ends with the session).
const { GET: openStream } = await import("@/app/api/stream/route");
const { POST: decide } = await import("@/app/api/requests/[id]/decision/route");

const desk = setUpRouteDesk();
const opened: AbortController[] = [];

afterEach(() => {
  for (const abort of opened.splice(0)) abort.abort();
});

const approve = async (as: Member, id: string) =>
  expect((await callRoute(decide, { as, method: "POST", params: { id }, json: { decision: "approve" } })).status).toBe(200);

/** Opens the stream and reads until every one of `expected` has arrived (or the stream ends); answers what it read. */
async function readUntil(as: Member, init: { since?: string; lastEventId?: string }, expected: string[]): Promise<string> {
  const abort = new AbortController();
  opened.push(abort);
  const path = init.since === undefined ? "/api/stream" : `/api/stream?since=${init.since}`;
  const headers = init.lastEventId === undefined ? undefined : { "last-event-id": init.lastEventId };
  const response = await callRoute(openStream, { as, path, headers });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!expected.every((part) => text.includes(part))) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value);
  }
  abort.abort();
  return text;
}

const eventIds = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));

describe("GET /api/stream resumes where the client left off", () => {
  it("401 without a session", async () => {
    await expectApiError(await callRoute(openStream, { as: null, path: "/api/stream" }), 401, "unauthenticated");
  });

  it.each(["-1", "abc", "1.5"])("400 invalid_query for since=%s", async (since) => {
    const error = await expectApiError(await callRoute(openStream, { as: desk.agent, path: `/api/stream?since=${since}` }), 400, "invalid_query");
    expect(error.issues).toEqual([{ path: "since", message: expect.any(String) }]);
  });

  it("replays the events after ?since= for the caller's shops only, in order", async () => {
    const mine = await addPendingRequest(desk.db, desk.shops.tmall);
    const theirs = await addPendingRequest(desk.db, desk.other.shop);
    const later = await addPendingRequest(desk.db, desk.shops.douyin);
    await approve(desk.agent, mine.requestId);
    await approve(desk.other.owner, theirs.requestId);
    await approve(desk.agent, later.requestId);
    const text = await readUntil(desk.agent, { since: "0" }, [mine.requestId, later.requestId]);
    expect(text).toContain(": connected");
    expect(text).toContain(mine.requestId);
    expect(text).toContain(later.requestId);
    expect(text).not.toContain(theirs.requestId);
    const ids = eventIds(text);
    expect(ids).toEqual([...ids].sort((left, right) => left - right));
  });

  it("Last-Event-ID wins over ?since= and nothing at or before it comes again", async () => {
    const first = await addPendingRequest(desk.db, desk.shops.douyin);
    await approve(desk.douyinAgent, first.requestId);
    const all = await readUntil(desk.douyinAgent, { since: "0" }, [first.requestId]);
    const lastSeen = Math.max(...eventIds(all));
    const second = await addPendingRequest(desk.db, desk.shops.douyin);
    await approve(desk.douyinAgent, second.requestId);
    const resumed = await readUntil(desk.douyinAgent, { since: "0", lastEventId: String(lastSeen) }, [second.requestId]);
    expect(resumed).toContain(second.requestId);
    expect(resumed).not.toContain(first.requestId);
    expect(eventIds(resumed).every((id) => id > lastSeen)).toBe(true);
  });
});
