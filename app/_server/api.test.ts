import { describe, expect, it, vi } from "vitest";
import { appUrl, expectApiError, setUpRouteDesk, type Member } from "@/app/_server/test-support";
import { countingBody, postStream } from "./read-body.fixture";

vi.mock("server-only", () => ({}));

// withScope's role option: an owner-only route refuses everyone else with 403 forbidden before a byte of the body is read.
const { withScope } = await import("@/app/_server/api");

const desk = setUpRouteDesk();

function ownerOnlyRoute() {
  const ran: string[] = [];
  const route = withScope(
    async (request, { scope }) => {
      ran.push(scope.userId);
      return Response.json({ bytes: (await request.arrayBuffer()).byteLength });
    },
    { role: "owner" },
  );
  return { route, ran };
}

function post(as: Member, chunks: number) {
  const body = countingBody(chunks, 1_000);
  const request = postStream(`${appUrl}/api/under-test`, body.stream, { cookie: as.cookie, origin: appUrl, "transfer-encoding": "chunked" });
  return { request, seen: body.seen };
}

describe("withScope({ role: 'owner' })", () => {
  it("an agent gets 403 forbidden, the handler never runs and no chunk of the body is pulled", async () => {
    const { route, ran } = ownerOnlyRoute();
    const { request, seen } = post(desk.agent, 4);
    const response = await route(request, { params: Promise.resolve({}) });
    await expectApiError(response, 403, "forbidden");
    expect(response.headers.get("connection")).toBe("close");
    expect(ran).toEqual([]);
    expect(seen.pulled).toBe(0);
  });

  it("the owner's call reaches the handler with the whole body", async () => {
    const { route, ran } = ownerOnlyRoute();
    const { request, seen } = post(desk.owner, 4);
    const response = await route(request, { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 4_000 });
    expect(ran).toEqual([desk.owner.id]);
    expect(seen.pulled).toBe(4);
  });

  it("without the option an agent reaches the handler", async () => {
    const ran: string[] = [];
    const route = withScope(async (_request, { scope }) => (ran.push(scope.userId), Response.json({})));
    const { request } = post(desk.agent, 1);
    expect((await route(request, { params: Promise.resolve({}) })).status).toBe(200);
    expect(ran).toEqual([desk.agent.id]);
  });
});
